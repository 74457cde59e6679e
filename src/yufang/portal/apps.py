from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Enterprise self-service: the enterprise's own home, its requests to the bureau, its
    insured roster and its floating premium rate."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "yufang.portal"
    verbose_name = _("Enterprise self-service")

    def ready(self) -> None:
        from yufang.accounts.models import Role
        from yufang.portal import tasks  # noqa: F401 - declares the periodic schedule
        from yufang.portal.selectors import portal_todos
        from yufang.support.landing import register_landing
        from yufang.support.todos import register_todos

        register_todos(portal_todos)
        from yufang.portal.importers import premium_importer, roster_importer
        from yufang.support.import_kinds import register

        register(roster_importer)
        register(premium_importer)
        register_landing(Role.SAFETY_MANAGER, "portal:home")
