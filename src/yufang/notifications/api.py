import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit
from ninja import Field, Router, Schema, Status

from yufang.lib.protected import phone_mask
from yufang.notifications.phone import (
    phone_clean,
    phone_code_check,
    phone_code_send,
    phone_verified_remember,
)
from yufang.notifications.selectors import inbox, unread_count
from yufang.notifications.services import notification_mark_read
from yufang.support.bounds import Id, paginated
from yufang.support.http import client_address
from yufang.support.ratelimits import client_address as rate_key

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


class PhoneCodeIn(Schema):
    phone: str = Field(..., max_length=20)
    purpose: str = Field(..., max_length=30)


class PhoneCodeCheckIn(PhoneCodeIn):
    code: str = Field(..., max_length=10)


class PhoneVerifiedOut(Schema):
    phone: str
    purpose: str
    verified: bool


@router.post("/phone-codes", auth=None, response={202: dict[str, str]})
@ratelimit(key=rate_key, rate="60/h", block=True)
def phone_code_request(request: HttpRequest, payload: PhoneCodeIn) -> Status:
    """Sends a one-time code by SMS to prove a phone number (public: quiz, vote, application)."""
    phone_code_send(phone=payload.phone, purpose=payload.purpose, source=client_address(request))
    return Status(202, {"detail": _("The code was sent.")})


@router.post("/phone-codes/check", auth=None, response=PhoneVerifiedOut)
@ratelimit(key=rate_key, rate="60/h", block=True)
def phone_code_confirm(request: HttpRequest, payload: PhoneCodeCheckIn) -> dict[str, object]:
    """Checks the code; the caller's session then counts as holding that phone number for the
    purpose (30 minutes)."""
    phone_code_check(phone=payload.phone, code=payload.code, purpose=payload.purpose)
    phone_verified_remember(request, phone=payload.phone, purpose=payload.purpose)
    return {
        "phone": phone_mask(phone_clean(payload.phone)),
        "purpose": payload.purpose,
        "verified": True,
    }
