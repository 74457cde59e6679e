import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema

from yufang.notifications.selectors import inbox, unread_count
from yufang.notifications.services import notification_mark_read
from yufang.support.bounds import Id, paginated

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class UnreadOut(Schema):
    unread: int


class MarkReadIn(Schema):
    ids: list[Id] | None = Field(None, max_length=1000)


@router.get("", response=list[NotificationOut])
@paginated(page_size=50)
def notifications(request: HttpRequest, unread: bool = False):  # type: ignore[no-untyped-def]
    """The caller's own inbox, newest first."""
    return inbox(request.user, unread_only=unread)


@router.get("/unread", response=UnreadOut)
def unread(request: HttpRequest) -> dict[str, int]:
    return {"unread": unread_count(request.user)}


@router.post("/read", response=UnreadOut)
def mark_read(request: HttpRequest, payload: MarkReadIn) -> dict[str, int]:
    """Marks the given notifications (or all) read; returns how many are still unread."""
    notification_mark_read(user=request.user, ids=payload.ids)
    return {"unread": unread_count(request.user)}
