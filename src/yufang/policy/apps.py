from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "yufang.policy"
    label = "policy"
    verbose_name = _("Programme rules")
    default_auto_field = "django.db.models.BigAutoField"
