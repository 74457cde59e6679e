from __future__ import annotations

from bisect import bisect_left
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from typing import Any

from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from yufang.accounts.scoping import may_change_enterprise
from yufang.enterprises.models import Enterprise, InsuredHeadcount
from yufang.enterprises.selectors import enterprise_names
from yufang.injuries.models import (
    ACCIDENT_CATEGORY_NAMES,
    BODY_PART_NAMES,
    AccidentCategory,
    BodyPart,
    CaseKind,
    InjuryCase,
)
from yufang.injuries.services import CASE_WRITERS, cases_check, cases_create_many, exposure_set
from yufang.lib.spreadsheets import SheetLimits
from yufang.support.import_kinds import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    Column,
    Progress,
    RowError,
    Validated,
)


def _shown(cells: dict[str, str], name: str, label: Any) -> str:
    """A coded value for the preview, marked where an empty cell took the default."""
    if cells.get(name, "").strip():
        return str(label)
    return _("%(value)s (default)") % {"value": label}


class InjuryCaseImporter:
    """Recognised cases in the bureau's own layout; Chinese headers map without asking."""

    kind = "injury_cases"
    label = _lazy("Injury cases")
    # A province's recognised cases of a year: 200,000 rows and more, some 120 bytes a row.
    limits = SheetLimits(rows=500_000, columns=MAX_COLUMNS, cell=MAX_CELL_CHARS)
    max_bytes = 80 * 1024 * 1024
    roles = CASE_WRITERS
    # Required: what the analytics need (case number, enterprise, accident and recognition
    # dates). The rest may be left empty and takes the default shown in the preview.
    columns = [
        Column(
            "case_number",
            _lazy("case number"),
            True,
            ("认定书编号", "工伤认定编号", "认定编号", "案件编号", "case_no"),
        ),
        Column(
            "enterprise",
            _lazy("unified social credit code"),
            True,
            ("统一社会信用代码", "单位统一社会信用代码", "社会信用代码", "信用代码", "uscc"),
        ),
        Column(
            "person_name",
            _lazy("injured person"),
            False,
            ("姓名", "职工姓名", "受伤职工"),
            default=_lazy("not given"),
        ),
        Column(
            "id_number",
            _lazy("ID number"),
            False,
            ("身份证号", "公民身份号码", "身份证号码"),
            _lazy("18-character resident ID number"),
            default=_lazy("not given"),
        ),
        Column(
            "accident_date",
            _lazy("accident date"),
            True,
            ("事故时间", "受伤时间", "事故日期"),
            _lazy("a date: 2024-03-01, 2024/3/1 or 20240301"),
        ),
        Column(
            "recognition_date",
            _lazy("recognition date"),
            True,
            ("认定时间", "认定日期", "工伤认定日期"),
            _lazy("a date: 2024-03-01, 2024/3/1 or 20240301"),
        ),
        Column(
            "kind",
            _lazy("kind"),
            False,
            ("认定结论", "认定类型", "类型"),
            # The API's codes (work_injury, deemed, occupational_disease) are read too.
            accepted=("工伤", "认定工伤", "视同工伤", "职业病"),
            default=CaseKind.WORK_INJURY.label,
        ),
        Column(
            "occupational_disease",
            _lazy("occupational disease"),
            False,
            ("职业病名称",),
            _lazy("the disease's name; only for an occupational-disease case"),
        ),
        Column(
            "is_death",
            _lazy("death"),
            False,
            ("是否死亡", "死亡"),
            accepted=("是", "否", "死亡", "1", "0"),
            default=_lazy("no"),
        ),
        Column(
            "disability_grade",
            _lazy("disability grade"),
            False,
            ("伤残等级", "鉴定等级"),
            accepted=tuple(f"{n}级" for n in range(1, 11)),
            default=_lazy("none"),
        ),
        Column(
            "lost_workdays",
            _lazy("lost workdays"),
            False,
            ("损失工作日", "停工留薪天数"),
            _lazy("a whole number of 0 or more"),
        ),
        Column(
            "accident_category",
            _lazy("accident category"),
            False,
            ("事故类别", "伤害类别", "事故类型"),
            accepted=(*ACCIDENT_CATEGORY_NAMES, "01 … 20"),
            default=AccidentCategory.OTHER.label,
        ),
        Column(
            "body_part",
            _lazy("body part"),
            False,
            ("受伤部位", "伤害部位"),
            accepted=tuple(BODY_PART_NAMES),
            default=BodyPart.OTHER.label,
        ),
        Column(
            "payout",
            _lazy("fund payout"),
            False,
            ("基金支付", "基金支付金额", "工伤保险基金支付"),
            _lazy("yuan, e.g. 5000.00"),
            default="0",
        ),
    ]

    def validate(
        self, records: list[tuple[int, dict[str, str]]], *, user: Any, options: dict[str, Any]
    ) -> Validated:
        batch = cases_check(records, user=user, today=timezone.localdate(), optional=True)
        result = Validated(
            rows=batch.lines, errors=[RowError(row, name, msg) for row, name, msg in batch.errors]
        )
        preview = batch.first_rows(20)
        names = enterprise_names(cleaned.values["enterprise"].pk for cleaned in preview)
        for row, cleaned in zip(batch.lines, preview, strict=False):
            v = cleaned.values
            # Rows come in order: the row's cells found by halving, not a pass over the file.
            cells = records[bisect_left(records, row, key=itemgetter(0))][1]
            result.preview.append(
                {
                    "row": row,
                    "case_number": v["case_number"],
                    "enterprise": names[v["enterprise"].pk],
                    "person_name": v["person_name"] or _("not given"),
                    "accident_date": v["accident_date"].isoformat(),
                    "recognition_date": v["recognition_date"].isoformat(),
                    "kind": _shown(cells, "kind", CaseKind(v["kind"]).label),
                    "accident_category": _shown(
                        cells, "accident_category", AccidentCategory(v["accident_category"]).label
                    ),
                    "body_part": _shown(cells, "body_part", BodyPart(v["body_part"]).label),
                }
            )
        result.batch = batch  # type: ignore[attr-defined]
        return result

    def apply(
        self, validated: Validated, *, user: Any, options: dict[str, Any], progress: Progress
    ) -> dict[str, int]:
        created = cases_create_many(
            actor=user,
            batch=validated.batch,  # type: ignore[attr-defined]
            import_job_id=options.get("import_job"),
            progress=progress,
        )
        return {"created": created}


injury_case_importer = InjuryCaseImporter()


_AT_ONCE = 10_000


class InsuredHeadcountImporter:
    """Yearly insured headcounts as the bureau's insurance system exports them: credit code,
    year, insured, hours worked. Written through `exposure_set`, the one writer of headcounts
    and of its rule: a year with cases cannot drop to 0 insured."""

    kind = "insured_headcounts"
    label = _lazy("Insured headcounts")
    # One row per enterprise and year of a city's insurance system.
    limits = SheetLimits(rows=200_000, columns=MAX_COLUMNS, cell=MAX_CELL_CHARS)
    roles = CASE_WRITERS
    columns = [
        Column(
            "credit_code",
            _lazy("unified social credit code"),
            True,
            ("统一社会信用代码", "单位统一社会信用代码", "社会信用代码", "信用代码", "uscc"),
        ),
        Column("year", _lazy("year"), True, ("年度", "参保年度", "统计年度", "year")),
        Column(
            "insured_headcount",
            _lazy("insured headcount"),
            True,
            ("参保人数", "工伤保险参保人数", "在职参保人数", "insured"),
            _lazy("a whole number of 0 or more; 0 only in a year without cases"),
        ),
        Column(
            "hours_worked",
            _lazy("hours worked"),
            False,
            ("工时", "总工时", "实际工作小时数", "hours"),
            default=_lazy("not known (the figure recorded before is kept)"),
        ),
    ]

    def validate(
        self, records: list[tuple[int, dict[str, str]]], *, user: Any, options: dict[str, Any]
    ) -> Validated:
        today = timezone.localdate()
        update_existing = bool(options.get("update_existing"))
        codes = [r.get("credit_code", "").strip().upper() for _n, r in records]
        enterprises: dict[str, Enterprise] = {}
        recorded: dict[tuple[int, int], int] = {}
        # In slices: SQLite takes at most 32,766 parameters in a statement.
        wanted = sorted(set(codes))
        for a in range(0, len(wanted), _AT_ONCE):
            part = {
                e.credit_code: e
                for e in Enterprise.objects.filter(credit_code__in=wanted[a : a + _AT_ONCE])
            }
            enterprises.update(part)
            recorded.update(
                ((eid, year), people)
                for eid, year, people in InsuredHeadcount.objects.filter(
                    enterprise_id__in=[e.pk for e in part.values()]
                ).values_list("enterprise_id", "year", "insured_headcount")
            )
        allowed: dict[int, bool] = {}
        seen: dict[tuple[str, int], int] = {}
        checked: list[tuple[int, Enterprise, int, int, Decimal | None]] = []
        result = Validated()
        for (number, record), code in zip(records, codes, strict=True):
            errors: dict[str, str] = {}
            enterprise = enterprises.get(code)
            if not code:
                errors["credit_code"] = _("The unified social credit code is required.")
            elif enterprise is None:
                errors["credit_code"] = _(
                    "No enterprise with credit code %(code)s is registered."
                ) % {"code": code}
            else:
                if enterprise.pk not in allowed:
                    allowed[enterprise.pk] = may_change_enterprise(user, enterprise)
                if not allowed[enterprise.pk]:
                    errors["credit_code"] = _("Outside the region you may change.")
            year_text = record.get("year", "").strip()
            year = int(year_text) if year_text.isascii() and year_text.isdigit() else 0
            if not 2000 <= year <= today.year:
                errors["year"] = _("Not a valid year: %(value)s") % {"value": year_text}
            people_text = record.get("insured_headcount", "").strip()
            if not (people_text.isascii() and people_text.isdigit()):
                errors["insured_headcount"] = _(
                    "The insured headcount must be a whole number of 0 or more."
                )
            hours: Decimal | None = None
            hours_text = record.get("hours_worked", "").strip().replace(",", "")
            if hours_text:
                try:
                    hours = Decimal(hours_text)
                    if not hours.is_finite() or hours < 0:
                        raise InvalidOperation
                except InvalidOperation:
                    errors["hours_worked"] = _(
                        "Hours worked must be a number of 0 or more: %(value)s"
                    ) % {"value": hours_text}
            if code and "year" not in errors:
                first = seen.setdefault((code, year), number)
                if first != number:
                    errors["year"] = _("Same enterprise and year as row %(row)s.") % {"row": first}
            if enterprise is not None and not errors:
                if (enterprise.pk, year) in recorded and not update_existing:
                    errors["insured_headcount"] = _(
                        "%(year)s already has a headcount. Choose “update headcounts already "
                        "recorded” to change it."
                    ) % {"year": year}
            if errors or enterprise is None:
                result.errors.extend(RowError(number, f, m) for f, m in errors.items())
                continue
            checked.append((number, enterprise, year, int(people_text), hours))
        # The rule of `exposure_set`, asked once for the whole file: a year with cases
        # cannot drop to 0 insured.
        zero = sorted({e.pk for _n, e, _y, people, _h in checked if people == 0})
        with_cases: set[tuple[int, int]] = set()
        for a in range(0, len(zero), _AT_ONCE):
            with_cases.update(
                InjuryCase.objects.filter(enterprise_id__in=zero[a : a + _AT_ONCE])
                .annotate(year=ExtractYear("accident_date"))
                .values_list("enterprise_id", "year")
                .distinct()
            )
        for number, enterprise, year, people, hours in checked:
            if people == 0 and (enterprise.pk, year) in with_cases:
                result.errors.append(
                    RowError(
                        number,
                        "insured_headcount",
                        _("%(year)s has injury cases, so the insured headcount cannot be 0.")
                        % {"year": year},
                    )
                )
                continue
            result.rows.append((enterprise, year, people, hours))
            if len(result.preview) < 20:
                before = recorded.get((enterprise.pk, year))
                result.preview.append(
                    {
                        "row": number,
                        "credit_code": enterprise.credit_code,
                        "enterprise": enterprise.name,
                        "year": year,
                        "insured_headcount": people,
                        "hours_worked": str(hours) if hours is not None else None,
                        "previous": before,
                        "action": _("update") if before is not None else _("create"),
                    }
                )
        return result

    def apply(
        self, validated: Validated, *, user: Any, options: dict[str, Any], progress: Progress
    ) -> dict[str, int]:
        created = updated = 0
        for done, (enterprise, year, people, hours) in enumerate(validated.rows, start=1):
            existed = InsuredHeadcount.objects.filter(enterprise=enterprise, year=year).exists()
            exposure_set(
                actor=user,
                enterprise=enterprise,
                year=year,
                insured_headcount=people,
                hours_worked=hours,
            )
            updated += existed
            created += not existed
            if done % 500 == 0:
                progress(done)
        progress(len(validated.rows))
        return {"created": created, "updated": updated}


insured_headcount_importer = InsuredHeadcountImporter()
