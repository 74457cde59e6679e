from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "yufang.council"
    verbose_name = _("Joint meeting")

    def ready(self) -> None:
        from yufang.accounts.models import Role
        from yufang.council import sources, tasks  # noqa: F401 - the schedule and plan sources
        from yufang.council.selectors import council_todos
        from yufang.support.landing import register_landing
        from yufang.support.todos import register_todos

        register_todos(council_todos)
        # The liaison's working day is the joint meeting: its tasks and its remit's data.
        register_landing(Role.DEPARTMENT_LIAISON, "council:index")
