from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from yufang.accounts.scoping import ScopePaths, enterprise_work_q, scope_queryset
from yufang.enterprises.models import Enterprise, InsuredHeadcount

ENTERPRISE_PATHS = ScopePaths(city="city", county="county", grid="grid", enterprise="pk")
HEADCOUNT_PATHS = ScopePaths.via_enterprise("enterprise")


@dataclass
class EnterpriseFilter:
    """The filters of the enterprise list; the same names in the URL, the API and exports."""

    q: str = ""
    city: str = ""
    county: str = ""
    township: str = ""
    grid: str = ""
    industry: str = ""
    risk_class: int | None = None
    size: str = ""
    key_industry: bool | None = None

    @classmethod
    def from_params(cls, params: Any) -> EnterpriseFilter:
        def text(name: str) -> str:
            return (params.get(name) or "").strip()

        risk = text("risk_class")
        key = text("key_industry")
        return cls(
            q=text("q"),
            city=text("city"),
            county=text("county"),
            township=text("township"),
            grid=text("grid"),
            industry=text("industry").upper(),
            risk_class=int(risk) if risk.isdigit() else None,
            size=text("size"),
            key_industry={"1": True, "true": True, "0": False, "false": False}.get(key.lower()),
        )

    def apply(self, qs: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
        if self.q:
            qs = qs.filter(Q(name__icontains=self.q) | Q(credit_code__startswith=self.q.upper()))
        if self.city:
            qs = qs.filter(city__code=self.city)
        if self.county:
            qs = qs.filter(county__code=self.county)
        if self.township:
            qs = qs.filter(township__code=self.township)
        if self.grid:
            qs = qs.filter(grid__code=self.grid)
        if self.industry:
            if self.industry.isalpha():
                qs = qs.filter(industry__section=self.industry)
            else:
                qs = qs.filter(industry__code__startswith=self.industry)
        if self.risk_class:
            qs = qs.filter(risk_class=self.risk_class)
        if self.size:
            qs = qs.filter(size=self.size)
        if self.key_industry is not None:
            qs = qs.filter(is_key_industry=self.key_industry)
        return qs


# Enterprises asked for their names in one query: SQLite takes at most 32,766 parameters.
_NAMES_AT_ONCE = 10_000


def enterprise_names(pks: Iterable[int]) -> dict[int, str]:
    """The names of these enterprises, for labels, messages and previews (a rate table by
    enterprise, or a file whose every row names an enterprise not insured that year, asks
    for a hundred thousand)."""
    ids = sorted(set(pks))
    names: dict[int, str] = {}
    for a in range(0, len(ids), _NAMES_AT_ONCE):
        part = ids[a : a + _NAMES_AT_ONCE]
        names.update(Enterprise.objects.filter(pk__in=part).values_list("pk", "name"))
    return names


def enterprises_visible(user: Any) -> QuerySet[Enterprise]:
    return scope_queryset(user, Enterprise.objects.all(), ENTERPRISE_PATHS)


def enterprise_list(user: Any, filters: EnterpriseFilter | None = None) -> QuerySet[Enterprise]:
    qs = enterprises_visible(user).select_related("city", "county", "township", "grid", "industry")
    if filters is not None:
        qs = filters.apply(qs)
    return qs.order_by("name", "id")


def enterprise_get(user: Any, pk: int) -> Enterprise:
    """An enterprise the user may see, or 404 (never a hint that it exists elsewhere)."""
    return get_object_or_404(
        enterprises_visible(user).select_related("city", "county", "township", "grid", "industry"),
        pk=pk,
    )


def headcounts_of(enterprise: Enterprise) -> QuerySet[InsuredHeadcount]:
    return enterprise.headcounts.order_by("-year")


EXPORT_COLUMNS = [
    ("credit_code", "统一社会信用代码"),
    ("name", "企业名称"),
    ("address", "地址"),
    ("city", "市"),
    ("county", "县区代码"),
    ("county_name", "县区"),
    ("township", "乡镇街道代码"),
    ("grid", "网格编码"),
    ("industry", "行业代码"),
    ("industry_name", "行业"),
    ("risk_class", "风险类别"),
    ("size", "规模"),
    ("is_key_industry", "重点行业"),
    ("latitude", "纬度"),
    ("longitude", "经度"),
]


def enterprise_export_rows(qs: QuerySet[Enterprise]) -> Iterator[list[Any]]:
    """Rows in the import layout, so an export can be edited and imported again."""
    for e in qs.iterator(chunk_size=2000):
        yield [
            e.credit_code,
            e.name,
            e.address,
            e.city.name,
            e.county.code,
            e.county.name,
            e.township.code if e.township else "",
            e.grid.code if e.grid else "",
            e.industry.code,
            e.industry.name,
            e.risk_class,
            e.get_size_display(),
            "是" if e.is_key_industry else "否",
            e.latitude,
            e.longitude,
        ]


# The registry's figures count half a million enterprises at province scale (a second and
# more): every home page reads them from the cache, until the registry changes
# (`registry_changed`) or, for writes made behind the services' back, for at most this long.
REGISTRY_FIGURES_SECONDS = 600
REGISTRY_VERSION_KEY = "enterprises:registry-version"


def registry_version() -> str:
    """A token that changes whenever the registry does: part of its cached figures' keys."""
    version = cache.get(REGISTRY_VERSION_KEY)
    if version is None:
        cache.add(REGISTRY_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(REGISTRY_VERSION_KEY)
    return str(version)


def registry_figures_by_area(user: Any, *, by: str) -> list[dict[str, Any]]:
    """Enterprises, key-industry enterprises and insured headcount per city or county.

    `by` is "city" or "county"; the latest year with headcounts counts. Cached per user
    (`REGISTRY_FIGURES_SECONDS`).
    """
    figures = cache.get_or_set(
        f"enterprises:registry-figures:{registry_version()}:{by}:{user.pk}",
        lambda: _registry_figures_by_area(user, by=by),
        REGISTRY_FIGURES_SECONDS,
    )
    return cast(list[dict[str, Any]], figures)


def _registry_figures_by_area(user: Any, *, by: str) -> list[dict[str, Any]]:
    """One query for the enterprises, two for the headcounts."""
    from django.db.models import Count, Max, Sum

    qs = enterprises_visible(user)
    field = "city" if by == "city" else "county"
    rows = {
        r[f"{field}__code"]: r
        for r in qs.values(f"{field}__code", f"{field}__name").annotate(
            enterprises=Count("id"), key_enterprises=Count("id", filter=Q(is_key_industry=True))
        )
    }
    # Scoped through the headcount's own enterprise: `enterprise__in=qs` makes a province
    # official's query test every headcount against every enterprise.
    headcounts = scope_queryset(user, InsuredHeadcount.objects.all(), HEADCOUNT_PATHS)
    latest = headcounts.aggregate(y=Max("year"))["y"]
    insured: dict[str, int] = {}
    if latest:
        insured = {
            r[f"enterprise__{field}__code"]: r["total"]
            for r in headcounts.filter(year=latest)
            .values(f"enterprise__{field}__code")
            .annotate(total=Sum("insured_headcount"))
            .order_by()
        }
    return [
        {
            "code": code,
            "name": r[f"{field}__name"],
            "enterprises": r["enterprises"],
            "key_enterprises": r["key_enterprises"],
            "insured": insured.get(code, 0),
            "year": latest,
        }
        for code, r in sorted(rows.items())
    ]


def enterprise_todos(user: Any) -> list[Any]:
    """What a safety manager should complete in the registry."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from yufang.support.todos import Todo

    if getattr(user, "role", None) != "safety_manager" or not user.enterprise_id:
        return []
    enterprise = user.enterprise
    todos = []
    # Headcounts are the bureau's records (`enterprise_fields_writable`): the enterprise
    # keeps its contact and location details.
    url = reverse("enterprises:enterprise_edit", args=[enterprise.pk])
    if enterprise.latitude is None:
        todos.append(Todo(_("Add the enterprise's location (coordinates)."), url, "info"))
    if not enterprise.contact_phone:
        todos.append(Todo(_("Add the enterprise's contact person and phone."), url, "info"))
    return todos


def enterprises_to_pick(user: Any) -> QuerySet[Enterprise]:
    """The enterprises a user may choose in a form: to assess, report a hazard at, train or
    record a case for (`enterprise_work_q`)."""
    q = enterprise_work_q(user)
    qs = Enterprise.objects.all()
    return qs if q is None else qs.filter(q)


PICK_LIMIT = 10


def enterprise_search(qs: QuerySet[Enterprise], text: str) -> QuerySet[Enterprise]:
    """Enterprises whose name holds `text` or whose credit code starts with it."""
    text = text.strip()
    if not text:
        return qs.none()
    return qs.filter(Q(name__icontains=text) | Q(credit_code__startswith=text.upper())).order_by(
        "name", "id"
    )


def enterprise_resolve(
    qs: QuerySet[Enterprise], text: str
) -> tuple[Enterprise | None, list[Enterprise]]:
    """What a person typed for an enterprise, as one enterprise, or the candidates to choose
    from: an exact credit code, an exact name held by one enterprise, or a fragment that only
    one enterprise's name or code matches."""
    from yufang.lib.identifiers import normalise_credit_code

    text = text.strip()
    if not text:
        return None, []
    by_code = qs.filter(credit_code=normalise_credit_code(text)).first()
    if by_code is not None:
        return by_code, []
    named = list(qs.filter(name=text)[:2])
    if len(named) == 1:
        return named[0], []
    found = list(enterprise_search(qs, text)[: PICK_LIMIT + 1])
    if len(found) == 1:
        return found[0], []
    return None, found[:PICK_LIMIT]


def grid_workers_of(enterprise: Enterprise) -> list[Any]:
    """The active grid workers of the enterprise's grid (its people to call)."""
    from yufang.accounts.models import Role, User

    if enterprise.grid_id is None:
        return []
    return list(
        User.objects.filter(role=Role.GRID_WORKER, grid_id=enterprise.grid_id, is_active=True)
        .only("username", "full_name", "phone")
        .order_by("id")
    )


def history_fields(changes: dict[str, Any]) -> list[str]:
    """The names people read for the fields an audit entry changed (not their code names)."""
    from django.core.exceptions import FieldDoesNotExist

    labels = []
    for key in changes:
        try:
            found = Enterprise._meta.get_field(key.removesuffix("_id"))
            labels.append(str(getattr(found, "verbose_name", key)))
        except FieldDoesNotExist:
            labels.append(key)
    return labels
