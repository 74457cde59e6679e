from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "yufang.grid"
    verbose_name = _("Grids")

    def ready(self) -> None:
        from yufang.grid import tasks  # noqa: F401 - declares the periodic schedule
        from yufang.grid.selectors.todos import grid_todos
        from yufang.support.todos import register_todos

        register_todos(grid_todos)
        from yufang.grid.importers import grid_placement_importer
        from yufang.support.import_kinds import register

        register(grid_placement_importer)
        from yufang.enterprises.services import register_registry_watcher
        from yufang.grid.services.placement import registry_watch

        register_registry_watcher(registry_watch)
