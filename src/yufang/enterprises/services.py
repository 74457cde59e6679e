"""Writes to the enterprise registry. Forms, the API and imports all come through here."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from yufang import policy
from yufang.accounts.scoping import (
    enterprise_fields_writable,
    may_change_enterprise,
    may_write_at,
)
from yufang.audit.services import audit_create, audit_create_many, audit_update, snapshot
from yufang.enterprises.models import Enterprise, EnterpriseSize, InsuredHeadcount
from yufang.enterprises.selectors import REGISTRY_VERSION_KEY
from yufang.industries.models import Industry
from yufang.industries.selectors import risk_class_from_map, risk_class_map
from yufang.lib.errors import InvalidInput
from yufang.lib.identifiers import check_credit_code, normalise_credit_code
from yufang.regions.models import Grid, Region

# Words people type in spreadsheets for each size, in both languages.
SIZE_WORDS = {
    **{s.value: s.value for s in EnterpriseSize},
    "大型": "large",
    "中型": "medium",
    "小型": "small",
    "微型": "micro",
    "大": "large",
    "中": "medium",
    "小": "small",
    "微": "micro",
}
PHONE = re.compile(r"[0-9+\-() ]{3,30}")
TRUE_WORDS = {"1", "true", "yes", "y", "是", "√", "t"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "", "f"}


# The input fields' names as people read them (messages name a field by its label).
FIELD_LABELS = {
    "credit_code": _lazy("unified social credit code"),
    "credit_code_exception": _lazy("reason for accepting a failing credit code"),
    "name": _lazy("name"),
    "address": _lazy("address"),
    "contact_person": _lazy("contact person"),
    "contact_phone": _lazy("contact phone"),
    "county": _lazy("county"),
    "township": _lazy("township"),
    "grid": _lazy("grid"),
    "industry": _lazy("industry"),
    "size": _lazy("size"),
    "risk_class_override": _lazy("insurance risk class"),
    "risk_class_override_reason": _lazy("reason for the risk class override"),
    "latitude": _lazy("latitude"),
    "longitude": _lazy("longitude"),
    "is_key_industry": _lazy("key industry"),
    "headcount_year": _lazy("headcount year"),
    "insured_headcount": _lazy("insured headcount"),
    "hours_worked": _lazy("hours worked"),
}


class EnterpriseInvalid(InvalidInput):
    """Enterprise input that cannot be saved."""


# Domains that keep figures derived from the registry (the injury-rate rollup) register a
# watcher: a context manager entered before enterprises or their headcounts change and left
# after, inside the same transaction. The registry stays free of those domains.
RegistryWatcher = Callable[[list[int]], AbstractContextManager[None]]
_WATCHERS: list[RegistryWatcher] = []


def register_registry_watcher(watcher: RegistryWatcher) -> RegistryWatcher:
    _WATCHERS.append(watcher)
    return watcher


# Domains whose records rest on a headcount (a year with injury cases needs insured people)
# register a guard: called before `headcount_set` writes, it raises EnterpriseInvalid naming
# the field to refuse the value.
HeadcountGuard = Callable[..., None]
_HEADCOUNT_GUARDS: list[HeadcountGuard] = []


def register_headcount_guard(guard: HeadcountGuard) -> HeadcountGuard:
    """`guard(enterprise=…, year=…, insured_headcount=…)` runs before each headcount is set."""
    if guard not in _HEADCOUNT_GUARDS:
        _HEADCOUNT_GUARDS.append(guard)
    return guard


@contextmanager
def registry_change(enterprise_ids: list[int]) -> Iterator[None]:
    """Wrap a change to these enterprises (their region, industry, size, class or
    headcounts) so every watcher sees the state before and after it."""
    with ExitStack() as stack:
        for watcher in _WATCHERS:
            stack.enter_context(watcher(enterprise_ids))
        yield
    registry_changed()


def registry_changed() -> None:
    """Once the caller's transaction commits, the registry's cached figures are out of date."""
    transaction.on_commit(lambda: cache.set(REGISTRY_VERSION_KEY, uuid.uuid4().hex, None))


class RegistryLookups:
    """Codes → records for validation. Preloaded for imports, fetched one by one otherwise."""

    def __init__(self, *, preload: bool = False, on: dt.date | None = None) -> None:
        self.on = on or timezone.localdate()
        self._regions: dict[str, Region | None] = {}
        self._grids: dict[str, Grid | None] = {}
        self._industries: dict[str, Industry | None] = {}
        self.risk_classes = risk_class_map(self.on)
        self.key_divisions = set(policy.value("key_industry_divisions", self.on))
        self.preloaded = preload
        if preload:
            self._regions = {r.code: r for r in Region.objects.filter(level__gte=3)}
            self._grids = {g.code: g for g in Grid.objects.all()}
            self._industries = {i.code: i for i in Industry.objects.all()}

    def region(self, code: str) -> Region | None:
        if code not in self._regions and not self.preloaded:
            self._regions[code] = Region.objects.filter(code=code).first()
        return self._regions.get(code)

    def grid(self, code: str) -> Grid | None:
        if code not in self._grids and not self.preloaded:
            self._grids[code] = Grid.objects.filter(code=code).first()
        return self._grids.get(code)

    def industry(self, code: str) -> Industry | None:
        if code not in self._industries and not self.preloaded:
            self._industries[code] = Industry.objects.filter(code=code).first()
        return self._industries.get(code)


@dataclass
class EnterpriseFields:
    values: dict[str, Any]
    headcount_year: int | None = None
    insured_headcount: int | None = None
    errors: dict[str, str] = field(default_factory=dict)


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()


def _decimal(
    data: dict[str, Any], key: str, errors: dict[str, str], low: int, high: int
) -> Decimal | None:
    raw = _text(data, key)
    if not raw:
        return None
    try:
        value = Decimal(raw).quantize(Decimal("0.000001"))
    except InvalidOperation:
        errors[key] = _("Not a number: %(value)s") % {"value": raw}
        return None
    if not low <= value <= high:
        errors[key] = _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}
        return None
    return value


def enterprise_clean(data: dict[str, Any], *, lookups: RegistryLookups) -> EnterpriseFields:
    """Validate raw input (codes and text, as typed) into model field values.

    Field names are the API's and the import columns'. Nothing is written.
    """
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    code = normalise_credit_code(_text(data, "credit_code"))
    exception = _text(data, "credit_code_exception")
    if not code:
        errors["credit_code"] = _("The unified social credit code is required.")
    else:
        check = check_credit_code(code)
        if not check.ok and (check.reason != "check_digit" or not exception):
            errors["credit_code"] = {
                "length": _("A unified social credit code has 18 characters."),
                "characters": _("Only digits and the letters ABCDEFGHJKLMNPQRTUWXY may appear."),
                "region": _("Characters 3 to 8 must be a region code (digits)."),
                "check_digit": _(
                    "The check character (the 18th) does not match. If the code is real, give "
                    "a reason to accept it anyway."
                ),
            }[check.reason]
        values["credit_code"] = code
        values["credit_code_exception"] = exception if (not check.ok) else ""

    name = _text(data, "name")
    if not name:
        errors["name"] = _("The name is required.")
    elif len(name) > 200:
        errors["name"] = _("The name is longer than 200 characters.")
    values["name"] = name
    values["address"] = _text(data, "address")[:300]
    values["contact_person"] = _text(data, "contact_person")
    if len(values["contact_person"]) > 50:
        errors["contact_person"] = _("The contact person is longer than 50 characters.")
    values["contact_phone"] = _text(data, "contact_phone")
    if values["contact_phone"] and not PHONE.fullmatch(values["contact_phone"]):
        errors["contact_phone"] = _(
            "A phone number has digits, and may have +, -, spaces and brackets (at most 30)."
        )

    county = None
    county_code = _text(data, "county")
    if not county_code:
        errors["county"] = _("The county code is required.")
    else:
        county = lookups.region(county_code)
        if county is None or county.level != Region.Level.COUNTY:
            errors["county"] = _("Unknown county code: %(code)s") % {"code": county_code}
            county = None
    township = None
    township_code = _text(data, "township")
    if township_code:
        township = lookups.region(township_code)
        if township is None or township.level != Region.Level.TOWNSHIP:
            errors["township"] = _("Unknown township code: %(code)s") % {"code": township_code}
            township = None
        elif county is not None and township.county_id != county.pk:
            errors["township"] = _("The township is not in the county.")
    grid = None
    grid_code = _text(data, "grid")
    if grid_code:
        grid = lookups.grid(grid_code)
        if grid is None:
            errors["grid"] = _("Unknown grid code: %(code)s") % {"code": grid_code}
        elif county is not None and grid.county_id != county.pk:
            errors["grid"] = _("The grid is not in the county.")
            grid = None
        elif township is not None and grid.township_id != township.pk:
            errors["grid"] = _("The grid is not in the township.")
            grid = None
    if county is not None:
        values["city_id"] = county.city_id
        values["county_id"] = county.pk
    if township is not None:
        values["township_id"] = township.pk
    else:
        values["township_id"] = grid.township_id if grid is not None else None
    values["grid_id"] = grid.pk if grid is not None else None

    industry = None
    industry_code = _text(data, "industry").upper()
    if not industry_code:
        errors["industry"] = _("The industry code (GB/T 4754-2017) is required.")
    else:
        industry = lookups.industry(industry_code)
        if industry is None:
            errors["industry"] = _("Unknown industry code: %(code)s") % {"code": industry_code}
        else:
            values["industry_id"] = industry.pk

    size = SIZE_WORDS.get(_text(data, "size").lower())
    if size is None:
        errors["size"] = _("Size must be one of large, medium, small, micro (大型/中型/小型/微型).")
    values["size"] = size

    override_raw = _text(data, "risk_class_override")
    reason = _text(data, "risk_class_override_reason")
    if override_raw:
        if not override_raw.isdigit() or not 1 <= int(override_raw) <= 8:
            errors["risk_class_override"] = _("The risk class must be a whole number from 1 to 8.")
        elif not reason:
            errors["risk_class_override_reason"] = _(
                "Overriding the industry's risk class needs a reason."
            )
        else:
            values.update(
                risk_class=int(override_raw),
                risk_class_is_override=True,
                risk_class_override_reason=reason[:300],
            )
    elif industry is not None:
        values.update(
            risk_class=risk_class_from_map(industry.code, lookups.risk_classes),
            risk_class_is_override=False,
            risk_class_override_reason="",
        )

    values["latitude"] = _decimal(data, "latitude", errors, -90, 90)
    values["longitude"] = _decimal(data, "longitude", errors, -180, 180)

    key_raw = _text(data, "is_key_industry").lower()
    if key_raw in TRUE_WORDS:
        values["is_key_industry"] = True
    elif key_raw in FALSE_WORDS and key_raw:
        values["is_key_industry"] = False
    elif key_raw:
        errors["is_key_industry"] = _("Write yes or no (是/否).")
    elif industry is not None:
        values["is_key_industry"] = industry.division_code in lookups.key_divisions

    result = EnterpriseFields(values=values, errors=errors)
    year_raw, count_raw = _text(data, "headcount_year"), _text(data, "insured_headcount")
    if count_raw:
        if not count_raw.isdigit():
            errors["insured_headcount"] = _("The insured headcount must be a whole number.")
        else:
            result.insured_headcount = int(count_raw)
            if year_raw and not (year_raw.isdigit() and 2000 <= int(year_raw) <= lookups.on.year):
                errors["headcount_year"] = _("Not a valid year: %(value)s") % {"value": year_raw}
            else:
                result.headcount_year = int(year_raw) if year_raw else lookups.on.year
    return result


def _require_scope(actor: Any, values: dict[str, Any], enterprise_id: int | None = None) -> None:
    if not may_write_at(
        actor,
        city_id=values.get("city_id"),
        county_id=values.get("county_id"),
        grid_id=values.get("grid_id"),
        enterprise_id=enterprise_id,
    ):
        raise PermissionDenied(_("You may not register or change enterprises in this region."))


def enterprise_as_input(enterprise: Enterprise, *, lookups: RegistryLookups) -> dict[str, str]:
    """An enterprise as the input `enterprise_clean` takes (codes and text): what an update
    starts from. The key-industry flag stays empty (derived from the industry) unless it was
    set apart from the industry's."""
    key_derived = enterprise.industry.division_code in lookups.key_divisions
    return {
        "credit_code": enterprise.credit_code,
        "credit_code_exception": enterprise.credit_code_exception,
        "name": enterprise.name,
        "address": enterprise.address,
        "contact_person": enterprise.contact_person,
        "contact_phone": enterprise.contact_phone,
        "county": enterprise.county.code,
        "township": enterprise.township.code if enterprise.township else "",
        "grid": enterprise.grid.code if enterprise.grid else "",
        "industry": enterprise.industry.code,
        "size": enterprise.size,
        "risk_class_override": str(enterprise.risk_class)
        if enterprise.risk_class_is_override
        else "",
        "risk_class_override_reason": enterprise.risk_class_override_reason,
        "latitude": "" if enterprise.latitude is None else str(enterprise.latitude),
        "longitude": "" if enterprise.longitude is None else str(enterprise.longitude),
        "is_key_industry": ""
        if enterprise.is_key_industry == key_derived
        else ("1" if enterprise.is_key_industry else "0"),
        "headcount_year": "",
        "insured_headcount": "",
    }


def _comparable(key: str, value: Any) -> Any:
    """A value as typed, in the form two spellings of the same value share."""
    text = "" if value is None else str(value).strip()
    if key == "credit_code":
        return normalise_credit_code(text)
    if key == "industry":
        return text.upper()
    if key == "size":
        return SIZE_WORDS.get(text.lower(), text)
    if key == "is_key_industry":
        low = text.lower()
        return True if low in TRUE_WORDS else False if low in FALSE_WORDS and low else text
    if key in ("latitude", "longitude", "risk_class_override"):
        try:
            return Decimal(text).normalize() if text else ""
        except InvalidOperation:
            return text
    return text


def enterprise_refusals(
    *,
    actor: Any,
    data: dict[str, Any],
    enterprise: Enterprise | None = None,
    lookups: RegistryLookups | None = None,
) -> dict[str, str]:
    """The fields of `data` (input keys, as `enterprise_clean` takes them) the actor's role
    may not set when registering, or may not change on `enterprise`, each with a message;
    empty when the actor may write them all. A field sent unchanged is no change. Imports
    ask it for each row; `enterprise_create` and `enterprise_update` refuse with it."""
    if enterprise is None:
        writable = enterprise_fields_writable(actor, creating=True)
        refused = {k for k, v in data.items() if k not in writable and _comparable(k, v) != ""}
    else:
        current = enterprise_as_input(enterprise, lookups=lookups or RegistryLookups())
        refused = _fields_changed(enterprise, data, current) - enterprise_fields_writable(actor)
    return {
        key: _("Your role may not change the %(field)s: the HRSS bureau keeps it.")
        % {"field": FIELD_LABELS.get(key, key)}
        for key in sorted(refused)
    }


def _fields_changed(
    enterprise: Enterprise, data: dict[str, Any], current: dict[str, str]
) -> set[str]:
    """The keys of `data` whose value differs from the enterprise's."""
    changed = set()
    for key, value in data.items():
        new = _comparable(key, value)
        if key == "is_key_industry":
            if new != "" and new != enterprise.is_key_industry:
                changed.add(key)
        elif key in ("insured_headcount", "hours_worked", "headcount_year"):
            if new != "":
                changed.add(key)
        elif key in current and new != _comparable(key, current[key]):
            changed.add(key)
    if "insured_headcount" in changed:
        # The headcount a year already has, sent again, is no change.
        year = _text(data, "headcount_year") or str(timezone.localdate().year)
        stored = enterprise.headcounts.filter(year=int(year) if year.isdigit() else 0).first()
        if stored is not None and _text(data, "insured_headcount") == str(stored.insured_headcount):
            changed -= {"insured_headcount", "headcount_year"}
    return changed


@transaction.atomic
def enterprise_create(*, actor: Any, data: dict[str, Any]) -> Enterprise:
    writable = enterprise_fields_writable(actor, creating=True)
    if not writable:
        raise PermissionDenied(_("Your role cannot register enterprises."))
    # Fields the role may not write are refused by name before anything else is checked:
    # what else is wrong with them is not the actor's to fix.
    refused = enterprise_refusals(actor=actor, data=data)
    if refused:
        raise EnterpriseInvalid(refused)
    cleaned = enterprise_clean(data, lookups=RegistryLookups())
    if Enterprise.objects.filter(credit_code=cleaned.values.get("credit_code")).exists():
        cleaned.errors["credit_code"] = _(
            "An enterprise with this credit code is already registered."
        )
    if cleaned.errors:
        raise EnterpriseInvalid(cleaned.errors)
    _require_scope(actor, cleaned.values)
    enterprise = Enterprise.objects.create(**cleaned.values)
    registry_changed()
    audit_create(actor, enterprise, reason=cleaned.values.get("credit_code_exception", ""))
    if cleaned.insured_headcount is not None and cleaned.headcount_year is not None:
        headcount_set(
            actor=actor,
            enterprise=enterprise,
            year=cleaned.headcount_year,
            insured_headcount=cleaned.insured_headcount,
        )
    return enterprise


@transaction.atomic
def enterprise_update(*, actor: Any, enterprise: Enterprise, data: dict[str, Any]) -> Enterprise:
    """Change the fields in `data` (a field left out keeps its value). A field the actor's
    role may not change (`enterprise_fields_writable`) is refused by name, unless it is sent
    unchanged."""
    enterprise = (
        # Only the enterprise's row is locked: PostgreSQL locks no row on the nullable side
        # of the joins (township, grid).
        Enterprise.objects.select_for_update(of=("self",))
        .select_related("county", "township", "grid", "industry")
        .get(pk=enterprise.pk)
    )
    _require_scope(actor, snapshot(enterprise), enterprise.pk)
    lookups = RegistryLookups()
    current = enterprise_as_input(enterprise, lookups=lookups)
    refused = enterprise_refusals(actor=actor, data=data, enterprise=enterprise, lookups=lookups)
    if refused:
        raise EnterpriseInvalid(refused)
    cleaned = enterprise_clean({**current, **data}, lookups=lookups)
    clash = Enterprise.objects.filter(credit_code=cleaned.values.get("credit_code")).exclude(
        pk=enterprise.pk
    )
    if clash.exists():
        cleaned.errors["credit_code"] = _(
            "An enterprise with this credit code is already registered."
        )
    if cleaned.errors:
        raise EnterpriseInvalid(cleaned.errors)
    _require_scope(actor, cleaned.values, enterprise.pk)
    before = snapshot(enterprise)
    for key, value in cleaned.values.items():
        setattr(enterprise, key, value)
    with registry_change([enterprise.pk]):
        enterprise.save()
    audit_update(
        actor, enterprise, before, reason=cleaned.values.get("risk_class_override_reason", "")
    )
    if cleaned.insured_headcount is not None and cleaned.headcount_year is not None:
        headcount_set(
            actor=actor,
            enterprise=enterprise,
            year=cleaned.headcount_year,
            insured_headcount=cleaned.insured_headcount,
        )
    return enterprise


@transaction.atomic
def headcount_set(
    *,
    actor: Any,
    enterprise: Enterprise,
    year: int,
    insured_headcount: int,
    hours_worked: Decimal | None = None,
) -> InsuredHeadcount:
    if not may_change_enterprise(actor, enterprise):
        raise PermissionDenied(_("You may not change this enterprise."))
    if "insured_headcount" not in enterprise_fields_writable(actor):
        raise PermissionDenied(
            _("Insured headcounts are the HRSS bureau's data: your role may not change them.")
        )
    if insured_headcount < 0:
        raise EnterpriseInvalid(_("The insured headcount cannot be negative."), "insured_headcount")
    if not 2000 <= year <= timezone.localdate().year:
        raise EnterpriseInvalid(_("Not a valid year: %(value)s") % {"value": year}, "year")
    if hours_worked is not None and hours_worked < 0:
        raise EnterpriseInvalid(_("Hours worked cannot be negative."), "hours_worked")
    for guard in _HEADCOUNT_GUARDS:
        guard(enterprise=enterprise, year=year, insured_headcount=insured_headcount)
    with registry_change([enterprise.pk]):
        current = InsuredHeadcount.objects.filter(enterprise=enterprise, year=year).first()
        if current is None:
            current = InsuredHeadcount.objects.create(
                enterprise=enterprise,
                year=year,
                insured_headcount=insured_headcount,
                hours_worked=hours_worked,
            )
            audit_create(actor, current)
            return current
        before = snapshot(current)
        current.insured_headcount = insured_headcount
        if hours_worked is not None:
            current.hours_worked = hours_worked
        current.save()
        audit_update(actor, current, before)
    return current


def enterprises_create_many(*, actor: Any, rows: list[EnterpriseFields]) -> list[Enterprise]:
    """Bulk insert of validated rows (imports, demo data); the caller holds the transaction."""
    if any(row.insured_headcount is not None for row in rows) and (
        "insured_headcount" not in enterprise_fields_writable(actor, creating=True)
    ):
        # The import checks each row with `enterprise_refusals`; this is the last guard.
        raise PermissionDenied(
            _("Insured headcounts are the HRSS bureau's data: your role may not change them.")
        )
    enterprises = Enterprise.objects.bulk_create(
        [Enterprise(**row.values) for row in rows], batch_size=1000
    )
    audit_create_many(actor, enterprises, reason="import")
    headcounts = [
        InsuredHeadcount(
            enterprise=e, year=row.headcount_year, insured_headcount=row.insured_headcount
        )
        for e, row in zip(enterprises, rows, strict=True)
        if row.insured_headcount is not None and row.headcount_year is not None
    ]
    with registry_change([e.pk for e in enterprises if e.pk is not None]):
        InsuredHeadcount.objects.bulk_create(headcounts, batch_size=1000)
    return enterprises


def enterprises_refresh_risk_class(*, industry_codes: list[str] | None = None) -> int:
    """Re-derive the class of enterprises without an override after the table changed."""
    classes = risk_class_map()
    qs = Enterprise.objects.filter(risk_class_is_override=False).select_related("industry")
    if industry_codes:
        from django.db.models import Q

        prefix_q = Q()
        for code in industry_codes:
            prefix_q |= Q(industry__code__startswith=code)
        qs = qs.filter(prefix_q)
    changed = []
    for enterprise in qs.only("id", "risk_class", "industry__code"):
        new = risk_class_from_map(enterprise.industry.code, classes)
        if new != enterprise.risk_class:
            enterprise.risk_class = new
            changed.append(enterprise)
    with registry_change([e.pk for e in changed]):
        Enterprise.objects.bulk_update(changed, ["risk_class"], batch_size=1000)
    return len(changed)
