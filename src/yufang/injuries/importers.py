from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from yufang.enterprises.selectors import enterprise_names
from yufang.imports.registry import Column, Progress, RowError, Validated
from yufang.injuries.services import CASE_WRITERS, cases_check, cases_create_many


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
        batch = cases_check(records, user=user, today=timezone.localdate())
        result = Validated(
            rows=batch.lines, errors=[RowError(row, name, msg) for row, name, msg in batch.errors]
        )
        preview = batch.first_rows(20)
        names = enterprise_names(cleaned.values["enterprise"].pk for cleaned in preview)
        for row, cleaned in zip(batch.lines, preview, strict=False):
            v = cleaned.values
            result.preview.append(
                {
                    "row": row,
                    "case_number": v["case_number"],
                    "enterprise": names[v["enterprise"].pk],
                    "accident_date": v["accident_date"].isoformat(),
                    "kind": v["kind"],
                    "accident_category": v["accident_category"],
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
