from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "yufang.accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        from axes.signals import user_locked_out

        user_locked_out.connect(_lockout_to_audit, dispatch_uid="yufang-lockout-audit")


def _lockout_to_audit(
    sender: object, request: object = None, username: str = "", **_: object
) -> None:
    from yufang.accounts.services import login_lockout_record

    login_lockout_record(request=request, username=username)  # type: ignore[arg-type]
