"""Who may import which kind of file. Each importer declares the roles that may run it
(`Importer.roles`); these decide from those roles, so the pages, the API and the service ask
the same question, and ask it before a file is read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from yufang.accounts.scoping import can_write

K = TypeVar("K")


def may_import(user: Any, roles: Iterable[Any]) -> bool:
    """Whether the user may run an import open to these roles."""
    return can_write(user) and user.role in set(roles)


def importable(user: Any, importers: Iterable[K]) -> list[K]:
    """The importers (anything with `roles`) the user may run."""
    return [i for i in importers if may_import(user, getattr(i, "roles", ()))]


def require_import(user: Any, roles: Iterable[Any]) -> None:
    if not may_import(user, roles):
        raise PermissionDenied(_("Your role cannot import this kind of file."))
