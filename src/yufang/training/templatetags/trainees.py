"""A trainee's name, ID number and mobile number as the reader may see them
(`selectors.trainee_shown`): `{% load trainees %}{{ e.trainee|trainee_name:user }}`."""

from __future__ import annotations

from typing import Any

from django import template

from yufang.training.models import Trainee
from yufang.training.selectors import trainee_shown

register = template.Library()


@register.filter
def trainee_name(trainee: Trainee, user: Any) -> str:
    return trainee_shown(user, trainee).name


@register.filter
def trainee_id_number(trainee: Trainee, user: Any) -> str:
    return trainee_shown(user, trainee).id_number or ""


@register.filter
def trainee_phone(trainee: Trainee, user: Any) -> str:
    return trainee_shown(user, trainee).phone or ""
