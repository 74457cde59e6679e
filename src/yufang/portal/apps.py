from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Enterprise self-service: the enterprise's own home, its requests to the bureau, its
    insured roster and its floating premium rate."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "yufang.portal"
    verbose_name = _("Enterprise self-service")
