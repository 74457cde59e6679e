"""The kinds of file the platform imports. Each domain registers one `Importer`.

An importer says which columns it takes (with the header words people use for them),
validates a whole table without writing, and writes a validated table in the caller's
transaction, reporting progress.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.utils.functional import Promise

from yufang.lib.spreadsheets import SheetLimits

# What any kind of import takes unless it says otherwise (`Importer.limits`): columns and
# characters in a cell are the same for all; rows are the kind's own (a registry, a year's
# cases).
MAX_COLUMNS = 100
MAX_CELL_CHARS = 1000
DEFAULT_LIMITS = SheetLimits(rows=50_000, columns=MAX_COLUMNS, cell=MAX_CELL_CHARS)


@dataclass(frozen=True)
class Column:
    name: str
    label: str | Promise
    required: bool = False
    # Header words that map to this column without asking (Chinese and English).
    aliases: tuple[str, ...] = ()
    help: str | Promise = ""
    # The values a coded column accepts (shown on the import page and in the template).
    accepted: tuple[str | Promise, ...] = ()
    # What an empty cell of an optional column becomes (shown in the preview).
    default: str | Promise = ""


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


def apply_each(
    rows: list[Any], write: Callable[[Any], object], progress: Progress, *, every: int = 200
) -> int:
    """Writes checked rows one by one through a module's service (`write(row)`), telling the
    job's progress every `every` rows and at the end; the number written. For importers whose
    rows each go through a service with its own rules, not a bulk insert."""
    done = 0
    for row in rows:
        write(row)
        done += 1
        if done % every == 0:
            progress(done)
    progress(done)
    return done


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


def limits_for(importer: Importer) -> SheetLimits:
    """The rows, columns and characters a file of this kind may have (an importer's
    `limits` attribute, else `DEFAULT_LIMITS`)."""
    limits = getattr(importer, "limits", None)
    return limits if isinstance(limits, SheetLimits) else DEFAULT_LIMITS


def max_bytes_for(importer: Importer) -> int:
    """The largest file of this kind: the importer's `max_bytes` (a year's case file is
    larger than other files), else the IMPORT_MAX_BYTES setting."""
    return int(getattr(importer, "max_bytes", None) or settings.IMPORT_MAX_BYTES)


def register(importer: Importer) -> Importer:
    _IMPORTERS[importer.kind] = importer
    return importer


def importer_for(kind: str) -> Importer:
    return _IMPORTERS[kind]


def importers() -> list[Importer]:
    return list(_IMPORTERS.values())


# Words a bureau's headers add around a column's name ("所在区县代码" is the county).
_HEADER_NOISE = ("所在", "所属", "代码", "编码", "名称")
_CODE_WORDS = ("代码", "编码", "code")


def _norm(text: str) -> str:
    """A header as typed, without case, spaces, underscores or full-width forms."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split()).replace("_", "")


def header_words(text: str) -> str:
    """A header's words: `_norm`, then 所在/所属/代码/编码/名称 dropped."""
    text = _norm(text)
    for noise in _HEADER_NOISE:
        text = text.replace(noise, "")
    return text


def _says_code(text: str) -> bool:
    return any(word in _norm(text) for word in _CODE_WORDS)


def _says_name(text: str) -> bool:
    return "名称" in text and not _says_code(text)


def guess_mapping(columns: list[Column], headers: list[str]) -> dict[str, str]:
    """Target column → file header; unmatched columns are left out. One helper for every
    kind of import.

    A header that is a column's name, label or alias as typed wins; then headers are
    matched by their words (`header_words`), so "所在区县代码" finds the county's "区县代码".
    Each header feeds one column. A column whose aliases are codes takes no header that
    says 名称 ("行业名称" is not the industry code), and any other column none that says
    代码 or 编码 ("单位代码" is not the name).
    """
    mapping: dict[str, str] = {}
    used: set[str] = set()
    by_norm: dict[str, str] = {}
    for h in headers:
        if h:
            by_norm.setdefault(_norm(h), h)
    for column in columns:
        for word in (column.name, str(column.label), *column.aliases):
            header = by_norm.get(_norm(word))
            if header is not None and header not in used:
                mapping[column.name] = header
                used.add(header)
                break
    by_words: dict[str, list[str]] = {}
    for h in headers:
        if h and (words := header_words(h)):
            by_words.setdefault(words, []).append(h)
    for column in columns:
        if column.name in mapping:
            continue
        wants_code = any(_says_code(w) for w in column.aliases)
        for word in (column.name, str(column.label), *column.aliases):
            # A code column never reads a header of names, nor a name column one of codes.
            candidates = [
                h
                for h in by_words.get(header_words(word), ())
                if h not in used and not (_says_name(h) if wants_code else _says_code(h))
            ]
            if not candidates:
                continue
            candidates.sort(key=lambda h: _says_code(h) != wants_code)
            mapping[column.name] = candidates[0]
            used.add(candidates[0])
            break
    return mapping


def header_matches(
    columns: list[Column], headers: list[str], mapping: dict[str, str]
) -> list[dict[str, str]]:
    """Each header of a file and the column it feeds ("" when none), as the preview shows
    them."""
    by_header = {header: name for name, header in mapping.items()}
    labels = {c.name: str(c.label) for c in columns}
    return [
        {
            "header": h,
            "column": by_header.get(h, ""),
            "label": labels.get(by_header.get(h, ""), ""),
        }
        for h in headers
        if h
    ]
