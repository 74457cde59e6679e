from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from yufang import policy
from yufang.accounts.models import Role
from yufang.accounts.scoping import ENTERPRISE_FIELDS, enterprise_fields_writable, may_write_at
from yufang.audit.services import audit_update, snapshot
from yufang.enterprises.models import SIZE_UNKNOWN, Enterprise, EnterpriseSize
from yufang.enterprises.services import (
    EnterpriseFields,
    RegistryLookups,
    enterprise_clean,
    enterprise_refusals,
    enterprises_create_many,
    headcount_set,
    registry_change,
)
from yufang.lib.spreadsheets import SheetLimits
from yufang.support.import_kinds import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    Column,
    Progress,
    RowError,
    Validated,
)

BATCH = 1000


def _in_codes(industry_code: str, codes: list[str]) -> bool:
    """Whether a GB/T 4754 code falls under one of a sector's codes: a prefix ("701") or a
    range of two-digit divisions ("06-46")."""
    for code in codes:
        if "-" in code:
            low, high = code.split("-")
            if low <= industry_code[:2] <= high:
                return True
        elif industry_code.startswith(code):
            return True
    return False


def size_from_headcount(industry_code: str, headcount: int, on: dt.date) -> str | None:
    """The size the national rule gives an enterprise of this industry with this many people,
    where people alone decide it (`enterprise_size_by_headcount`); None where they do not."""
    sectors = policy.value("enterprise_size_by_headcount", on)
    sector = next((s for s in sectors if _in_codes(industry_code, s["codes"])), sectors[-1])
    bounds = sector["employees"]
    if not bounds:
        return None
    if headcount < bounds["small"]:
        return EnterpriseSize.MICRO.value
    if sector.get("other_measure"):
        # Large, medium and small must reach every measure's bound; people alone cannot show it.
        return None
    if headcount >= bounds["large"]:
        return EnterpriseSize.LARGE.value
    if headcount >= bounds["medium"]:
        return EnterpriseSize.MEDIUM.value
    return EnterpriseSize.SMALL.value


def _headcount_year(value: Any, today: dt.date) -> int | None:
    """The year chosen in the form or the API for headcounts without one, or None."""
    text = str(value or "").strip()
    if text.isdigit() and 2000 <= int(text) <= today.year:
        return int(text)
    return None


class EnterpriseImporter:
    kind = "enterprises"
    label = _lazy("Enterprises")
    # A city's registry of enterprises.
    limits = SheetLimits(rows=100_000, columns=MAX_COLUMNS, cell=MAX_CELL_CHARS)
    roles = frozenset(
        {
            Role.PROVINCE_OFFICIAL,
            Role.CITY_OFFICIAL,
            Role.COUNTY_OFFICIAL,
            Role.GRID_WORKER,
            Role.ADMIN,
        }
    )
    columns = [
        Column(
            "credit_code",
            _lazy("unified social credit code"),
            True,
            ("统一社会信用代码", "社会信用代码", "信用代码", "uscc"),
        ),
        Column(
            "credit_code_exception",
            _lazy("reason for accepting a failing credit code"),
            False,
            ("校验位例外理由", "信用代码例外理由"),
        ),
        Column("name", _lazy("name"), True, ("企业名称", "单位名称", "名称", "enterprise")),
        Column("address", _lazy("address"), False, ("地址", "注册地址", "经营地址")),
        Column("contact_person", _lazy("contact person"), False, ("联系人", "安全联系人")),
        Column(
            "contact_phone",
            _lazy("contact phone"),
            False,
            ("联系电话", "联系人电话", "手机号"),
        ),
        Column(
            "county",
            _lazy("county code"),
            True,
            ("县区代码", "区县代码", "县级代码", "county_code"),
            _lazy("6-digit administrative division code (GB/T 2260), e.g. 370211"),
        ),
        Column(
            "township",
            _lazy("township code"),
            False,
            ("乡镇街道代码", "乡镇代码", "township_code"),
            _lazy("9-digit township code in the county, e.g. 370211001"),
        ),
        Column(
            "grid",
            _lazy("grid code"),
            False,
            ("网格编码", "网格代码", "grid_code"),
            _lazy("a grid's code in the township"),
        ),
        Column(
            "industry",
            _lazy("industry code"),
            True,
            ("行业代码", "国民经济行业代码", "industry_code"),
            _lazy("GB/T 4754-2017 code, e.g. 1311"),
        ),
        Column(
            "size",
            _lazy("size"),
            False,
            ("规模", "企业规模"),
            # The English words (large, medium, small, micro) are read too.
            accepted=("大型", "中型", "小型", "微型"),
            default=_lazy(
                "derived from the insured headcount where the national size rule allows it, "
                "else left blank"
            ),
        ),
        Column(
            "risk_class_override",
            _lazy("risk class override"),
            False,
            ("风险类别调整", "调整风险类别"),
            accepted=tuple(str(n) for n in range(1, 9)),
            default=_lazy("the industry's risk class"),
        ),
        Column(
            "risk_class_override_reason",
            _lazy("reason for the risk class override"),
            False,
            ("风险类别调整理由", "调整理由"),
        ),
        Column("latitude", _lazy("latitude"), False, ("纬度", "lat")),
        Column("longitude", _lazy("longitude"), False, ("经度", "lng", "lon")),
        Column(
            "is_key_industry",
            _lazy("key industry"),
            False,
            ("重点行业",),
            accepted=("是", "否", "1", "0"),
            default=_lazy("from the industry"),
        ),
        Column(
            "headcount_year",
            _lazy("headcount year"),
            False,
            ("参保年度", "年度"),
            default=_lazy("the year chosen in the import form"),
        ),
        Column("insured_headcount", _lazy("insured headcount"), False, ("参保人数",)),
    ]

    def validate(
        self, records: list[tuple[int, dict[str, str]]], *, user: Any, options: dict[str, Any]
    ) -> Validated:
        lookups = RegistryLookups(preload=True)
        today = timezone.localdate()
        update_existing = bool(options.get("update_existing"))
        year = _headcount_year(options.get("headcount_year"), today)
        result = Validated()
        unknown_size = {"规模未知", "size unknown", str(SIZE_UNKNOWN)}
        given = records[0][1].keys() if records else set()
        if "insured_headcount" in given and "headcount_year" not in given and year is None:
            # A headcount is a year's: never guess the year.
            result.errors.append(
                RowError(
                    0,
                    "headcount_year",
                    _(
                        "The file gives insured headcounts but no year: add a year column or "
                        "choose the year in the import form."
                    ),
                )
            )
            return result
        codes = [r.get("credit_code", "").strip().upper() for _n, r in records]
        counties: dict[str, int] = {}
        overridden: set[str] = set()
        existing: dict[str, int] = {}
        for credit_code, pk, county_id, override in Enterprise.objects.filter(
            credit_code__in=codes
        ).values_list("credit_code", "pk", "county_id", "risk_class_is_override"):
            existing[credit_code] = pk
            counties[credit_code] = county_id
            if override:
                overridden.add(credit_code)
        # A role that may not write every field (a grid worker) has each row asked which of
        # its fields it may not set, against the enterprise as registered for an update.
        limited = (
            enterprise_fields_writable(user, creating=True) != ENTERPRISE_FIELDS
            or enterprise_fields_writable(user) != ENTERPRISE_FIELDS
        )
        registered = (
            {
                e.credit_code: e
                for e in Enterprise.objects.filter(credit_code__in=existing).select_related(
                    "county", "township", "grid", "industry"
                )
            }
            if limited
            else {}
        )
        seen: dict[str, int] = {}
        for number, record in records:
            count_raw = record.get("insured_headcount", "").strip()
            year_missing = bool(count_raw) and not record.get("headcount_year", "").strip()
            if year_missing and year is not None:
                record = {**record, "headcount_year": str(year)}
            size_raw = record.get("size", "").strip()
            if size_raw in unknown_size:
                # An export's "size unknown" reads as a blank size.
                size_raw = ""
                record = {**record, "size": ""}
            cleaned = enterprise_clean(record, lookups=lookups)
            if year_missing and year is None:
                cleaned.errors["headcount_year"] = _(
                    "The insured headcount has no year: fill in the year or choose it in the "
                    "import form."
                )
            code = cleaned.values.get("credit_code", "")
            derived = False
            if not size_raw:
                cleaned.errors.pop("size", None)
                size = (
                    size_from_headcount(
                        record.get("industry", "").strip().upper(),
                        cleaned.insured_headcount,
                        today,
                    )
                    if cleaned.insured_headcount is not None
                    else None
                )
                derived = size is not None
                if size is None and existing.get(code):
                    # An update without a size keeps the size registered.
                    cleaned.values.pop("size", None)
                else:
                    cleaned.values["size"] = size or ""
            if limited:
                # A blank size is no change: the registered one is kept.
                asked = {k: v for k, v in record.items() if k != "size" or size_raw}
                refusals = enterprise_refusals(
                    actor=user, data=asked, enterprise=registered.get(code), lookups=lookups
                )
                for name, message in refusals.items():
                    cleaned.errors.setdefault(name, message)
            if code and code in seen:
                cleaned.errors["credit_code"] = _("Same credit code as row %(row)s.") % {
                    "row": seen[code]
                }
            elif code:
                seen[code] = number
            if code in existing and not update_existing:
                cleaned.errors.setdefault(
                    "credit_code",
                    _("Already registered. Choose “update existing enterprises” to change it."),
                )
            if not cleaned.errors and not may_write_at(
                user,
                city_id=cleaned.values.get("city_id"),
                county_id=cleaned.values.get("county_id"),
                grid_id=cleaned.values.get("grid_id"),
            ):
                cleaned.errors["county"] = _("Outside the region you may change.")
            if cleaned.errors:
                result.errors.extend(RowError(number, f, m) for f, m in cleaned.errors.items())
                continue
            if existing.get(code):
                _keep_what_the_file_leaves_out(
                    cleaned.values,
                    given,
                    same_county=counties[code] == cleaned.values["county_id"],
                    overridden=code in overridden,
                )
            cleaned.values["_existing_pk"] = existing.get(code)
            result.rows.append(cleaned)
            if len(result.preview) < 20:
                result.preview.append(
                    {
                        "row": number,
                        "credit_code": code,
                        "name": cleaned.values["name"],
                        "county": record.get("county", ""),
                        "industry": record.get("industry", ""),
                        "risk_class": cleaned.values.get("risk_class"),
                        "size": (
                            _size_shown(cleaned.values["size"], derived=derived)
                            if "size" in cleaned.values
                            else _("unchanged")
                        ),
                        "insured_headcount": cleaned.insured_headcount,
                        "headcount_year": cleaned.headcount_year,
                        "action": _("update") if existing.get(code) else _("create"),
                    }
                )
        return result

    def apply(
        self, validated: Validated, *, user: Any, options: dict[str, Any], progress: Progress
    ) -> dict[str, int]:
        rows: list[EnterpriseFields] = validated.rows
        new = [r for r in rows if r.values.get("_existing_pk") is None]
        old = [r for r in rows if r.values.get("_existing_pk") is not None]
        for r in new:
            r.values.pop("_existing_pk", None)
        done = 0
        for start in range(0, len(new), BATCH):
            enterprises_create_many(actor=user, rows=new[start : start + BATCH])
            done += len(new[start : start + BATCH])
            progress(done)
        for r in old:
            pk = r.values.pop("_existing_pk")
            enterprise = Enterprise.objects.get(pk=pk)
            before = snapshot(enterprise)
            for key, value in r.values.items():
                setattr(enterprise, key, value)
            with registry_change([enterprise.pk]):
                enterprise.save()
            audit_update(user, enterprise, before, reason="import")
            if r.insured_headcount is not None and r.headcount_year is not None:
                headcount_set(
                    actor=user,
                    enterprise=enterprise,
                    year=r.headcount_year,
                    insured_headcount=r.insured_headcount,
                )
            done += 1
            if done % BATCH == 0:
                progress(done)
        progress(done)
        return {"created": len(new), "updated": len(old)}


# The values an enterprise's columns give (see `enterprise_clean`), for the columns an
# update keeps when the file has no such column.
_VALUES_OF_COLUMN = {
    "address": ("address",),
    "contact_person": ("contact_person",),
    "contact_phone": ("contact_phone",),
    "latitude": ("latitude",),
    "longitude": ("longitude",),
    "credit_code_exception": ("credit_code_exception",),
    "is_key_industry": ("is_key_industry",),
}


def _keep_what_the_file_leaves_out(
    values: dict[str, Any], given: Any, *, same_county: bool, overridden: bool
) -> None:
    """An update changes what the file says, not what it has no column for: a bureau's file
    without contact, coordinates or grids keeps those the registry holds (a grid worker's
    work). The township and grid are kept only within the same county, an official's risk
    class override unless the file has the column."""
    for column, names in _VALUES_OF_COLUMN.items():
        if column not in given:
            for name in names:
                values.pop(name, None)
    if overridden and "risk_class_override" not in given:
        for name in ("risk_class", "risk_class_is_override", "risk_class_override_reason"):
            values.pop(name, None)
    if same_county and "township" not in given and "grid" not in given:
        values.pop("township_id", None)
        values.pop("grid_id", None)


def _size_shown(size: str | None, *, derived: bool) -> str:
    if not size:
        return _("not known")
    label = str(EnterpriseSize(size).label)
    return (
        _("%(size)s (derived from the insured headcount)") % {"size": label} if derived else label
    )


enterprise_importer = EnterpriseImporter()
