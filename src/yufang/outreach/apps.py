from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    """Publicity: campaigns and their activities, prize quizzes, contests."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "yufang.outreach"
    verbose_name = _("Publicity and contests")

    def ready(self) -> None:
        from yufang.outreach.selectors import outreach_todos
        from yufang.support.todos import register_todos

        register_todos(outreach_todos)
