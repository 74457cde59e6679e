"""Publicity campaigns and the activities that carry them out, with their reach and photos."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.accounts.scoping.outreach import may_plan_campaign, may_record_activity
from yufang.audit.services import audit_create
from yufang.lib.errors import InvalidInput
from yufang.outreach.models import (
    ActivityKind,
    ActivityPhoto,
    OutreachActivity,
    PublicityCampaign,
)
from yufang.outreach.services import common as c
from yufang.outreach.services import media
from yufang.regions.models import Region

MAX_PHOTOS = 6


def publicity_campaign_create(
    *,
    actor: Any,
    title: str,
    region_code: str,
    starts_on: Any,
    ends_on: Any,
    description: str = "",
) -> PublicityCampaign:
    """A campaign of a city, or of one of its counties (`region_code` names which)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for field, read in (
        ("title", lambda: c.text(title, "title", max_length=200)),
        (
            "description",
            lambda: c.text(description, "description", max_length=5000, required=False),
        ),
        (
            "region",
            lambda: c.region_by_code(region_code, "region", Region.Level.CITY, Region.Level.COUNTY),
        ),
        ("starts_on", lambda: c.date(starts_on, "starts_on")),
        ("ends_on", lambda: c.date(ends_on, "ends_on")),
    ):
        try:
            values[field] = read()
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    if values["ends_on"] < values["starts_on"]:
        raise InvalidInput(_("A campaign ends on or after the day it starts."), "ends_on")
    region: Region = values["region"]
    city_id = int(region.pk if region.level == Region.Level.CITY else region.city_id or 0)
    county_id = region.pk if region.level == Region.Level.COUNTY else None
    if not may_plan_campaign(actor, city_id=city_id, county_id=county_id):
        raise PermissionDenied(_("You may plan campaigns only in your own region."))
    with transaction.atomic():
        campaign = PublicityCampaign.objects.create(
            title=values["title"],
            description=values["description"],
            city_id=city_id,
            county_id=county_id,
            starts_on=values["starts_on"],
            ends_on=values["ends_on"],
            created_by=actor,
        )
        audit_create(actor, campaign)
    return campaign


def outreach_activity_record(
    *,
    actor: Any,
    campaign: PublicityCampaign,
    kind: str,
    title: str,
    held_on: Any,
    place: str = "",
    county_code: str = "",
    enterprise: Any = None,
    people_reached: Any = 0,
    enterprises_reached: Any = 0,
    note: str = "",
    latitude: Any = None,
    longitude: Any = None,
    photos: Sequence[Any] = (),
) -> OutreachActivity:
    """Records an activity of a campaign, often on a phone on site: its reach and photos.
    A grid worker's activity is placed in their grid, an institution's with the institution."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    readers = {
        "kind": lambda: _kind(kind),
        "title": lambda: c.text(title, "title", max_length=200),
        "held_on": lambda: c.date(held_on, "held_on"),
        "place": lambda: c.text(place, "place", max_length=200, required=False),
        "people_reached": lambda: c.integer(people_reached, "people_reached", high=1_000_000),
        "enterprises_reached": lambda: c.integer(
            enterprises_reached, "enterprises_reached", high=100_000
        ),
        "note": lambda: c.text(note, "note", max_length=5000, required=False),
        "latitude": lambda: c.coordinate(latitude, "latitude", 90),
        "longitude": lambda: c.coordinate(longitude, "longitude", 180),
        "county": lambda: _county(campaign, county_code, actor),
    }
    for field, read in readers.items():
        try:
            values[field] = read()
        except InvalidInput as exc:
            errors.update(exc.errors)
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("At most %(n)s photos.") % {"n": MAX_PHOTOS}
    if errors:
        raise InvalidInput(errors)
    held: dt.date = values["held_on"]
    if not campaign.starts_on <= held <= campaign.ends_on:
        raise InvalidInput(
            _("The activity falls outside the campaign (%(start)s to %(end)s).")
            % {"start": campaign.starts_on, "end": campaign.ends_on},
            "held_on",
        )
    county: Region | None = values["county"]
    if not may_record_activity(
        actor, city_id=campaign.city_id, county_id=county.pk if county else None
    ):
        raise PermissionDenied(_("You may record activities only in your own region."))
    if enterprise is not None and enterprise.city_id != campaign.city_id:
        raise InvalidInput(_("The enterprise is not in the campaign's city."), "enterprise")
    prepared = [media.photo_clean(p, field="photos") for p in photos]
    with transaction.atomic():
        activity = OutreachActivity.objects.create(
            campaign=campaign,
            kind=values["kind"],
            title=values["title"],
            held_on=held,
            place=values["place"],
            city_id=campaign.city_id,
            county=county,
            grid_id=actor.grid_id if actor.role == Role.GRID_WORKER else None,
            institution_id=actor.institution_id if actor.role == Role.INSTITUTION_STAFF else None,
            enterprise=enterprise,
            people_reached=values["people_reached"],
            enterprises_reached=values["enterprises_reached"],
            note=values["note"],
            latitude=values["latitude"],
            longitude=values["longitude"],
            recorded_by=actor,
        )
        audit_create(actor, activity)
        for full, thumb, digest in prepared:
            _photo_save(actor, activity, full, thumb, digest)
    return activity


def activity_photo_add(*, actor: Any, activity: OutreachActivity, upload: Any) -> ActivityPhoto:
    if not may_record_activity(actor, city_id=activity.city_id, county_id=activity.county_id):
        raise PermissionDenied(_("You may add photos only to activities in your own region."))
    if activity.photos.count() >= MAX_PHOTOS:
        raise InvalidInput(_("At most %(n)s photos.") % {"n": MAX_PHOTOS}, "photo")
    full, thumb, digest = media.photo_clean(upload, field="photo")
    with transaction.atomic():
        return _photo_save(actor, activity, full, thumb, digest)


def _photo_save(
    actor: Any, activity: OutreachActivity, full: bytes, thumb: bytes, digest: str
) -> ActivityPhoto:
    path, thumb_path = media.store(
        media.Prepared(full, thumb, digest, "JPEG", "jpg", None), folder="activities"
    )
    photo = ActivityPhoto.objects.create(
        activity=activity, image_path=path, thumbnail_path=thumb_path, uploaded_by=actor
    )
    audit_create(actor, photo)
    return photo


def _kind(raw: Any) -> str:
    value = str(raw or "").strip()
    if value not in ActivityKind.values:
        raise InvalidInput(_("Choose a kind of activity from the list."), "kind")
    return value


def _county(campaign: PublicityCampaign, code: Any, actor: Any) -> Region | None:
    """The county an activity was held in: the one given (in the campaign's city), the
    campaign's, the grid worker's grid's, or the county official's own."""
    if campaign.county_id:
        if code and str(code) != campaign.county.code:  # type: ignore[union-attr]
            raise InvalidInput(_("The campaign is held in its own county only."), "county")
        return campaign.county
    if code:
        county = c.region_by_code(code, "county", Region.Level.COUNTY)
        if county.city_id != campaign.city_id:
            raise InvalidInput(_("The county is not in the campaign's city."), "county")
        return county
    if getattr(actor, "role", None) == Role.GRID_WORKER and actor.grid_id:
        return actor.grid.county  # type: ignore[no-any-return]
    if getattr(actor, "role", None) == Role.COUNTY_OFFICIAL and actor.region_id:
        return actor.region  # type: ignore[no-any-return]
    return None
