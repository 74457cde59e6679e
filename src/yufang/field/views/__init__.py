"""The field app's pages: the grid worker's tasks and a task's page, and what makes the app
installable and usable offline (the manifest and the service worker)."""

from yufang.field.views.pages import task, today
from yufang.field.views.pwa import manifest, sw

__all__ = ["manifest", "sw", "task", "today"]
