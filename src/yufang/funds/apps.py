from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "yufang.funds"
    verbose_name = _("Prevention fee")

    def ready(self) -> None:
        from yufang.funds import tasks  # noqa: F401 - declares the periodic schedule
        from yufang.funds.selectors import fee_todos
        from yufang.support.todos import register_todos

        register_todos(fee_todos)
