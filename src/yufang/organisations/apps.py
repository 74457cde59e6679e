from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    """The organisations accounts bind to: service institutions and member departments."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "yufang.organisations"
    verbose_name = _("Organisations")
