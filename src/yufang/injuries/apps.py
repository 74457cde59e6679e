from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InjuriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "yufang.injuries"
    verbose_name = _("Injury cases")

    def ready(self) -> None:
        from yufang.injuries.importers import injury_case_importer, insured_headcount_importer
        from yufang.injuries.selectors import injury_todos
        from yufang.support.import_kinds import register
        from yufang.support.todos import register_todos

        register(injury_case_importer)
        register(insured_headcount_importer)
        register_todos(injury_todos)

        from yufang.enterprises.services import register_headcount_guard, register_registry_watcher
        from yufang.injuries import panels  # noqa: F401 - the enterprise page's injuries panel
        from yufang.injuries.services import headcount_guard, priority_watch, rollup_watch

        register_registry_watcher(rollup_watch)
        register_registry_watcher(priority_watch)
        register_headcount_guard(headcount_guard)
