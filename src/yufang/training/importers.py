"""Import of trainees (an enterprise's key people and other employees) through the generic
import pipeline: validate the whole file, preview, then write all rows or none."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from yufang.accounts.models import Role
from yufang.accounts.scoping import may_change_enterprise
from yufang.enterprises.models import Enterprise
from yufang.lib.identifiers import mask_id_number
from yufang.lib.spreadsheets import SheetLimits
from yufang.support.import_kinds import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    Column,
    Progress,
    RowError,
    Validated,
    apply_each,
)
from yufang.training.models import KeyRole
from yufang.training.services import (
    KEY_ROLE_ALIASES,
    TrainingInvalid,
    clean_id_number,
    key_role_of_post,
    trainee_upsert,
)


class TraineeImporter:
    kind = "training_trainees"
    label = _lazy("Trainees (key people and employees)")
    # An enterprise's people.
    limits = SheetLimits(rows=10_000, columns=MAX_COLUMNS, cell=MAX_CELL_CHARS)
    roles = frozenset(
        {
            Role.PROVINCE_OFFICIAL,
            Role.CITY_OFFICIAL,
            Role.COUNTY_OFFICIAL,
            Role.SAFETY_MANAGER,
            Role.ADMIN,
        }
    )
    columns = [
        Column(
            "credit_code",
            _lazy("unified social credit code"),
            True,
            ("统一社会信用代码", "社会信用代码", "信用代码", "企业信用代码"),
        ),
        Column("name", _lazy("name"), True, ("姓名", "学员姓名")),
        Column("id_number", _lazy("ID number"), True, ("身份证号", "身份证号码", "公民身份号码")),
        Column("phone", _lazy("mobile phone"), False, ("手机号", "手机", "联系电话")),
        Column(
            "key_role",
            _lazy("post"),
            False,
            ("岗位", "关键岗位", "人员类别"),
            accepted=(
                *(c.label for c in KeyRole if c != KeyRole.OTHER),
                *(word for word, role in KEY_ROLE_ALIASES.items() if role != KeyRole.OTHER),
                _lazy("any other post (kept as written, counted as another employee)"),
            ),
            default=KeyRole.OTHER.label,
        ),
    ]

    def validate(
        self, records: list[tuple[int, dict[str, str]]], *, user: Any, options: dict[str, Any]
    ) -> Validated:
        codes = {r.get("credit_code", "").strip().upper() for _n, r in records}
        enterprises = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}
        seen: dict[str, int] = {}
        result = Validated()
        for number, record in records:
            errors: dict[str, str] = {}
            enterprise = enterprises.get(record.get("credit_code", "").strip().upper())
            if enterprise is None:
                errors["credit_code"] = _("No enterprise with this credit code.")
            elif not may_change_enterprise(user, enterprise):
                errors["credit_code"] = _("Outside the enterprises you may change.")
            name = record.get("name", "").strip()
            if not name:
                errors["name"] = _("Enter the trainee's name.")
            id_number = ""
            try:
                id_number = clean_id_number(record.get("id_number", ""))
            except TrainingInvalid as exc:
                errors.update(exc.errors)
            if id_number in seen:
                errors["id_number"] = _("Same ID number as row %(row)s.") % {"row": seen[id_number]}
            elif id_number:
                seen[id_number] = number
            # Any post is accepted; the three key roles are flagged (key_role_of_post).
            post = record.get("key_role", "").strip()[:100]
            key_role = key_role_of_post(post) if post else ""
            if errors:
                result.errors.extend(RowError(number, f, m) for f, m in errors.items())
                continue
            row = {
                "enterprise": enterprise,
                "name": name,
                "id_number": id_number,
                "phone": record.get("phone", "").strip(),
                "key_role": key_role,
                "post": post,
            }
            result.rows.append(row)
            if len(result.preview) < 20:
                result.preview.append(
                    {
                        "row": number,
                        "name": name,
                        "id_number": mask_id_number(id_number),
                        "enterprise": enterprise.name if enterprise else "",
                        "key_role": str(KeyRole(key_role).label)
                        if key_role and key_role != KeyRole.OTHER
                        else post or str(KeyRole.OTHER.label),
                    }
                )
        return result

    def apply(
        self, validated: Validated, *, user: Any, options: dict[str, Any], progress: Progress
    ) -> dict[str, int]:
        done = apply_each(validated.rows, lambda row: trainee_upsert(actor=user, **row), progress)
        return {"trainees": done}


trainee_importer = TraineeImporter()
