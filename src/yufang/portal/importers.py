"""The portal's files through the imports app (preview, column mapping, errors by row, all or
nothing, progress): an enterprise's roster changes, and the premiums the bureau's collection
recorded."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy

from yufang.accounts.models import Role
from yufang.accounts.scoping.portal import may_run_rates, may_submit_for
from yufang.enterprises.models import Enterprise
from yufang.lib.errors import InvalidInput
from yufang.lib.spreadsheets import SheetLimits
from yufang.portal.models import PremiumPaid, RosterKind, RosterSource
from yufang.portal.services import (
    RosterInput,
    insured_elsewhere,
    premium_amount,
    premium_set,
    premium_year,
    roster_changes_submit_many,
    roster_rows_check,
)
from yufang.support.import_kinds import (
    MAX_CELL_CHARS,
    Column,
    Progress,
    RowError,
    Validated,
    apply_each,
)

PREVIEW_ROWS = 20


class RosterImporter:
    """An enterprise's insured roster changes (参保人员增减): every row checked, then all sent to
    the bureau as one batch, or none."""

    kind = "portal_roster"
    label = _lazy("Insured roster changes (增减)")
    # One enterprise's people.
    limits = SheetLimits(rows=5000, columns=20, cell=MAX_CELL_CHARS)
    roles = frozenset({Role.SAFETY_MANAGER})
    columns = [
        Column(
            "kind",
            pgettext_lazy("roster file", "change"),
            True,
            ("增减", "类型", "变动类型", "增减类型", "kind", "change"),
            accepted=("增员", "减员", "add", "remove"),
        ),
        Column("person_name", _lazy("name"), True, ("姓名", "name")),
        Column("id_number", _lazy("ID number"), True, ("身份证号", "身份证号码", "公民身份号码")),
        Column(
            "effective_on",
            _lazy("effective on (start of employment for an add)"),
            False,
            ("生效日期", "用工日期", "入职日期", "日期", "date"),
            help=_lazy("YYYY-MM-DD"),
            default=_lazy("today"),
        ),
    ]

    def _enterprise(self, user: Any) -> Enterprise | None:
        enterprise = getattr(user, "enterprise", None)
        return enterprise if enterprise is not None and may_submit_for(user, enterprise) else None

    def validate(
        self, records: list[tuple[int, dict[str, str]]], *, user: Any, options: dict[str, Any]
    ) -> Validated:
        result = Validated()
        enterprise = self._enterprise(user)
        if enterprise is None:
            result.errors.append(
                RowError(0, "file", _("Only the enterprise's own safety manager submits this."))
            )
            return result
        given = [
            (
                number,
                RosterInput(
                    kind=r.get("kind", ""),
                    person_name=r.get("person_name", ""),
                    id_number=r.get("id_number", ""),
                    effective_on=r.get("effective_on", "").strip() or None,
                ),
            )
            for number, r in records
        ]
        cleaned, errors = roster_rows_check(enterprise, given)
        result.errors = [RowError(number, key, message) for number, key, message in errors]
        if result.errors:
            return result
        result.rows = [g for _n, g in given]
        for (number, _g), row in zip(given[:PREVIEW_ROWS], cleaned, strict=False):
            action = str(RosterKind(row.kind).label)
            if row.kind == RosterKind.ADD and (other := insured_elsewhere(enterprise, row.digest)):
                # The bureau sees the flag too; the enterprise sees it before sending.
                action += " · " + _("already insured by %(other)s in this region") % {
                    "other": other
                }
            result.preview.append(
                {
                    "row": number,
                    "action": action,
                    "person_name": row.person_name,
                    "id_number": row.masked,
                    "effective_on": row.effective_on.isoformat(),
                }
            )
        return result

    def apply(
        self, validated: Validated, *, user: Any, options: dict[str, Any], progress: Progress
    ) -> dict[str, int]:
        enterprise = self._enterprise(user)
        if enterprise is None:
            raise InvalidInput(_("Only the enterprise's own safety manager submits this."))
        made = roster_changes_submit_many(
            actor=user, enterprise=enterprise, rows=validated.rows, source=RosterSource.FILE
        )
        progress(len(made))
        return {"roster_changes": len(made)}


class PremiumImporter:
    """Premiums paid per enterprise and year, from the bureau's collection records: each row
    within the official's region, every row checked, all written or none."""

    kind = "portal_premiums"
    label = _lazy("Premiums paid (per enterprise and year)")
    limits = SheetLimits(rows=50_000, columns=20, cell=MAX_CELL_CHARS)
    roles = frozenset(
        {Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.ADMIN}
    )
    columns = [
        Column(
            "credit_code",
            _lazy("unified social credit code"),
            True,
            ("统一社会信用代码", "社会信用代码", "信用代码", "单位代码"),
        ),
        Column("year", _lazy("year"), True, ("年度", "缴费年度", "年份")),
        Column(
            "amount",
            _lazy("premiums paid (yuan)"),
            True,
            ("实缴金额", "缴费金额", "实缴保费", "缴费额", "金额", "amount"),
            help=_lazy("yuan, two decimals at most"),
        ),
    ]

    def validate(
        self, records: list[tuple[int, dict[str, str]]], *, user: Any, options: dict[str, Any]
    ) -> Validated:
        codes = {r.get("credit_code", "").strip().upper() for _n, r in records}
        enterprises = {
            e.credit_code: e
            for e in Enterprise.objects.filter(credit_code__in=codes).select_related("county")
        }
        recorded = {
            (p.enterprise_id, p.year): p.amount
            for p in PremiumPaid.objects.filter(enterprise__credit_code__in=codes)
        }
        seen: dict[tuple[str, int], int] = {}
        result = Validated()
        for number, record in records:
            errors: dict[str, str] = {}
            code = record.get("credit_code", "").strip().upper()
            enterprise = enterprises.get(code)
            if enterprise is None:
                errors["credit_code"] = _("No enterprise with this credit code.")
            elif enterprise.county is None or not may_run_rates(user, enterprise.county):
                errors["credit_code"] = _("This enterprise is outside your region.")
            year = 0
            try:
                year = premium_year(record.get("year", ""))
            except InvalidInput as exc:
                errors.update(exc.errors)
            amount = None
            try:
                amount = premium_amount(record.get("amount", ""))
            except InvalidInput as exc:
                errors.update(exc.errors)
            if code and year:
                first = seen.setdefault((code, year), number)
                if first != number:
                    errors["year"] = _("Same enterprise and year as row %(row)s.") % {"row": first}
            if errors or enterprise is None or amount is None:
                result.errors.extend(RowError(number, f, m) for f, m in errors.items())
                continue
            result.rows.append({"enterprise": enterprise, "year": year, "amount": amount})
            if len(result.preview) < PREVIEW_ROWS:
                before = recorded.get((enterprise.pk, year))
                result.preview.append(
                    {
                        "row": number,
                        "credit_code": f"{enterprise.credit_code} {enterprise.name}",
                        "year": year,
                        "amount": f"{amount:,.2f}",
                        "previous": "" if before is None else f"{before:,.2f}",
                    }
                )
        return result

    def apply(
        self, validated: Validated, *, user: Any, options: dict[str, Any], progress: Progress
    ) -> dict[str, int]:
        done = apply_each(
            validated.rows, lambda row: premium_set(actor=user, **row), progress, every=500
        )
        return {"premiums": done}


roster_importer = RosterImporter()
premium_importer = PremiumImporter()
