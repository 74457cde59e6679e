"""`yufang createadmin` and `yufang createsuperuser` make system administrators."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command, get_commands

from yufang.accounts.management.commands.createsuperuser import Command as CreateSuperuser
from yufang.accounts.models import Role, User
from yufang.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_createadmin_without_input_makes_a_system_administrator(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-admin-password-9")
    call_command("createadmin", "--username", "ops", "--phone", "13800000001", "--noinput")
    admin = User.objects.get(username="ops")
    assert (admin.role, admin.is_staff, admin.is_superuser) == (Role.ADMIN, True, True)
    assert admin.phone == "13800000001"
    assert admin.check_password("a-long-admin-password-9")
    entry = AuditEntry.objects.get(object_id=str(admin.pk), action="create")
    assert entry.reason == "createadmin"


def test_createadmin_without_input_needs_the_password_in_the_environment(monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="DJANGO_SUPERUSER_PASSWORD"):
        call_command("createadmin", "--username", "ops", "--noinput")
    assert not User.objects.filter(username="ops").exists()


def test_createadmin_refuses_a_taken_username(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-admin-password-9")
    call_command("createadmin", "--username", "ops", "--noinput")
    with pytest.raises(CommandError, match="already taken"):
        call_command("createadmin", "--username", "ops", "--noinput")


def test_createadmin_asks_when_interactive(monkeypatch):
    answers = iter(["ops2", ""])
    monkeypatch.setattr("builtins.input", lambda _prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda _prompt: "a-long-admin-password-9")
    call_command("createadmin")
    admin = User.objects.get(username="ops2")
    assert admin.role == Role.ADMIN and admin.phone is None


def test_createsuperuser_gives_the_admin_role(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-admin-password-9")
    call_command(CreateSuperuser(), "--username", "root", "--email", "", "--noinput")
    root = User.objects.get(username="root")
    assert (root.role, root.is_staff, root.is_superuser) == (Role.ADMIN, True, True)


def test_yufang_createsuperuser_is_ours():
    assert get_commands()["createsuperuser"] == "yufang.accounts"
