"""Prevention topics: one vocabulary shared by checklists (hazards), experience halls,
courses and question banks (training) and publicity, so a hazard found can point to the
training that prevents it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    GENERAL_MANAGEMENT = "general_management", _("general safety management")
    METALLURGY = "metallurgy", _("metallurgy")
    NONFERROUS = "nonferrous", _("non-ferrous metals")
    BUILDING_MATERIALS = "building_materials", _("building materials")
    MACHINERY = "machinery", _("machinery")
    LIGHT_INDUSTRY = "light_industry", _("light industry and textiles")
    DUST_EXPLOSION = "dust_explosion", _("combustible dust explosion")
    AMMONIA_REFRIGERATION = "ammonia_refrigeration", _("ammonia refrigeration")
    CONFINED_SPACE = "confined_space", _("confined-space work")
    CHEMICALS = "chemicals", _("hazardous chemicals")
    CONSTRUCTION = "construction", _("building construction")
    FIRE = "fire", _("fire")
    ROAD_TRANSPORT = "road_transport", _("road traffic and transport")
    ELECTRICAL = "electrical", _("electrical safety")
    OCCUPATIONAL_HEALTH = "occupational_health", _("noise, dust and occupational disease")
    WORK_AT_HEIGHT = "work_at_height", _("work at height")
    INJURY_INSURANCE = "injury_insurance", _("injury insurance, recognition and benefits")


# The topic of each checklist in data/checklists.json, by its Chinese title.
CHECKLIST_TOPICS: dict[str, Topic] = {
    "工贸企业通用（管理类）": Topic.GENERAL_MANAGEMENT,
    "冶金企业（钢铁：熔融金属与煤气）": Topic.METALLURGY,
    "有色企业（含铝加工深井铸造）": Topic.NONFERROUS,
    "建材企业": Topic.BUILDING_MATERIALS,
    "机械企业（铸造、涂装、清洗）": Topic.MACHINERY,
    "轻工、纺织、烟草企业": Topic.LIGHT_INDUSTRY,
    "粉尘防爆（工贸企业存在粉尘爆炸危险）": Topic.DUST_EXPLOSION,
    "涉氨制冷（冷库、食品冷加工）": Topic.AMMONIA_REFRIGERATION,
    "有限空间作业": Topic.CONFINED_SPACE,
    "化工和危险化学品生产经营单位": Topic.CHEMICALS,
    "房屋市政工程（一）：施工管理、基坑、模板、脚手架": Topic.CONSTRUCTION,
    "房屋市政工程（二）：起重机械、高处作业、临时用电、有限空间、拆除": Topic.CONSTRUCTION,
    "重大火灾隐患（直接判定要素）": Topic.FIRE,
    "道路运输企业": Topic.ROAD_TRANSPORT,
    "电气安全": Topic.ELECTRICAL,
    "噪声与粉尘（职业病危害防治）": Topic.OCCUPATIONAL_HEALTH,
}

# The topic of each question-bank topic in data/question_bank.json.
QUESTION_TOPICS: dict[str, Topic] = {
    "recognition": Topic.INJURY_INSURANCE,
    "injury_insurance": Topic.INJURY_INSURANCE,
    "disability": Topic.INJURY_INSURANCE,
    "accident_reporting": Topic.INJURY_INSURANCE,
    "occupational_disease": Topic.OCCUPATIONAL_HEALTH,
    "confined_space": Topic.CONFINED_SPACE,
    "fire": Topic.FIRE,
    "electrical": Topic.ELECTRICAL,
    "chemicals": Topic.CHEMICALS,
    "general_safety": Topic.GENERAL_MANAGEMENT,
}
