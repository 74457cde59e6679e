"""The kinds of file the platform imports. Each domain registers one `Importer`.

An importer says which columns it takes (with the header words people use for them),
validates a whole table without writing, and writes a validated table in the caller's
transaction, reporting progress.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.functional import Promise


@dataclass(frozen=True)
class Column:
    name: str
    label: str | Promise
    required: bool = False
    # Header words that map to this column without asking (Chinese and English).
    aliases: tuple[str, ...] = ()
    help: str | Promise = ""


@dataclass
class RowError:
    row: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": str(self.message)}


@dataclass
class Validated:
    """What validation made of a table: the clean rows, or the errors that block the file."""

    rows: list[Any] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)


Progress = Callable[[int], None]


class Importer(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def label(self) -> Any: ...
    @property
    def columns(self) -> list[Column]: ...
    # Which roles may run this import.
    @property
    def roles(self) -> frozenset[Any]: ...

    def validate(
        self, records: list[tuple[int, dict[str, str]]], *, user: Any, options: dict[str, Any]
    ) -> Validated: ...

    # `options` are the user's choices plus "import_job", the id of the job being applied, so
    # what is written can name the file it came from.
    def apply(
        self, validated: Validated, *, user: Any, options: dict[str, Any], progress: Progress
    ) -> dict[str, int]: ...


_IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    _IMPORTERS[importer.kind] = importer
    return importer


def importer_for(kind: str) -> Importer:
    return _IMPORTERS[kind]


def importers() -> list[Importer]:
    return list(_IMPORTERS.values())


def _norm(text: str) -> str:
    return "".join(text.lower().split()).replace("_", "").replace("（", "(").replace("）", ")")


def guess_mapping(columns: list[Column], headers: list[str]) -> dict[str, str]:
    """Target column → file header, by name or alias; unmatched columns are left out."""
    by_norm = {_norm(h): h for h in headers if h}
    mapping: dict[str, str] = {}
    for column in columns:
        for word in (column.name, str(column.label), *column.aliases):
            header = by_norm.get(_norm(word))
            if header is not None:
                mapping[column.name] = header
                break
    return mapping
