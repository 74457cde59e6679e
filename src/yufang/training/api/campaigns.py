"""Campaigns, targeting, recommendations and key people."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Status

from yufang.enterprises.selectors import enterprises_visible
from yufang.lib.errors import InvalidInput
from yufang.regions.models import Region
from yufang.support.bounds import Code, Note, Year
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.api.common import (
    router,
)
from yufang.training.api.schemas import (
    CampaignIn,
    CampaignLinkIn,
    CampaignOut,
    CampaignProgressOut,
    KeyPeopleOut,
    RecommendationOut,
    TargetOut,
)


@router.get("/campaigns", response=list[CampaignOut])
def campaigns(request: HttpRequest):  # type: ignore[no-untyped-def]
    return sel.campaigns_visible(request.user)


@router.post("/campaigns", response={201: CampaignOut})
def campaign_new(request: HttpRequest, payload: CampaignIn) -> Status:
    data = payload.dict()
    region = Region.objects.filter(code=data.pop("region")).first()
    if region is None:
        raise InvalidInput({"region": _("Unknown region code.")})
    return Status(201, svc.campaign_create(actor=request.user, region=region, **data))


@router.get("/campaigns/{campaign_id}", response=CampaignProgressOut)
def campaign_detail(request: HttpRequest, campaign_id: int) -> Any:
    campaign = sel.campaign_get(request.user, campaign_id)
    return {"campaign": campaign, **sel.campaign_progress(campaign)}


@router.post("/campaigns/{campaign_id}/links", response=CampaignProgressOut)
def campaign_links(request: HttpRequest, campaign_id: int, payload: CampaignLinkIn) -> Any:
    user: Any = request.user
    campaign = sel.campaign_get(user, campaign_id)
    codes = [c.strip().upper() for c in payload.enterprise_credit_codes]
    found = list(enterprises_visible(user).filter(credit_code__in=codes))
    missing = sorted(set(codes) - {e.credit_code for e in found})
    if missing:
        raise InvalidInput(
            {
                "enterprise_credit_codes": _("Unknown credit codes: %(codes)s")
                % {"codes": ", ".join(missing)}
            }
        )
    svc.campaign_link(
        actor=user,
        campaign=campaign,
        enterprises=found,
        courses=list(sel.courses_visible(user).filter(pk__in=payload.course_ids)),
        sessions=list(sel.sessions_visible(user).filter(pk__in=payload.session_ids)),
    )
    return {"campaign": campaign, **sel.campaign_progress(campaign)}


@router.get("/targeting", response=list[TargetOut])
def targeting(request: HttpRequest, year: Year | None = None) -> Any:
    """Enterprises with open hazards or high on the priority list and no training this year."""
    return [
        {
            "enterprise_id": t.enterprise.pk,
            "name": t.enterprise.name,
            "credit_code": t.enterprise.credit_code,
            "city": t.enterprise.city.code,
            "county": t.enterprise.county.code,
            "open_hazard_topics": t.topics,
            "priority_rank": t.priority_rank,
        }
        for t in sel.training_targets(request.user, year=year)
    ]


@router.get("/recommendations", response=RecommendationOut)
def recommendations(request: HttpRequest, topics: Note = "") -> Any:
    """Courses, halls and upcoming sessions for comma-separated topics (e.g. open hazards)."""
    return sel.recommendations_for(request.user, [t for t in topics.split(",") if t])


@router.get("/key-people", response=KeyPeopleOut)
def key_people(request: HttpRequest, key_role: Code = "") -> Any:
    today = timezone.localdate()
    rows = sel.key_people_hours(request.user, role=key_role)
    return {
        **sel.key_people_coverage(rows, on=today),
        "rows": [
            {
                "trainee_id": r.trainee.pk,
                "name": sel.trainee_shown(request.user, r.trainee).name,
                "enterprise_id": r.trainee.enterprise_id,
                "key_role": r.trainee.key_role,
                "offline_hours": r.offline_hours,
                "online_hours": r.online_hours,
                "meets_rule": r.meets_rule(today),
            }
            for r in rows
        ],
    }
