from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from yufang.accounts.scoping import may_write_at
from yufang.imports.registry import Column, Progress, RowError, Validated
from yufang.injuries.services import (
    CASE_WRITERS,
    CaseFields,
    CaseLookups,
    case_clean,
    cases_create_many,
)

BATCH = 5000


class InjuryCaseImporter:
    """Recognised cases in the bureau's own layout; Chinese headers map without asking."""

    kind = "injury_cases"
    label = _lazy("Injury cases")
    roles = CASE_WRITERS
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
        Column("person_name", _lazy("injured person"), True, ("姓名", "职工姓名", "受伤职工")),
        Column("id_number", _lazy("ID number"), True, ("身份证号", "公民身份号码", "身份证号码")),
        Column("accident_date", _lazy("accident date"), True, ("事故时间", "受伤时间", "事故日期")),
        Column(
            "recognition_date",
            _lazy("recognition date"),
            True,
            ("认定时间", "认定日期", "工伤认定日期"),
        ),
        Column(
            "kind",
            _lazy("kind"),
            True,
            ("认定结论", "认定类型", "类型"),
            _lazy("工伤 / 视同工伤 / 职业病 (or work_injury / deemed / occupational_disease)"),
        ),
        Column("occupational_disease", _lazy("occupational disease"), False, ("职业病名称",)),
        Column("is_death", _lazy("death"), False, ("是否死亡", "死亡")),
        Column("disability_grade", _lazy("disability grade"), False, ("伤残等级", "鉴定等级")),
        Column("lost_workdays", _lazy("lost workdays"), False, ("损失工作日", "停工留薪天数")),
        Column(
            "accident_category",
            _lazy("accident category"),
            True,
            ("事故类别", "伤害类别", "事故类型"),
            _lazy("GB 6441 name (物体打击 … 其他伤害) or number 1-20"),
        ),
        Column("body_part", _lazy("body part"), True, ("受伤部位", "伤害部位")),
        Column(
            "payout", _lazy("fund payout"), False, ("基金支付", "基金支付金额", "工伤保险基金支付")
        ),
    ]

    def validate(
        self, records: list[tuple[int, dict[str, str]]], *, user: Any, options: dict[str, Any]
    ) -> Validated:
        lookups = CaseLookups.for_codes(
            (r.get("enterprise", "").strip().upper() for _n, r in records),
            (r.get("case_number", "").strip() for _n, r in records),
        )
        today = timezone.localdate()
        seen: dict[str, int] = {}
        result = Validated()
        allowed: dict[int, bool] = {}
        for number, record in records:
            cleaned = case_clean(record, lookups=lookups, today=today)
            case_number = cleaned.values.get("case_number", "")
            if case_number and case_number in seen:
                cleaned.errors["case_number"] = _("Same case number as row %(row)s.") % {
                    "row": seen[case_number]
                }
            elif case_number:
                seen[case_number] = number
            enterprise = cleaned.values.get("enterprise")
            if enterprise is not None and "enterprise" not in cleaned.errors:
                ok = allowed.get(enterprise.pk)
                if ok is None:
                    ok = allowed[enterprise.pk] = may_write_at(
                        user,
                        city_id=enterprise.city_id,
                        county_id=enterprise.county_id,
                        grid_id=enterprise.grid_id,
                        enterprise_id=enterprise.pk,
                    )
                if not ok:
                    cleaned.errors["enterprise"] = _("Outside the region you may change.")
            if cleaned.errors:
                result.errors.extend(RowError(number, f, m) for f, m in cleaned.errors.items())
                continue
            result.rows.append(cleaned)
            if len(result.preview) < 20:
                v = cleaned.values
                result.preview.append(
                    {
                        "row": number,
                        "case_number": case_number,
                        "enterprise": enterprise.name if enterprise else "",
                        "accident_date": v["accident_date"].isoformat(),
                        "kind": v["kind"],
                        "accident_category": v["accident_category"],
                    }
                )
        result.lookups = lookups  # type: ignore[attr-defined]
        return result

    def apply(
        self, validated: Validated, *, user: Any, options: dict[str, Any], progress: Progress
    ) -> dict[str, int]:
        rows: list[CaseFields] = validated.rows
        lookups: CaseLookups = getattr(validated, "lookups", None) or CaseLookups()
        done = 0
        for start in range(0, len(rows), BATCH):
            done += cases_create_many(actor=user, rows=rows[start : start + BATCH], lookups=lookups)
            progress(done)
        return {"created": done}


injury_case_importer = InjuryCaseImporter()
