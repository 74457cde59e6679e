"""The bounds every number, year, page and text from outside is held to, in one place.

An id past 64 bits, a year the calendar cannot hold, a page number in the quintillions or a
megabyte of text in a name field is a clear 4xx naming the field, never a server error: the
API's parameters and schemas use these types, and the pages' query parsing uses `bounded_int`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Annotated, Any, get_type_hints

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination, paginate
from pydantic import create_model

# Largest value of a 64-bit signed column: ids and counts stop here.
MAX_BIGINT = 2**63 - 1
FIRST_YEAR = 1950
LAST_YEAR = 2100
MAX_PAGE = 1_000_000

Id = Annotated[int, Field(ge=1, le=MAX_BIGINT)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Count = Annotated[int, Field(ge=0, le=10**9)]
Percent = Annotated[int, Field(ge=0, le=100)]
RegionLevel = Annotated[int, Field(ge=1, le=4)]  # province, city, county, township
Code = Annotated[str, Field(max_length=32)]
Name = Annotated[str, Field(max_length=200)]
Search = Annotated[str, Field(max_length=100)]
Note = Annotated[str, Field(max_length=2000)]
Text = Annotated[str, Field(max_length=20000)]


# A type written inline in a signature (`Annotated[...]`) is not resolved by Ninja under
# `from __future__ import annotations`: use these names.


class Pages(PageNumberPagination):
    """Page-number pagination whose page number is bounded (the offset must fit a query)."""

    class Input(PageNumberPagination.Input):  # type: ignore[name-defined,misc]
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=500)


def paginated(page_size: int = 50) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`@paginate(Pages, page_size=…)` for a view whose parameters use the types above.

    Ninja's wrapper reads the view's string annotations in its own module, where these names
    do not exist: they are resolved here, in the view's module, first."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for name, annotation in list(func.__annotations__.items()):
            if isinstance(annotation, str):
                try:
                    func.__annotations__[name] = eval(annotation, func.__globals__)  # noqa: S307
                except NameError:
                    pass  # a name only type checkers see; Ninja does not need it either
        return paginate(Pages, page_size=page_size)(func)  # type: ignore[no-any-return]

    return decorate


def bounded_int(raw: Any, *, low: int, high: int) -> int | None:
    """A query's integer if it is one and within [low, high]; None otherwise (the page then
    shows everything, as for a blank filter, rather than failing)."""
    text = str(raw if raw is not None else "").strip()
    if not text or len(text) > 20 or not text.lstrip("-").isdigit():
        return None
    value = int(text)
    return value if low <= value <= high else None


def bounded_year(raw: Any) -> int | None:
    return bounded_int(raw, low=FIRST_YEAR, high=LAST_YEAR)


def bounded_id(raw: Any) -> int | None:
    return bounded_int(raw, low=1, high=MAX_BIGINT)


def filter_schema(
    name: str,
    filters: type,
    bounds: dict[str, Any],
    *,
    extra: dict[str, tuple[Any, Any]] | None = None,
) -> type[Schema]:
    """The API's query schema for a selector's filter dataclass: the same fields and defaults
    (one list of filters, not two), each held to its bound (`bounds`: the field's type in the
    API, e.g. `Code`, `Search`, `Id | None`); `extra` adds API-only fields (an alias)."""
    hints = get_type_hints(filters)
    fields: dict[str, Any] = {
        f.name: (bounds.get(f.name, hints[f.name]), f.default) for f in dataclasses.fields(filters)
    }
    unknown = set(bounds) - set(fields)
    if unknown:
        raise TypeError(f"{name}: bounds for fields {filters.__name__} has not: {unknown}")
    fields |= extra or {}
    return create_model(name, __base__=Schema, **fields)
