"""Trainees: their ID numbers (kept as a digest, a masked form and a sealed copy) and key-person roles."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.enterprises.models import Enterprise
from yufang.lib.identifiers import check_id_number, mask_id_number, normalise_id_number
from yufang.lib.protected import id_number_decrypt as id_number_decrypt_token
from yufang.lib.protected import id_number_digest, id_number_encrypt
from yufang.training.models import (
    KeyRole,
    Trainee,
)
from yufang.training.services.common import (
    TrainingInvalid,
)


def id_number_decrypt(trainee: Trainee) -> str:
    if not trainee.id_encrypted:
        return trainee.id_masked
    return id_number_decrypt_token(trainee.id_encrypted)


def clean_id_number(raw: str, *, field_name: str = "id_number") -> str:
    number = normalise_id_number(raw or "")
    result = check_id_number(number, today=timezone.localdate())
    if not result.ok:
        messages = {
            "length": _("An ID number has 18 characters."),
            "characters": _("An ID number has 17 digits and a digit or X."),
            "date": _("The birth date in this ID number is not a real date."),
            "check_digit": _("The check character of this ID number is wrong."),
        }
        raise TrainingInvalid(
            {field_name: messages.get(result.reason, _("Not a valid ID number."))}
        )
    return number


KEY_ROLE_ALIASES = {
    "分管负责人": KeyRole.SAFETY_DEPUTY_HEAD,
    "分管安全负责人": KeyRole.SAFETY_DEPUTY_HEAD,
    "安全分管负责人": KeyRole.SAFETY_DEPUTY_HEAD,
    "安全副总": KeyRole.SAFETY_DEPUTY_HEAD,
    "安全管理人员": KeyRole.SAFETY_OFFICER,
    "专职安全员": KeyRole.SAFETY_OFFICER,
    "兼职安全员": KeyRole.SAFETY_OFFICER,
    "安全员": KeyRole.SAFETY_OFFICER,
    "班组长": KeyRole.TEAM_LEADER,
    "其他": KeyRole.OTHER,
    "其他员工": KeyRole.OTHER,
}


def key_role_of_post(post: str) -> str:
    """The key-person role a post names (关键岗位), or "other": any post is accepted; the three
    key roles of 鲁人社字〔2021〕73号 are only flagged."""
    value = (post or "").strip()
    for choice in KeyRole:
        if value in (choice.value, str(choice.label)):
            return choice.value
    if value in KEY_ROLE_ALIASES:
        return KEY_ROLE_ALIASES[value].value
    return KeyRole.OTHER.value


def clean_key_role(raw: str) -> str:
    """A key-person role given as a role (the API's `key_role`): one of the three, or other."""
    value = (raw or "").strip()
    if not value:
        return KeyRole.OTHER.value
    known = {c.value for c in KeyRole} | {str(c.label) for c in KeyRole} | set(KEY_ROLE_ALIASES)
    if value not in known:
        raise TrainingInvalid(
            {"key_role": _("Unknown key-person role: %(value)s") % {"value": value}}
        )
    return key_role_of_post(value)


def trainee_upsert(
    *,
    actor: Any,
    name: str,
    id_number: str,
    phone: str = "",
    enterprise: Enterprise | None = None,
    key_role: str = "",
    user: Any = None,
    post: str = "",
) -> Trainee:
    """The trainee with this ID number, created or brought up to date."""
    name = (name or "").strip()
    if not name:
        raise TrainingInvalid({"name": _("Enter the trainee's name.")})
    number = clean_id_number(id_number)
    role = clean_key_role(key_role) if key_role else ""
    with transaction.atomic():
        trainee = (
            Trainee.objects.select_for_update().filter(id_digest=id_number_digest(number)).first()
        )
        if trainee is None:
            trainee = Trainee.objects.create(
                name=name[:100],
                id_digest=id_number_digest(number),
                id_masked=mask_id_number(number),
                id_encrypted=id_number_encrypt(number),
                phone=(phone or "").strip()[:20],
                enterprise=enterprise,
                key_role=role or KeyRole.OTHER,
                post=post.strip()[:100],
                user=user,
            )
            audit_create(actor, trainee)
            return trainee
        before = snapshot(trainee)
        trainee.name = name[:100]
        if phone:
            trainee.phone = phone.strip()[:20]
        if enterprise is not None:
            trainee.enterprise = enterprise
        if role:
            trainee.key_role = role
        if post.strip():
            trainee.post = post.strip()[:100]
        if user is not None and trainee.user_id is None:
            trainee.user = user
        trainee.save()
        audit_update(actor, trainee, before)
        return trainee
