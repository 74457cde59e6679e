"""Importing the yearly data exchange: a CSV or Excel file of figures per region, kind and
year, written all or nothing; each error names the row it is on."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.models import Role
from yufang.accounts.scoping.council import may_exchange_data
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.council.models import ExchangeFigure, ExchangeKind
from yufang.council.selectors.exchange import KIND_ZH, exchange_regions
from yufang.council.services.common import CouncilInvalid
from yufang.lib.spreadsheets import SheetLimits, SpreadsheetError, read_table
from yufang.regions.models import Region

MAX_ROWS = 2000
COLUMNS = {
    "区划代码": "region",
    "年度": "year",
    "类别": "kind",
    "起数": "cases",
    "死亡人数": "deaths",
    "备注": "note",
}
KIND_BY_TEXT = {**{v: k for k, v in KIND_ZH.items()}, **{k.value: k for k in ExchangeKind}}


def _count(text: str, field: str, number: int) -> int:
    text = text.strip() or ("0" if field == "deaths" else "")
    if not text.isdigit() or len(text) > 9:
        raise CouncilInvalid(
            _("Row %(row)s: %(column)s must be a whole number.")
            % {"row": number, "column": {"cases": "起数", "deaths": "死亡人数"}[field]},
            f"row {number}",
        )
    return int(text)


def exchange_import(*, actor: Any, region: Region, data: bytes) -> int:
    """Imports figures for the counties of `region` (or the region itself). HRSS officials
    import any kind; a liaison only the kinds its department supplies (`council_data_exchange`).
    Nothing is written when any row is wrong."""
    if not may_exchange_data(actor, region_id=region.pk):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(
            _("Only the region's officials and the health and emergency liaisons exchange data.")
        )
    if not data:
        raise CouncilInvalid(_("Choose a file."), "file")
    try:
        table = read_table(data, limits=SheetLimits(rows=MAX_ROWS, columns=20, cell=300))
    except SpreadsheetError as exc:
        raise CouncilInvalid(str(exc), "file") from exc
    missing = [c for c in ("区划代码", "年度", "类别", "起数") if c not in table.headers]
    if missing:
        raise CouncilInvalid(
            _("The file lacks the columns: %(columns)s.") % {"columns": "、".join(missing)}, "file"
        )
    today = timezone.localdate()
    suppliers = {
        row["kind"]: row["supplier"] for row in policy.value("council_data_exchange", today)
    }
    own = actor.department.code if actor.role == Role.DEPARTMENT_LIAISON else None
    allowed = {r.code: r for r in exchange_regions(region)}
    errors: dict[str, str] = {}
    parsed: dict[tuple[int, int, str], dict[str, Any]] = {}
    for number, cells in table.rows:
        try:
            code = cells.get("区划代码", "").strip()
            if code not in allowed:
                raise CouncilInvalid(
                    _("Row %(row)s: %(code)s is not a region of %(region)s.")
                    % {"row": number, "code": code[:12] or "—", "region": region.name},
                    f"row {number}",
                )
            year_text = cells.get("年度", "").strip()
            if not year_text.isdigit() or not 2000 <= int(year_text) <= today.year:
                raise CouncilInvalid(
                    _("Row %(row)s: the year must be between 2000 and this year.")
                    % {"row": number},
                    f"row {number}",
                )
            kind = KIND_BY_TEXT.get(cells.get("类别", "").strip())
            if kind is None or kind == ExchangeKind.INJURY_RECOGNITION:
                raise CouncilInvalid(
                    _(
                        "Row %(row)s: the kind must be 职业病报告 or 生产安全事故 (injury recognitions come from the platform)."
                    )
                    % {"row": number},
                    f"row {number}",
                )
            supplier = suppliers.get(kind.value, "")
            if own is not None and own != supplier:
                raise CouncilInvalid(
                    _("Row %(row)s: your department does not supply %(kind)s.")
                    % {"row": number, "kind": KIND_ZH[kind]},
                    f"row {number}",
                )
            cases = _count(cells.get("起数", ""), "cases", number)
            deaths = _count(cells.get("死亡人数", ""), "deaths", number)
            key = (allowed[code].pk, int(year_text), kind.value)
            if key in parsed:
                raise CouncilInvalid(
                    _("Row %(row)s repeats an earlier row's region, year and kind.")
                    % {"row": number},
                    f"row {number}",
                )
            parsed[key] = {
                "source": supplier,
                "cases": cases,
                "deaths": deaths,
                "note": cells.get("备注", "").strip()[:300],
            }
        except CouncilInvalid as exc:
            errors.update(exc.errors)
    if errors:
        raise CouncilInvalid(errors)
    if not parsed:
        raise CouncilInvalid(_("The file has no rows."), "file")
    with transaction.atomic():
        for (region_id, year, kind_code), values in parsed.items():
            source = values.pop("source")
            figure = (
                ExchangeFigure.objects.select_for_update()
                .filter(region_id=region_id, year=year, kind=kind_code, source=source)
                .first()
            )
            if figure is None:
                figure = ExchangeFigure.objects.create(
                    region_id=region_id,
                    year=year,
                    kind=kind_code,
                    source=source,
                    imported_by=actor,
                    **values,
                )
                audit_create(actor, figure, reason="data exchange import")
                continue
            before = snapshot(figure)
            for field, value in values.items():
                setattr(figure, field, value)
            figure.imported_by = actor
            figure.save()
            audit_update(actor, figure, before, reason="data exchange import")
    return len(parsed)
