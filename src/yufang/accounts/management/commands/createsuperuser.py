"""`yufang createsuperuser`: Django's command, and the account it makes is a system
administrator (role admin). Without the role the superuser would be a worker, whose pages
show nothing to administer."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser

from yufang.accounts.models import Role
from yufang.audit.services import audit_create


class Command(createsuperuser.Command):
    help = "Create a system administrator (role admin, staff, superuser)."

    def handle(self, *args: Any, **options: Any) -> None:
        model = get_user_model()
        before = set(model._default_manager.filter(is_superuser=True).values_list("pk", flat=True))
        super().handle(*args, **options)
        for user in model._default_manager.filter(is_superuser=True).exclude(pk__in=before):
            user.role = Role.ADMIN
            user.is_staff = True
            user.save(update_fields=["role", "is_staff"])
            audit_create(None, user, reason="createsuperuser")
