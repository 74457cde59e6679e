from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data set's commands: `seed-demo` runs every app's `demo.py` in order
    (`yufang.support.demo`), `demo_accounts` prints the accounts to sign in with."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "yufang.demo"
    verbose_name = _("Demo data")
