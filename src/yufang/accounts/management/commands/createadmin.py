"""`yufang createadmin`: make a system administrator (role admin, staff, superuser).

Interactive by default; `--username` (and `--phone`) with `--noinput` takes the password
from the environment variable DJANGO_SUPERUSER_PASSWORD, as `createsuperuser` does.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from yufang.accounts.models import Role
from yufang.audit.services import audit_create


class Command(BaseCommand):
    help = "Create a system administrator (role admin, staff, superuser)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Ask nothing; the password comes from DJANGO_SUPERUSER_PASSWORD.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        model = get_user_model()
        username = options["username"].strip()
        phone = options["phone"].strip()
        interactive = options["interactive"]
        if interactive:
            while not username:
                username = input("Username: ").strip()
            if not phone:
                phone = input("Mobile phone (optional): ").strip()
            password = self._ask_password(username)
        else:
            if not username:
                raise CommandError("--username is required with --noinput.")
            password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
            if not password:
                raise CommandError("Set DJANGO_SUPERUSER_PASSWORD to the new account's password.")
        if model._default_manager.filter(username=username).exists():
            raise CommandError(f"The username {username} is already taken.")
        if phone and model._default_manager.filter(phone=phone).exists():
            raise CommandError(f"The phone number {phone} is already taken.")
        candidate = model(username=username, phone=phone or None)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        with transaction.atomic():
            user = model._default_manager.create_superuser(
                username=username, email="", password=password
            )
            user.phone = phone or None
            user.role = Role.ADMIN
            user.is_staff = True
            user.save(update_fields=["phone", "role", "is_staff"])
            # An account made at the shell is in the audit log like one opened on the pages.
            audit_create(None, user, reason="createadmin")
        self.stdout.write(f"System administrator {username} created.")

    def _ask_password(self, username: str) -> str:
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords do not match.")
                continue
            if not password:
                self.stderr.write("The password cannot be empty.")
                continue
            return password
