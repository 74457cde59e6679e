"""Sessions: the list and calendar, scheduling, booking, rosters, check-in, photos."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from yufang.accounts.http import AuthedRequest
from yufang.accounts.models import Role
from yufang.accounts.scoping import regions_visible
from yufang.enterprises.forms import EnterprisePickForm
from yufang.enterprises.models import Enterprise
from yufang.lib.documents import qr_png
from yufang.lib.errors import InvalidInput
from yufang.regions.models import Region
from yufang.support.http import spreadsheet_response
from yufang.support.topics import Topic
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.models import (
    Enrollment,
    SessionKind,
    TrainingSession,
)
from yufang.training.views.common import (
    RUNNERS,
    _attempt,
    _datetime,
    _decimal,
    _ids,
    _int,
    _labelled,
    _page,
    _row_errors,
)


@login_required
def sessions_view(request: AuthedRequest) -> HttpResponse:
    filters = sel.SessionFilter.from_params(request.GET)
    qs = sel.session_list(request.user, filters)
    if request.GET.get("export") == "xlsx":
        return spreadsheet_response(
            _("training sessions"),
            [
                _("title"),
                pgettext("training", "kind"),
                pgettext("training", "topic"),
                _("place"),
                _("city"),
                _("trainer"),
                _("starts at"),
                _("class hours"),
                _("capacity"),
                _("booked"),
                _("person-times"),
                _("status"),
            ],
            sel.session_export_rows(qs),
        )
    return render(
        request,
        "training/sessions.html",
        {
            "page_obj": _page(request, qs),
            "filters": filters,
            "topics": Topic.choices,
            "kinds": SessionKind.choices,
            "cities": regions_visible(request.user).filter(level=Region.Level.CITY),
            "bases": sel.bases_visible(request.user),
            "may_schedule": request.user.role in RUNNERS,
        },
    )


@login_required
def session_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if user.role not in RUNNERS:
        raise PermissionDenied(_("Your role cannot schedule sessions."))
    errors: dict[str, str] | HttpResponse = {}
    created: list[TrainingSession] = []
    pick = EnterprisePickForm(request.POST or None, user=user)
    if request.method == "POST":
        p = request.POST

        def schedule() -> None:
            kind = p.get("kind", "")
            hall = sel.halls_visible(user).filter(pk=_int(p.get("hall")) or 0).first()
            enterprise = None
            if kind == SessionKind.ONSITE:
                enterprise = pick.enterprise_or_error()
            campaign = sel.campaigns_visible(user).filter(pk=_int(p.get("campaign")) or 0).first()
            session = svc.session_schedule(
                actor=user,
                data=svc.SessionFields(
                    kind=kind,
                    title=p.get("title", ""),
                    topic=p.get("topic", ""),
                    trainer=p.get("trainer", ""),
                    starts_at=_datetime(p.get("starts_at"), "starts_at"),
                    ends_at=_datetime(p.get("ends_at"), "ends_at"),
                    class_hours=_decimal(p.get("class_hours"), "class_hours"),
                    capacity=_int(p.get("capacity")),
                    hall=hall if kind == SessionKind.HALL else None,
                    enterprise=enterprise,
                    location=p.get("location", ""),
                    campaign=campaign,
                ),
            )
            created.append(session)

        errors = _attempt(request, schedule, reverse("training:sessions"))
        if isinstance(errors, HttpResponse):
            return redirect("training:session", pk=created[0].pk)
    return render(
        request,
        "training/session_form.html",
        {
            "errors": errors,
            "halls": sel.halls_visible(user),
            "topics": Topic.choices,
            "kinds": SessionKind.choices,
            "campaigns": sel.campaigns_visible(user),
            "data": request.POST,
            "pick": pick,
        },
    )


@login_required
def session(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    session = sel.session_get(user, pk)
    may_run = svc.may_run_session(user, session)
    enrollments = sel.enrollments_of_session(user, session)
    trainee = sel.trainee_for_user(user)
    mine = enrollments.filter(trainee=trainee).first() if trainee else None
    figures = session.enrollments.aggregate(
        booked=Count("id", filter=Q(status=Enrollment.Status.BOOKED)),
        waitlisted=Count("id", filter=Q(status=Enrollment.Status.WAITLISTED)),
        attended=Count("id", filter=Q(checked_in_at__isnull=False)),
    )
    employees = (
        sel.trainees_visible(user).filter(enterprise_id=user.enterprise_id or 0)
        if user.role == Role.SAFETY_MANAGER
        else None
    )
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "may_run": may_run,
            # A whole group on one page, so "select all" marks all of them present.
            "page_obj": _page(request, enrollments, 300),
            "my_group": (
                enrollments.filter(
                    enterprise_id=user.enterprise_id,
                    status=Enrollment.Status.BOOKED,
                    checked_in_at__isnull=True,
                ).count()
                if user.role == Role.SAFETY_MANAGER and user.enterprise_id
                else 0
            ),
            "figures": figures,
            "mine": mine,
            "trainee": trainee,
            "employees": employees,
            "feedback": sel.session_feedback(session),
            "photos": session.photos.all(),
            "is_manager": user.role == Role.SAFETY_MANAGER,
            "is_worker": user.role == Role.WORKER,
            "is_today": timezone.localtime(session.starts_at).date() == timezone.localdate(),
            "errors": request.session.pop("training_errors", {}),
            "row_errors": request.session.pop("training_row_errors", []),
        },
    )


def _back_to_session(
    request: HttpRequest, pk: int, action: Callable[[], Any], done: str
) -> HttpResponse:
    try:
        action()
    except svc.RosterInvalid as exc:
        request.session["training_row_errors"] = _row_errors(exc.row_errors)
        messages.error(request, _("The roster was refused; nothing was booked."))
    except InvalidInput as exc:
        request.session["training_errors"] = _labelled(exc.errors)
    else:
        messages.success(request, done)
    return redirect("training:session", pk=pk)


def _booking_message(result: svc.BookingResult) -> str:
    return _("%(booked)s seats booked, %(waiting)s on the waitlist.") % {
        "booked": len(result.booked),
        "waiting": len(result.waitlisted),
    }


@login_required
@require_POST
def session_book(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    session = sel.session_get(user, pk)
    if not user.enterprise_id:
        raise PermissionDenied(_("Only the enterprise's safety manager books its employees."))
    enterprise = user.enterprise
    assert enterprise is not None  # noqa: S101 - narrowed by the check above
    upload = request.FILES.get("roster")
    partial = request.POST.get("partial") == "1"
    summary: list[str] = []

    def book() -> None:
        if upload is not None:
            result = svc.enrollment_book_roster(
                actor=user,
                session=session,
                enterprise=enterprise,
                data=upload.read(),
                partial=partial,
            )
        else:
            ids = _ids(request.POST.getlist("trainee"))
            trainees = list(sel.trainees_visible(user).filter(pk__in=ids))
            result = svc.enrollment_book_group(
                actor=user, session=session, enterprise=enterprise, trainees=trainees
            )
        summary.append(_booking_message(result))
        if result.skipped:
            request.session["training_row_errors"] = _row_errors(result.skipped)
            rows = len({e["row"] for e in result.skipped})
            summary.append(
                ngettext(
                    "%(n)s row was not booked; it is listed below.",
                    "%(n)s rows were not booked; they are listed below.",
                    rows,
                )
                % {"n": rows}
            )

    response = _back_to_session(request, pk, book, "")
    for line in summary:
        messages.info(request, line)
    return response


@login_required
def roster_template(request: AuthedRequest) -> HttpResponse:
    """The roster to fill in: 姓名, 身份证号, 手机号, 岗位 (XLSX, or CSV with ?format=csv)."""

    kind = "csv" if request.GET.get("format") == "csv" else "xlsx"
    body = svc.roster_template(kind=kind)
    content_type = (
        "text/csv; charset=utf-8"
        if kind == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(body, content_type=content_type)
    filename = f"{_('roster template')}.{kind}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_POST
def session_check_in(request: AuthedRequest, pk: int) -> HttpResponse:
    """Staff tick several people (or all) in the attendance list and mark them present."""
    session = sel.session_get(request.user, pk)
    ids = _ids(request.POST.getlist("enrollment"))
    chosen = list(sel.enrollments_of_session(request.user, session).filter(pk__in=ids))
    outcome: list[svc.CheckInResult] = []
    response = _back_to_session(
        request,
        pk,
        lambda: outcome.append(
            svc.enrollment_check_in_many(actor=request.user, session=session, enrollments=chosen)
        ),
        "",
    )
    if outcome:
        _check_in_messages(request, outcome[0])
    return response


def _check_in_messages(request: HttpRequest, result: svc.CheckInResult) -> None:
    n = len(result.checked_in)
    messages.success(
        request,
        ngettext("%(n)s person checked in.", "%(n)s people checked in.", n) % {"n": n},
    )
    for enrollment, reason in result.refused:
        messages.warning(request, f"{enrollment.trainee.name}: {reason}")


@login_required
def session_group_qr(request: AuthedRequest, pk: int) -> HttpResponse:
    """The group code of an enterprise's people in a session: the safety manager shows it,
    staff scan it once for the whole group."""
    user = request.user
    session = sel.session_get(user, pk)
    if user.role == Role.SAFETY_MANAGER and user.enterprise_id:
        enterprise = user.enterprise
    elif svc.may_run_session(user, session):
        enterprise = Enterprise.objects.filter(pk=_int(request.GET.get("enterprise")) or 0).first()
    else:
        raise PermissionDenied(_("Only the group's safety manager or the session's staff."))
    if enterprise is None:
        raise Http404
    url = request.build_absolute_uri(
        reverse("training:check_in_group", args=[svc.group_check_in_token(session, enterprise)])
    )
    return HttpResponse(qr_png(url), content_type="image/png")


@login_required
def check_in_group(request: AuthedRequest, token: str) -> HttpResponse:
    """Where a group code leads: staff confirm, and everyone the enterprise booked is present."""
    result: dict[str, Any] = {}
    if request.method == "POST":
        try:
            outcome = svc.check_in_group_by_token(actor=request.user, token=token)
        except InvalidInput as exc:
            result = {"error": exc.message}
        else:
            result = {"group": outcome}
    return render(request, "training/check_in.html", {"result": result, "scan": "group"})


@login_required
@require_POST
def session_sign_up(request: AuthedRequest, pk: int) -> HttpResponse:
    session = sel.session_get(request.user, pk)
    return _back_to_session(
        request,
        pk,
        lambda: svc.enrollment_sign_up(
            actor=request.user,
            session=session,
            id_number=request.POST.get("id_number", ""),
            phone=request.POST.get("phone", ""),
        ),
        _("You are signed up."),
    )


@login_required
@require_POST
def session_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    session = sel.session_get(request.user, pk)
    return _back_to_session(
        request,
        pk,
        lambda: svc.session_cancel(
            actor=request.user, session=session, reason=request.POST.get("reason", "")
        ),
        _("The session is cancelled."),
    )


@login_required
@require_POST
def session_photo(request: AuthedRequest, pk: int) -> HttpResponse:
    session = sel.session_get(request.user, pk)
    image = request.FILES.get("image")

    def add() -> None:
        if image is None:
            raise InvalidInput({"image": _("Choose a photo.")})
        svc.session_photo_add(
            actor=request.user,
            session=session,
            image=image,
            caption=request.POST.get("caption", ""),
        )

    return _back_to_session(request, pk, add, _("Photo added."))


@login_required
@require_POST
def session_feedback(request: AuthedRequest, pk: int) -> HttpResponse:
    session = sel.session_get(request.user, pk)
    return _back_to_session(
        request,
        pk,
        lambda: svc.feedback_submit(
            actor=request.user,
            session=session,
            rating=_int(request.POST.get("rating")) or 0,
            comment=request.POST.get("comment", ""),
        ),
        _("Thank you for your rating."),
    )


@login_required
def session_qr(request: AuthedRequest, pk: int) -> HttpResponse:
    session = sel.session_get(request.user, pk)
    if not svc.may_run_session(request.user, session):
        raise PermissionDenied(_("Only the session's staff show its check-in code."))
    url = request.build_absolute_uri(
        reverse("training:check_in_session", args=[svc.session_qr_token(session)])
    )
    return HttpResponse(qr_png(url), content_type="image/png")


@login_required
@require_POST
def enrollment_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    enrollment = sel.enrollment_get(request.user, pk)
    return _back_to_session(
        request,
        enrollment.session_id,
        lambda: svc.enrollment_cancel(actor=request.user, enrollment=enrollment),
        _("The enrollment is cancelled."),
    )


@login_required
@require_POST
def enrollment_check_in(request: AuthedRequest, pk: int) -> HttpResponse:
    enrollment = sel.enrollment_get(request.user, pk)
    return _back_to_session(
        request,
        enrollment.session_id,
        lambda: svc.enrollment_check_in(actor=request.user, enrollment=enrollment),
        _("Checked in."),
    )


@login_required
def enrollment_qr(request: AuthedRequest, pk: int) -> HttpResponse:
    enrollment = sel.enrollment_get(request.user, pk)
    url = request.build_absolute_uri(
        reverse("training:check_in", args=[svc.check_in_token(enrollment)])
    )
    return HttpResponse(qr_png(url), content_type="image/png")


def _check_in_page(request: AuthedRequest, token: str, scan: str) -> HttpResponse:
    """Confirm on the phone, then check in: staff scanned a trainee's code (`trainee`), or a
    trainee scanned the session's code at the hall (`session`)."""
    result: dict[str, Any] = {}
    if request.method == "POST":
        check = svc.check_in_by_token if scan == "trainee" else svc.check_in_to_session
        try:
            enrollment = check(actor=request.user, token=token)
        except InvalidInput as exc:
            result = {"error": exc.message}
        else:
            result = {"done": enrollment}
    return render(request, "training/check_in.html", {"result": result, "scan": scan})


@login_required
def check_in(request: AuthedRequest, token: str) -> HttpResponse:
    return _check_in_page(request, token, "trainee")


@login_required
def check_in_session(request: AuthedRequest, token: str) -> HttpResponse:
    return _check_in_page(request, token, "session")


@login_required
def my_enrollments(request: AuthedRequest) -> HttpResponse:
    qs = sel.enrollments_visible(request.user).order_by("-session__starts_at", "id")
    if request.GET.get("export") == "xlsx":
        return spreadsheet_response(
            _("enrollments"),
            [
                _("trainee"),
                _("ID number"),
                _("session"),
                _("starts at"),
                _("status"),
                _("checked in at"),
            ],
            (
                [
                    sel.trainee_shown(request.user, e.trainee).name,
                    sel.trainee_shown(request.user, e.trainee).id_number or "",
                    e.session.title,
                    timezone.localtime(e.session.starts_at).strftime("%Y-%m-%d %H:%M"),
                    e.get_status_display(),
                    timezone.localtime(e.checked_in_at).strftime("%Y-%m-%d %H:%M")
                    if e.checked_in_at
                    else "",
                ]
                for e in qs
            ),
        )
    return render(
        request,
        "training/my_enrollments.html",
        {"page_obj": _page(request, qs), "trainee": sel.trainee_for_user(request.user)},
    )
