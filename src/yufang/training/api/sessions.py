"""Bases, halls, sessions, enrollments, check-in and trainees."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Status, UploadedFile

from yufang.accounts.models import Role
from yufang.accounts.scoping.training import may_run_training
from yufang.enterprises.selectors import enterprises_to_pick
from yufang.lib.errors import InvalidInput
from yufang.regions.models import Region
from yufang.support.bounds import Code, Id, Search, paginated
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.api.common import (
    router,
)
from yufang.training.api.schemas import (
    BaseIn,
    BaseOut,
    BookingOut,
    CheckInManyIn,
    CheckInManyOut,
    CheckInTokenIn,
    CheckInTokenOut,
    Created,
    EnrollmentOut,
    EnrollmentReasonIn,
    FeedbackIn,
    GroupBookingIn,
    HallIn,
    HallOut,
    SessionFilterIn,
    SessionIn,
    SessionOut,
    SignUpIn,
    TraineeOut,
)
from yufang.training.models import (
    Enrollment,
    Hall,
    Trainee,
    TrainingSession,
)


@router.get("/bases", response=list[BaseOut])
def bases(request: HttpRequest):  # type: ignore[no-untyped-def]
    return sel.bases_visible(request.user)


@router.post("/bases", response={201: BaseOut})
def base_new(request: HttpRequest, payload: BaseIn) -> Status:
    from yufang.organisations.models import Institution

    user: Any = request.user
    if not may_run_training(user):
        raise PermissionDenied(_("Your role cannot run training here."))
    city = Region.objects.filter(code=payload.city, level=Region.Level.CITY).first()
    institution = (
        user.institution
        if user.role == Role.INSTITUTION_STAFF
        else Institution.objects.filter(pk=payload.institution_id or 0).first()
    )
    if city is None:
        raise InvalidInput({"city": _("Unknown city code.")})
    if institution is None:
        raise InvalidInput({"institution_id": _("Unknown institution.")})
    base = svc.base_create(
        actor=user, name=payload.name, city=city, address=payload.address, institution=institution
    )
    return Status(201, base)


@router.get("/bases/{base_id}/halls", response=list[HallOut])
def halls(request: HttpRequest, base_id: int):  # type: ignore[no-untyped-def]
    return sel.base_get(request.user, base_id).halls.all()


@router.post("/bases/{base_id}/halls", response={201: HallOut})
def hall_new(request: HttpRequest, base_id: int, payload: HallIn) -> Status:
    base = sel.base_get(request.user, base_id)
    hall = svc.hall_create(actor=request.user, base=base, **payload.dict())
    return Status(201, hall)


@router.get("/sessions", response=list[SessionOut])
@paginated(50)
def sessions(request: HttpRequest, filters: Query[SessionFilterIn]):  # type: ignore[no-untyped-def,valid-type]
    return sel.session_list(request.user, sel.SessionFilter(**filters.dict()))  # type: ignore[attr-defined]


@router.post("/sessions", response={201: SessionOut})
def session_new(request: HttpRequest, payload: SessionIn) -> Status:
    user: Any = request.user
    if not may_run_training(user):
        raise PermissionDenied(_("Your role cannot run training here."))
    hall: Hall | None = None
    if payload.hall_id:
        hall = sel.halls_visible(user).filter(pk=payload.hall_id).first()
        if hall is None:
            raise InvalidInput({"hall_id": _("Unknown hall.")})
    enterprise = None
    if payload.enterprise_credit_code:
        # Only an enterprise the caller may work at: one outside is as unknown as a missing
        # one (never a hint that it exists elsewhere).
        enterprise = (
            enterprises_to_pick(user)
            .filter(credit_code=payload.enterprise_credit_code.strip().upper())
            .first()
        )
        if enterprise is None:
            raise InvalidInput(
                {"enterprise_credit_code": _("No enterprise with this credit code.")}
            )
    campaign = (
        sel.campaigns_visible(user).filter(pk=payload.campaign_id).first()
        if payload.campaign_id
        else None
    )
    session = svc.session_schedule(
        actor=user,
        data=svc.SessionFields(
            kind=payload.kind,
            title=payload.title,
            topic=payload.topic,
            trainer=payload.trainer,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            class_hours=payload.class_hours,
            capacity=payload.capacity,
            hall=hall,
            enterprise=enterprise,
            location=payload.location,
            campaign=campaign,
        ),
    )
    return Status(201, session)


@router.get("/sessions/{session_id}", response=SessionOut)
def session_detail(request: HttpRequest, session_id: int) -> TrainingSession:
    return sel.session_get(request.user, session_id)


@router.post("/sessions/{session_id}/cancel", response=SessionOut)
def session_cancel(
    request: HttpRequest, session_id: int, payload: EnrollmentReasonIn
) -> TrainingSession:
    session = sel.session_get(request.user, session_id)
    return svc.session_cancel(actor=request.user, session=session, reason=payload.reason)


@router.get("/sessions/{session_id}/enrollments", response=list[EnrollmentOut])
@paginated(100)
def session_enrollments(request: HttpRequest, session_id: int):  # type: ignore[no-untyped-def]
    return sel.enrollments_of_session(request.user, sel.session_get(request.user, session_id))


def _booking(result: svc.BookingResult) -> dict[str, Any]:
    return {
        "booked": [e.pk for e in result.booked],
        "waitlisted": [e.pk for e in result.waitlisted],
        "skipped": [{**e, "message": str(e["message"])} for e in result.skipped],
    }


def _checked_in(result: svc.CheckInResult) -> dict[str, Any]:
    return {
        "checked_in": [e.pk for e in result.checked_in],
        "refused": [{"id": e.pk, "message": m} for e, m in result.refused],
    }


@router.post("/sessions/{session_id}/book", response=BookingOut)
def session_book(request: HttpRequest, session_id: int, payload: GroupBookingIn) -> Any:
    """An enterprise books its employees: known trainees by id, or people by ID number."""
    user: Any = request.user
    session = sel.session_get(user, session_id)
    if not user.enterprise_id:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only the enterprise's safety manager books its employees."))
    if payload.people:
        from yufang.lib.spreadsheets import write_csv

        data = write_csv(
            ["姓名", "身份证号", "手机号", "岗位"],
            [[p.name, p.id_number, p.phone, p.key_role] for p in payload.people],
        )
        result = svc.enrollment_book_roster(
            actor=user,
            session=session,
            enterprise=user.enterprise,
            data=data,
            partial=payload.partial,
        )
    else:
        trainees = list(sel.trainees_visible(user).filter(pk__in=payload.trainee_ids))
        result = svc.enrollment_book_group(
            actor=user, session=session, enterprise=user.enterprise, trainees=trainees
        )
    return _booking(result)


@router.post("/sessions/{session_id}/roster", response=BookingOut)
def session_roster(
    request: HttpRequest, session_id: int, file: File[UploadedFile], partial: Form[bool] = False
) -> Any:
    """Book a roster file (XLSX or CSV: 姓名, 身份证号, 手机号, 岗位 — any post); all rows or
    none, or with `partial` the valid rows, the others listed in `skipped`."""
    user: Any = request.user
    session = sel.session_get(user, session_id)
    if not user.enterprise_id:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only the enterprise's safety manager books its employees."))
    result = svc.enrollment_book_roster(
        actor=user, session=session, enterprise=user.enterprise, data=file.read(), partial=partial
    )
    return _booking(result)


@router.get("/roster-template")
def roster_template(request: HttpRequest, format: str = "xlsx") -> Any:  # noqa: A002
    """The empty roster with its Chinese headers (XLSX, or CSV with format=csv)."""
    from django.http import HttpResponse

    kind = "csv" if format == "csv" else "xlsx"
    content_type = (
        "text/csv; charset=utf-8"
        if kind == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(svc.roster_template(kind=kind), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="roster.{kind}"'
    return response


@router.post("/sessions/{session_id}/check-in", response=CheckInManyOut)
def session_check_in_many(request: HttpRequest, session_id: int, payload: CheckInManyIn) -> Any:
    """Mark several enrollments present at once; those that cannot be come back in `refused`."""
    session = sel.session_get(request.user, session_id)
    if not payload.enrollment_ids:
        raise InvalidInput({"enrollment_ids": _("Choose at least one person to check in.")})
    chosen = list(
        sel.enrollments_of_session(request.user, session).filter(pk__in=payload.enrollment_ids)
    )
    unknown = set(payload.enrollment_ids) - {e.pk for e in chosen}
    if unknown:
        raise InvalidInput(
            {
                "enrollment_ids": _("Not enrollments of this session: %(ids)s")
                % {"ids": ", ".join(str(i) for i in sorted(unknown))}
            }
        )
    result = svc.enrollment_check_in_many(actor=request.user, session=session, enrollments=chosen)
    return _checked_in(result)


@router.get("/sessions/{session_id}/group-code", response=CheckInTokenOut)
def session_group_code(
    request: HttpRequest, session_id: int, enterprise_id: Id | None = None
) -> Any:
    """The group code of an enterprise's people in the session (the safety manager's own
    group; staff name the enterprise)."""
    from django.core.exceptions import PermissionDenied

    user: Any = request.user
    session = sel.session_get(user, session_id)
    if user.role == "safety_manager" and user.enterprise_id:
        enterprise = user.enterprise
    elif svc.may_run_session(user, session):
        # A group is the people an enterprise booked on this session: any other enterprise,
        # in the caller's scope or not, is not found.
        enterprise = get_object_or_404(
            sel.session_enterprises(user, session), pk=enterprise_id or 0
        )
    else:
        raise PermissionDenied(_("Only the group's safety manager or the session's staff."))
    token = svc.group_check_in_token(session, enterprise)
    return {"token": token, "url": reverse("training:check_in_group", args=[token])}


@router.post("/check-in/group", response=CheckInManyOut)
def check_in_group(request: HttpRequest, payload: CheckInTokenIn) -> Any:
    """Staff scanned a group code: everyone the enterprise booked is marked present."""
    return _checked_in(svc.check_in_group_by_token(actor=request.user, token=payload.token))


@router.post("/sessions/{session_id}/sign-up", response={201: EnrollmentOut})
def session_sign_up(request: HttpRequest, session_id: int, payload: SignUpIn) -> Status:
    session = sel.session_get(request.user, session_id)
    enrollment = svc.enrollment_sign_up(
        actor=request.user, session=session, id_number=payload.id_number, phone=payload.phone
    )
    return Status(201, enrollment)


@router.get("/sessions/{session_id}/check-in-code", response=CheckInTokenOut)
def session_check_in_code(request: HttpRequest, session_id: int) -> Any:
    """The session's QR payload, for staff to show at the hall."""
    from django.core.exceptions import PermissionDenied

    session = sel.session_get(request.user, session_id)
    if not svc.may_run_session(request.user, session):
        raise PermissionDenied(_("Only the session's staff show its check-in code."))
    token = svc.session_qr_token(session)
    return {"token": token, "url": reverse("training:check_in_session", args=[token])}


@router.post("/sessions/{session_id}/photos", response={201: Created})
def session_photo(
    request: HttpRequest,
    session_id: int,
    image: File[UploadedFile],
    caption: str = Form("", max_length=2000),
) -> Status:
    session = sel.session_get(request.user, session_id)
    photo = svc.session_photo_add(actor=request.user, session=session, image=image, caption=caption)
    return Status(201, {"id": photo.pk})


@router.post("/sessions/{session_id}/feedback", response={201: Created})
def session_feedback(request: HttpRequest, session_id: int, payload: FeedbackIn) -> Status:
    session = sel.session_get(request.user, session_id)
    feedback = svc.feedback_submit(
        actor=request.user, session=session, rating=payload.rating, comment=payload.comment
    )
    return Status(201, {"id": feedback.pk})


@router.get("/enrollments", response=list[EnrollmentOut])
@paginated(50)
def enrollments(request: HttpRequest):  # type: ignore[no-untyped-def]
    return sel.enrollments_visible(request.user).order_by("-session__starts_at", "id")


@router.get("/enrollments/{enrollment_id}/check-in-code", response=CheckInTokenOut)
def enrollment_check_in_code(request: HttpRequest, enrollment_id: int) -> Any:
    """A trainee's QR payload, to show on their phone."""
    enrollment = sel.enrollment_get(request.user, enrollment_id)
    token = svc.check_in_token(enrollment)
    return {"token": token, "url": reverse("training:check_in", args=[token])}


@router.post("/enrollments/{enrollment_id}/cancel", response=EnrollmentOut)
def enrollment_cancel(request: HttpRequest, enrollment_id: int) -> Enrollment:
    enrollment = sel.enrollment_get(request.user, enrollment_id)
    return svc.enrollment_cancel(actor=request.user, enrollment=enrollment)


@router.post("/enrollments/{enrollment_id}/check-in", response=EnrollmentOut)
def enrollment_check_in(request: HttpRequest, enrollment_id: int) -> Enrollment:
    enrollment = sel.enrollment_get(request.user, enrollment_id)
    return svc.enrollment_check_in(actor=request.user, enrollment=enrollment)


@router.post("/check-in", response=EnrollmentOut)
def check_in(request: HttpRequest, payload: CheckInTokenIn) -> Enrollment:
    """Staff scanned a trainee's code."""
    return svc.check_in_by_token(actor=request.user, token=payload.token)


@router.post("/check-in/session", response=EnrollmentOut)
def check_in_session(request: HttpRequest, payload: CheckInTokenIn) -> Enrollment:
    """A trainee scanned the session's code."""
    return svc.check_in_to_session(actor=request.user, token=payload.token)


@router.get("/trainees", response=list[TraineeOut])
@paginated(50)
def trainees(request: HttpRequest, q: Search = "", key_role: Code = ""):  # type: ignore[no-untyped-def]
    qs = sel.trainee_search(request.user, sel.trainees_visible(request.user), q)
    if key_role:
        qs = qs.filter(key_role=key_role)
    return qs


@router.get("/trainees/{trainee_id}", response=TraineeOut)
def trainee_detail(request: HttpRequest, trainee_id: int) -> Trainee:
    return sel.trainee_get(request.user, trainee_id)
