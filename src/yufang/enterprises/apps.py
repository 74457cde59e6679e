from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "yufang.enterprises"
    verbose_name = _("Enterprises")

    def ready(self) -> None:
        from yufang.enterprises.importers import enterprise_importer
        from yufang.support.import_kinds import register

        register(enterprise_importer)

        from yufang.enterprises.selectors import enterprise_todos
        from yufang.support.todos import register_todos

        register_todos(enterprise_todos)
