"""Campaigns (百企万人) and the enterprises they target."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from yufang.accounts.scoping import (
    PROVINCE_WIDE_ROLES,
)
from yufang.accounts.scoping.training import may_plan_campaigns
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.enterprises.models import Enterprise
from yufang.regions.models import Region
from yufang.training.models import (
    Campaign,
    Course,
    TrainingSession,
)
from yufang.training.services.common import (
    TrainingInvalid,
)


def campaign_create(
    *,
    actor: Any,
    name: str,
    region: Region,
    starts_on: dt.date,
    ends_on: dt.date,
    target_enterprises: int,
    target_person_times: int,
    description: str = "",
) -> Campaign:
    allowed = may_plan_campaigns(actor) and (
        actor.role in PROVINCE_WIDE_ROLES
        or actor.region_id in (region.pk, region.city_id, region.county_id)
    )
    if not allowed:
        raise PermissionDenied(_("Your role cannot plan campaigns here."))
    errors = {}
    if not name.strip():
        errors["name"] = _("Enter a name.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The campaign must end after it starts.")
    if not 1 <= target_enterprises <= 10**7:
        errors["target_enterprises"] = _("Set a target of at least one enterprise.")
    if not 1 <= target_person_times <= 10**9:
        errors["target_person_times"] = _("Set a target of at least one person-time.")
    if errors:
        raise TrainingInvalid(errors)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name.strip(),
            description=description.strip(),
            region=region,
            city_id=region.pk if region.level == Region.Level.CITY else region.city_id,
            starts_on=starts_on,
            ends_on=ends_on,
            target_enterprises=target_enterprises,
            target_person_times=target_person_times,
        )
        audit_create(actor, campaign)
    return campaign


def _require_campaign_owner(actor: Any, campaign: Campaign) -> None:
    region = campaign.region
    allowed = may_plan_campaigns(actor) and (
        actor.role in PROVINCE_WIDE_ROLES
        or actor.region_id in (region.pk, region.city_id, region.county_id)
    )
    if not allowed:
        raise PermissionDenied(_("Your role cannot change this campaign."))


def campaign_link(
    *,
    actor: Any,
    campaign: Campaign,
    enterprises: Iterable[Enterprise] = (),
    courses: Iterable[Course] = (),
    sessions: Iterable[TrainingSession] = (),
) -> Campaign:
    """Add target enterprises, courses and sessions to a campaign."""
    _require_campaign_owner(actor, campaign)
    enterprises, courses, sessions = list(enterprises), list(courses), list(sessions)
    region = campaign.region
    outside = [
        e.name
        for e in enterprises
        if region.level != Region.Level.PROVINCE and region.pk not in (e.city_id, e.county_id)
    ]
    if outside:
        raise TrainingInvalid(
            {
                "enterprises": _("Outside the campaign's region: %(names)s")
                % {"names": "、".join(outside)}
            }
        )
    with transaction.atomic():
        before = snapshot(campaign)
        campaign.enterprises.add(*enterprises)
        campaign.courses.add(*courses)
        for session in sessions:
            s_before = snapshot(session)
            session.campaign = campaign
            session.save(update_fields=["campaign"])
            audit_update(actor, session, s_before, reason=f"linked to campaign {campaign.pk}")
        audit_update(
            actor,
            campaign,
            before,
            reason=f"linked {len(enterprises)} enterprises, {len(courses)} courses",
        )
    return campaign
