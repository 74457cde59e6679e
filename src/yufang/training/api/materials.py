"""Materials, statistics and feedback."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Status, UploadedFile

from yufang.support.bounds import Code, Name, Year, paginated
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.api.common import (
    router,
)
from yufang.training.api.schemas import (
    CardOut,
    FeedbackScoreOut,
    MaterialOut,
    StatRowOut,
)


@router.get("/materials", response=list[MaterialOut])
@paginated(50)
def materials(request: HttpRequest, topic: Code = ""):  # type: ignore[no-untyped-def]
    qs = sel.materials_visible(request.user)
    return qs.filter(topic=topic) if topic else qs


@router.post("/materials", response={201: MaterialOut})
def material_new(
    request: HttpRequest,
    file: File[UploadedFile],
    title: Form[Name],
    kind: Form[Code],
    topic: Form[Code],
    series: str = Form("", max_length=200),
    authors: str = Form("", max_length=200),
    publisher: str = Form("", max_length=200),
    year: Form[Year | None] = None,
    description: str = Form("", max_length=2000),
) -> Status:
    material = svc.material_create(
        actor=request.user,
        title=title,
        kind=kind,
        topic=topic,
        file=file,
        series=series,
        authors=authors,
        publisher=publisher,
        year=year,
        description=description,
    )
    return Status(201, material)


@router.get("/card", response=CardOut)
def card(request: HttpRequest, year: Year | None = None) -> Any:
    """The headline: sessions held and person-times in the year (and over all years), with the
    definition of person-times the statistics and campaigns use."""
    return sel.training_card(request.user, year=year)


@router.get("/statistics", response=list[StatRowOut])
def statistics(request: HttpRequest, year: Year | None = None, by: str = "city") -> Any:
    """Sessions, person-times, enterprises reached and pass rates by city, base, topic or month."""
    return sel.training_statistics(
        request.user, year=year or timezone.localdate().year, dimension=by
    )


@router.get("/feedback/scores", response=list[FeedbackScoreOut])
def feedback_scores(request: HttpRequest) -> Any:
    return [
        {
            "institution_id": r["session__institution_id"],
            "institution": r["session__institution__name"],
            "ratings": r["ratings"],
            "average": r["average"],
        }
        for r in sel.feedback_scores(request.user)
    ]
