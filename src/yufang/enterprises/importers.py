from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from yufang.accounts.models import Role
from yufang.accounts.scoping import may_write_at
from yufang.audit.services import audit_update, snapshot
from yufang.enterprises.models import Enterprise
from yufang.enterprises.services import (
    EnterpriseFields,
    RegistryLookups,
    enterprise_clean,
    enterprises_create_many,
    headcount_set,
    registry_change,
)
from yufang.imports.registry import Column, Progress, RowError, Validated

BATCH = 1000


class EnterpriseImporter:
    kind = "enterprises"
    label = _lazy("Enterprises")
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
        Column(
            "county",
            _lazy("county code"),
            True,
            ("县区代码", "区县代码", "县级代码", "county_code"),
        ),
        Column(
            "township", _lazy("township code"), False, ("乡镇街道代码", "乡镇代码", "township_code")
        ),
        Column("grid", _lazy("grid code"), False, ("网格编码", "网格代码", "grid_code")),
        Column(
            "industry",
            _lazy("industry code"),
            True,
            ("行业代码", "国民经济行业代码", "industry_code"),
        ),
        Column("size", _lazy("size"), True, ("规模", "企业规模")),
        Column(
            "risk_class_override",
            _lazy("risk class override"),
            False,
            ("风险类别调整", "调整风险类别"),
        ),
        Column(
            "risk_class_override_reason",
            _lazy("reason for the risk class override"),
            False,
            ("风险类别调整理由", "调整理由"),
        ),
        Column("latitude", _lazy("latitude"), False, ("纬度", "lat")),
        Column("longitude", _lazy("longitude"), False, ("经度", "lng", "lon")),
        Column("is_key_industry", _lazy("key industry"), False, ("重点行业",)),
        Column("headcount_year", _lazy("headcount year"), False, ("参保年度", "年度")),
        Column("insured_headcount", _lazy("insured headcount"), False, ("参保人数",)),
    ]

    def validate(
        self, records: list[tuple[int, dict[str, str]]], *, user: Any, options: dict[str, Any]
    ) -> Validated:
        lookups = RegistryLookups(preload=True)
        update_existing = bool(options.get("update_existing"))
        codes = [r.get("credit_code", "").strip().upper() for _n, r in records]
        existing = dict(
            Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", "pk")
        )
        seen: dict[str, int] = {}
        result = Validated()
        for number, record in records:
            cleaned = enterprise_clean(record, lookups=lookups)
            code = cleaned.values.get("credit_code", "")
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


enterprise_importer = EnterpriseImporter()
