"""Checklists: the seeded national checklists, and each edit saved as a new version."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from yufang.accounts.scoping.hazards import CHECKLIST_EDITORS
from yufang.audit.services import audit_create
from yufang.hazards.models import (
    Checklist,
    ChecklistItem,
)
from yufang.hazards.services.core import (
    HazardInvalid,
)
from yufang.support.topics import CHECKLIST_TOPICS, Topic

CHECKLISTS_FILE = Path(__file__).resolve().parents[2] / "data" / "checklists.json"


# Version 1 of every seeded checklist: the date of 应急管理部令第10号 (工贸企业重大事故隐患判定
# 标准) coming into force, the newest national standard the seed items are built on.
SEED_EFFECTIVE_FROM = dt.date(2023, 5, 15)


def _topic_of(title: str) -> Topic:
    try:
        return CHECKLIST_TOPICS[title]
    except KeyError as exc:
        raise HazardInvalid(
            _("No prevention topic is known for the checklist %(title)s.") % {"title": title}
        ) from exc


def _seed_note() -> str:
    # A record, not a page: written in the platform's language.
    with translation.override(settings.LANGUAGE_CODE):
        return str(_("First version, from the national major-hazard standards"))


def checklists_import(*, path: Path = CHECKLISTS_FILE, actor: Any = None) -> int:
    """Loads the seed checklists as version 1 of each; checklists already there are left as
    they are, so running it again changes nothing. Returns how many were created."""
    data = json.loads(path.read_text(encoding="utf-8"))
    created = 0
    with transaction.atomic():
        for index, block in enumerate(data, start=1):
            key = f"T{index:02d}"
            if Checklist.objects.filter(key=key).exists():
                continue
            checklist = Checklist.objects.create(
                key=key,
                version=1,
                title=block["topic"],
                title_en=block.get("topic_en", ""),
                topic=_topic_of(block["topic"]),
                effective_from=SEED_EFFECTIVE_FROM,
                change_note=_seed_note(),
                created_by=actor,
            )
            ChecklistItem.objects.bulk_create(
                ChecklistItem(
                    checklist=checklist,
                    number=n,
                    text=item["text"],
                    legal_basis=item.get("basis", ""),
                    is_major=bool(item.get("major")),
                    is_confirmed=bool(item.get("confirmed", True)),
                )
                for n, item in enumerate(block["items"], start=1)
            )
            audit_create(actor, checklist, reason="checklists_import")
            created += 1
    return created


# An item is a sentence or two of a national standard, and its legal basis a citation.
ITEM_TEXT_MAX = 2000


@dataclass
class ItemInput:
    text: str
    legal_basis: str = ""
    is_major: bool = False
    is_confirmed: bool = True


def checklist_revise(
    *,
    actor: Any,
    checklist: Checklist,
    items: Sequence[ItemInput],
    effective_from: dt.date,
    change_note: str,
    title: str | None = None,
) -> Checklist:
    """Saves an edited checklist as a new version; assessments keep the version they used."""
    if getattr(actor, "role", None) not in CHECKLIST_EDITORS:
        raise PermissionDenied(_("Only province and city officials may edit checklists."))
    errors: dict[str, str] = {}
    if not change_note.strip():
        errors["change_note"] = _("Say what changed in this version.")
    elif len(change_note.strip()) > 500:
        errors["change_note"] = _("The note is longer than 500 characters.")
    if title is not None and not 0 < len(title.strip()) <= 200:
        errors["title"] = _("A title has 1 to 200 characters.")
    if not items:
        errors["items"] = _("A checklist needs at least one item.")
    for n, item in enumerate(items, start=1):
        if not item.text.strip():
            errors[f"items.{n}"] = _("Item %(n)s has no text.") % {"n": n}
        elif (
            len(item.text.strip()) > ITEM_TEXT_MAX or len(item.legal_basis.strip()) > ITEM_TEXT_MAX
        ):
            errors[f"items.{n}"] = _(
                "Item %(n)s: its text or legal basis is longer than %(max)s characters."
            ) % {"n": n, "max": ITEM_TEXT_MAX}
    latest = Checklist.objects.filter(key=checklist.key).order_by("-version").first() or checklist
    if effective_from < latest.effective_from:
        errors["effective_from"] = _(
            "A new version cannot take effect before the current one (%(date)s)."
        ) % {"date": latest.effective_from.isoformat()}
    if errors:
        raise HazardInvalid(errors)
    with transaction.atomic():
        new = Checklist.objects.create(
            key=checklist.key,
            version=latest.version + 1,
            title=(title or latest.title).strip(),
            title_en=latest.title_en,
            topic=latest.topic,
            effective_from=effective_from,
            change_note=change_note.strip(),
            created_by=actor,
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                checklist=new,
                number=n,
                text=item.text.strip(),
                legal_basis=item.legal_basis.strip(),
                is_major=item.is_major,
                is_confirmed=item.is_confirmed,
            )
            for n, item in enumerate(items, start=1)
        )
        audit_create(actor, new, reason=change_note)
    return new


def checklist_in_force(key: str, on: dt.date) -> Checklist | None:
    return Checklist.objects.filter(key=key, effective_from__lte=on).order_by("-version").first()
