from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseKind(models.TextChoices):
    WORK_INJURY = "work_injury", _("work injury")
    DEEMED = "deemed", _("deemed work injury")
    OCCUPATIONAL_DISEASE = "occupational_disease", _("occupational disease")


# The kinds counted in the injury rate (recognised work injuries and deemed ones).
RATE_KINDS = (CaseKind.WORK_INJURY, CaseKind.DEEMED)


class AccidentCategory(models.TextChoices):
    """The 20 accident categories of GB 6441-86 企业职工伤亡事故分类, in the standard's order."""

    STRUCK_BY_OBJECT = "01", _("struck by object")
    VEHICLE = "02", _("vehicle injury")
    MACHINERY = "03", _("machinery injury")
    LIFTING = "04", _("lifting injury")
    ELECTROCUTION = "05", _("electrocution")
    DROWNING = "06", _("drowning")
    BURN = "07", _("burn or scald")
    FIRE = "08", pgettext_lazy("accident category", "fire")
    FALL_FROM_HEIGHT = "09", _("fall from height")
    COLLAPSE = "10", _("collapse")
    ROOF_FALL = "11", _("roof or rib fall")
    FLOODING = "12", _("water inrush")
    BLASTING = "13", _("blasting")
    EXPLOSIVES = "14", _("explosives explosion")
    GAS_EXPLOSION = "15", _("firedamp explosion")
    BOILER_EXPLOSION = "16", _("boiler explosion")
    VESSEL_EXPLOSION = "17", _("pressure vessel explosion")
    OTHER_EXPLOSION = "18", _("other explosion")
    POISONING = "19", _("poisoning and asphyxiation")
    OTHER = "20", _("other injury")


# The Chinese names of GB 6441-86, used to read the bureau's spreadsheets.
ACCIDENT_CATEGORY_NAMES = {
    "物体打击": "01",
    "车辆伤害": "02",
    "机械伤害": "03",
    "起重伤害": "04",
    "触电": "05",
    "淹溺": "06",
    "灼烫": "07",
    "火灾": "08",
    "高处坠落": "09",
    "坍塌": "10",
    "冒顶片帮": "11",
    "透水": "12",
    "放炮": "13",
    "火药爆炸": "14",
    "瓦斯爆炸": "15",
    "锅炉爆炸": "16",
    "容器爆炸": "17",
    "其它爆炸": "18",
    "其他爆炸": "18",
    "中毒和窒息": "19",
    "中毒窒息": "19",
    "其它伤害": "20",
    "其他伤害": "20",
}


class BodyPart(models.TextChoices):
    HEAD = "head", _("head")
    EYE = "eye", _("eye")
    NECK = "neck", _("neck")
    TRUNK = "trunk", _("trunk")
    UPPER_LIMB = "upper_limb", _("upper limb")
    HAND = "hand", _("hand and fingers")
    LOWER_LIMB = "lower_limb", _("lower limb")
    FOOT = "foot", _("foot and toes")
    MULTIPLE = "multiple", _("multiple parts")
    WHOLE_BODY = "whole_body", _("whole body")
    OTHER = "other", _("other")


BODY_PART_NAMES = {
    "头部": "head",
    "头": "head",
    "眼部": "eye",
    "眼": "eye",
    "颈部": "neck",
    "躯干": "trunk",
    "上肢": "upper_limb",
    "手": "hand",
    "手部": "hand",
    "手指": "hand",
    "下肢": "lower_limb",
    "足": "foot",
    "脚": "foot",
    "足部": "foot",
    "多部位": "multiple",
    "全身": "whole_body",
    "其他": "other",
    "其它": "other",
}


def lost_time(is_death: bool, disability_grade: int | None, lost_workdays: int | None) -> bool:
    """A lost-time injury: death, permanent disability or at least one workday lost."""
    return bool(is_death or disability_grade or (lost_workdays or 0) > 0)


class InjuryCase(models.Model):
    """A recognised work injury (工伤认定) or occupational disease of one person.

    The injured person's ID number is never stored in clear: `id_number_digest` (HMAC) finds
    the same person again, `id_number_encrypted` (AES-GCM) is read only on an audited reveal.
    """

    # Indexes are few on purpose: a yearly file adds hundreds of thousands of cases, and each
    # index costs every insert. The unique number is a constraint (no PostgreSQL LIKE index
    # beside it), the enterprise is served by the (enterprise, accident date) index, and the
    # ID-number digest has none until a page looks a person up by it.
    case_number = models.CharField(_("case number"), max_length=40)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="injury_cases",
        db_index=False,
    )
    person_name = models.CharField(_("injured person"), max_length=60)
    id_number_digest = models.CharField(max_length=64, editable=False)
    id_number_encrypted = models.TextField(editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    accident_date = models.DateField(_("accident date"), db_index=True)
    recognition_date = models.DateField(_("recognition date"))
    kind = models.CharField(
        pgettext_lazy("injury case", "kind"), max_length=24, choices=CaseKind.choices
    )
    occupational_disease = models.CharField(_("occupational disease"), max_length=100, blank=True)
    is_death = models.BooleanField(_("death"), default=False)
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"), null=True, blank=True
    )
    lost_workdays = models.PositiveIntegerField(_("lost workdays"), null=True, blank=True)
    accident_category = models.CharField(
        _("accident category"), max_length=2, choices=AccidentCategory.choices
    )
    body_part = models.CharField(_("body part"), max_length=16, choices=BodyPart.choices)
    payout = models.DecimalField(_("fund payout"), max_digits=12, decimal_places=2, default=0)
    # Who and which file brought the case in: provenance, kept up by Django (SET_NULL) without
    # a database constraint, which PostgreSQL would check once per imported case for the same
    # user and the same file.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The file a case came in with (its row is in the stored file); empty when typed in.
    import_job = models.ForeignKey(
        "imports.ImportJob",
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("injury case")
        verbose_name_plural = _("injury cases")
        ordering = ["-accident_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case_number"], name="injury_case_unique_number"),
            models.CheckConstraint(
                name="injury_case_accident_not_after_recognition",
                condition=Q(accident_date__lte=models.F("recognition_date")),
            ),
            models.CheckConstraint(
                name="injury_case_payout_not_negative", condition=Q(payout__gte=0)
            ),
            models.CheckConstraint(
                name="injury_case_disability_grade_1_to_10",
                condition=Q(disability_grade__isnull=True)
                | Q(disability_grade__gte=1, disability_grade__lte=10),
            ),
            models.CheckConstraint(
                name="injury_case_disease_named_iff_disease",
                condition=(Q(kind="occupational_disease") & ~Q(occupational_disease=""))
                | (~Q(kind="occupational_disease") & Q(occupational_disease="")),
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "accident_date"], name="injury_case_ent_date_idx"),
        ]

    def __str__(self) -> str:
        return self.case_number

    @property
    def person_name_masked(self) -> str:
        """The first character and a fixed mask (张**), which does not tell the name's length:
        what roles that read statistics see."""
        return self.person_name[:1] + "**"

    @property
    def is_lost_time(self) -> bool:
        return lost_time(self.is_death, self.disability_grade, self.lost_workdays)


class RollupDimension(models.TextChoices):
    ALL = "all", _("all")
    SECTION = "section", _("industry section")
    DIVISION = "division", _("industry division")
    RISK_CLASS = "risk_class", _("risk class")
    KEY_INDUSTRY = "key", _("key industry")
    SIZE = "size", _("size")
    CATEGORY = "category", _("accident category")
    # Kept in county cells only (a grid lies in one county): its value is the grid's id, which
    # a grid keeps whatever its code becomes; "" holds the enterprises in no grid.
    GRID = "grid", _("grid")


class InjuryRollup(models.Model):
    """Injury counts and exposure per year, county (and city) and one dimension value.

    Kept by the case and exposure services in their own transaction (`rollup_apply`), so the
    dashboards read a few hundred rows instead of scanning every case and headcount. Rows of
    the `category` dimension carry case counts only (exposure does not split by category);
    the `grid` dimension has county cells only, no city totals.
    """

    year = models.PositiveSmallIntegerField()
    city = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Found through the unique cell index below, which every dashboard query uses.
    county = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # A city total (county = the city itself) beside the county cells, so the province's
    # dashboard sums 16 cities instead of some 140 counties.
    # "county" cells, or "city" totals (county = the city). A text, not a boolean: SQLite
    # cannot use an index for Django's bare boolean test (`WHERE "flag"`).
    level = models.CharField(max_length=6, default="county")
    dimension = models.CharField(max_length=12, choices=RollupDimension.choices)
    value = models.CharField(max_length=12, blank=True)
    cases = models.IntegerField(default=0)
    deaths = models.IntegerField(default=0)
    lost_time = models.IntegerField(default=0)
    disease_cases = models.IntegerField(default=0)
    payout = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    headcount = models.BigIntegerField(default=0)
    hours = models.DecimalField(max_digits=18, decimal_places=1, default=0)
    # Rate cases and lost-time cases of enterprise-years whose hours are known (OSHA, LTIFR).
    hours_cases = models.IntegerField(default=0)
    hours_lost_time = models.IntegerField(default=0)
    # Cases of any kind whose enterprise has no insured headcount for their year: what the
    # officials' to-do asks them to complete, found here instead of by scanning every case.
    cases_without_headcount = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["level", "dimension", "year", "city", "county", "value"],
                name="injury_rollup_unique_cell",
            ),
        ]
        # A city's cells of one dimension (its rates by grid: 7,755 of 226,620 cells at
        # province scale) without reading the whole rollup: 36 ms to 10 ms on PostgreSQL.
        # Counter updates leave these columns alone, so the rollup's upserts stay in place.
        indexes = [
            models.Index(
                fields=["city", "dimension", "level", "year"], name="injury_rollup_city_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.county_id} {self.dimension}={self.value}"


class PriorityRanking(models.Model):
    """The prevention priority ranking of a window (the years up to `year`): from the data as
    it stood at `computed_at`. Case and headcount writes set `changed_at` once they commit, so
    a ranking whose data changed after it was read is stale."""

    year = models.PositiveSmallIntegerField(unique=True)
    window_start = models.PositiveSmallIntegerField()
    computed_at = models.DateTimeField()
    changed_at = models.DateTimeField(null=True, blank=True)
    enterprises = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.window_start}-{self.year}"

    @property
    def is_stale(self) -> bool:
        return self.changed_at is not None and self.changed_at >= self.computed_at


def _region_as_ranked() -> models.ForeignKey[Any, Any]:
    """A region copied from the enterprise: no database constraint, which would be checked
    for two million rows at each recomputation."""
    return models.ForeignKey(
        "regions.Region",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )


class PriorityScore(models.Model):
    """One enterprise's place in the prevention priority ranking of a window: its cases and
    insured person-years over the window, its industry division's rate and its empirical-Bayes
    smoothed rate (rates per person-year; see `priority_rebuild`).

    Computed for the whole province in the background, so a page lists a province's half
    million enterprises by an index instead of fitting the priors on every request.
    """

    ranking = models.ForeignKey(PriorityRanking, on_delete=models.CASCADE, related_name="scores")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    division = models.CharField(max_length=4)
    # The enterprise's city and county when the ranking was computed (a move in the registry
    # marks the rankings stale): a city's list is read from its own index, in rank order,
    # instead of all the city's enterprises joined and sorted for one page.
    city = _region_as_ranked()
    county = _region_as_ranked()
    cases = models.PositiveIntegerField()
    person_years = models.BigIntegerField()
    industry_rate = models.FloatField()
    smoothed_rate = models.FloatField()
    excess_cases = models.FloatField()
    # The industry prior, Gamma(shape, rate) per person-year, that the enterprise's own cases
    # and person-years update: what the page needs to say why it ranks where it does (its
    # posterior interval; the weight of its own data, person-years ÷ (person-years + rate)).
    # A rate of 0 marks a score computed before these were kept.
    prior_shape = models.FloatField(default=0.0)
    prior_rate = models.FloatField(default=0.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "ranking"], name="priority_score_unique_enterprise"
            ),
        ]
        indexes = [
            # The two orders a list is read in, best first.
            models.Index(
                fields=["ranking", "-smoothed_rate", "-excess_cases", "enterprise"],
                name="priority_score_smoothed_idx",
            ),
            models.Index(
                fields=["ranking", "-excess_cases", "-smoothed_rate", "enterprise"],
                name="priority_score_excess_idx",
            ),
            # The same two for a city (a county's few thousand enterprises sort quickly).
            models.Index(
                fields=["ranking", "city", "-smoothed_rate", "-excess_cases", "enterprise"],
                name="priority_score_city_idx",
            ),
            models.Index(
                fields=["ranking", "city", "-excess_cases", "-smoothed_rate", "enterprise"],
                name="priority_score_city_excess_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ranking} {self.enterprise_id}"
