from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "yufang.training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from yufang.support.import_kinds import register
        from yufang.support.todos import register_todos
        from yufang.training import tasks  # noqa: F401 - declares the periodic schedule
        from yufang.training.selectors import training_todos

        register_todos(training_todos)
        from yufang.training import panels  # noqa: F401 - the enterprise page's training panel
        from yufang.training.importers import trainee_importer

        register(trainee_importer)
