"""The working-day calendar over the API (`/api/v1/policy`): an outside system reads the
recorded days, and the province's official's token records, removes or imports them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from yufang.accounts.scoping.policy import (
    require_calendar_keeper,
    require_calendar_reader,
)
from yufang.lib.errors import InvalidInput
from yufang.policy import selectors, services, workdays
from yufang.policy.models import CalendarDay
from yufang.support.bounds import FIRST_YEAR, LAST_YEAR, Code, Id, paginated

router = Router(tags=["policy"])
IMPORT_MAX_BYTES = 1024 * 1024


class CalendarDayOut(Schema):
    id: int
    day: dt.date
    kind: str
    kind_label: str
    name: str

    @staticmethod
    def resolve_kind_label(obj: CalendarDay) -> str:
        return obj.kind_label


class CalendarDayIn(Schema):
    day: dt.date
    kind: Code
    name: Annotated[str, Field(max_length=60)] = ""


class CalendarImportOut(Schema):
    recorded: int


class WorkingDaysOut(Schema):
    start: dt.date
    working_days: int
    due: dt.date


@router.get("/calendar-days", response=list[CalendarDayOut])
@paginated(100)
def calendar_days(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    year: Annotated[int | None, Field(ge=FIRST_YEAR, le=LAST_YEAR)] = None,
    kind: Code = "",
):
    """The recorded public holidays and make-up working days, by date."""
    require_calendar_reader(request.user)
    return selectors.calendar_days(year=year, kind=kind)


@router.post("/calendar-days", response={201: CalendarDayOut})
def calendar_day_add(request: HttpRequest, payload: CalendarDayIn) -> Status:
    require_calendar_reader(request.user)
    found = services.calendar_day_add(
        actor=request.user, day=payload.day, kind=payload.kind, name=payload.name
    )
    return Status(201, found)


# Declared before /calendar-days/{day_id}, whose pattern would otherwise take "import".
@router.post("/calendar-days/import", response={201: CalendarImportOut})
def calendar_import(request: HttpRequest, file: File[UploadedFile]) -> Status:
    """A CSV or XLSX file with the columns 日期, 类别 (放假 / 调休上班) and 名称; any bad row
    refuses the whole file (422, each row's error)."""
    require_calendar_reader(request.user)
    require_calendar_keeper(request.user)
    if file.size is None or file.size > IMPORT_MAX_BYTES:
        raise InvalidInput(_("The file is larger than %(mb)s MB.") % {"mb": 1}, "file")
    made = services.calendar_import(actor=request.user, data=file.read())
    return Status(201, {"recorded": len(made)})


@router.delete("/calendar-days/{day_id}", response={204: None})
def calendar_day_remove(request: HttpRequest, day_id: Id) -> Status:
    require_calendar_reader(request.user)
    found = get_object_or_404(CalendarDay, pk=day_id)
    services.calendar_day_remove(actor=request.user, day=found)
    return Status(204, None)


@router.get("/working-days", response=WorkingDaysOut)
def working_days(
    request: HttpRequest,
    start: dt.date | None = None,
    days: Annotated[int, Field(ge=1, le=365)] = 1,
) -> dict[str, object]:
    """The `days`-th working day after `start` (today if not given), by the recorded
    calendar."""
    require_calendar_reader(request.user)
    start = start or timezone.localdate()
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        raise InvalidInput(
            _("The year lies outside %(first)s–%(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            "start",
        )
    return {
        "start": start,
        "working_days": days,
        "due": workdays.working_days_after(start, days),
    }
