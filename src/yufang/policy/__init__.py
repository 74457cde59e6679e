"""The programme's rules as dated parameters (YAML under `parameters/`).

One lookup: the latest value on or before a date. A date before every value is an error,
since the rule did not exist yet. Every value carries its unit and its source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PARAMETERS_DIR = Path(__file__).resolve().parent / "parameters"


class ParameterError(LookupError):
    pass


@dataclass(frozen=True)
class DatedValue:
    since: dt.date
    value: Any
    source: str


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    values: tuple[DatedValue, ...]  # oldest first

    def on(self, date: dt.date) -> DatedValue:
        found = None
        for dated in self.values:
            if dated.since <= date:
                found = dated
        if found is None:
            raise ParameterError(f"{self.name} has no value on {date.isoformat()}")
        return found


@cache
def _load() -> dict[str, Parameter]:
    parameters: dict[str, Parameter] = {}
    for path in sorted(PARAMETERS_DIR.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, spec in document.items():
            if name in parameters:
                raise ParameterError(f"{name} is defined twice ({path.name})")
            values = tuple(
                sorted(
                    (
                        DatedValue(
                            since=since
                            if isinstance(since, dt.date)
                            else dt.date.fromisoformat(since),
                            value=entry["value"],
                            source=entry["source"],
                        )
                        for since, entry in spec["values"].items()
                    ),
                    key=lambda d: d.since,
                )
            )
            parameters[name] = Parameter(name, spec["description"], spec["unit"], values)
    return parameters


def parameter(name: str) -> Parameter:
    try:
        return _load()[name]
    except KeyError as exc:
        raise ParameterError(f"unknown parameter {name}") from exc


def value(name: str, on: dt.date) -> Any:
    """The value of a rule in force on a date."""
    return parameter(name).on(on).value


def names() -> list[str]:
    return sorted(_load())
