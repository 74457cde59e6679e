"""HTML pages of the training domain. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from yufang.accounts.http import AuthedRequest
from yufang.accounts.models import Role
from yufang.accounts.scoping import PROVINCE_WIDE_ROLES, regions_visible, sees_person_names
from yufang.enterprises.forms import EnterprisePickForm
from yufang.enterprises.models import Enterprise
from yufang.enterprises.selectors import enterprises_visible
from yufang.funds.models import Institution
from yufang.lib.documents import qr_png
from yufang.lib.errors import InvalidInput
from yufang.lib.http import private_file_response, spreadsheet_response
from yufang.lib.topics import Topic
from yufang.regions.models import Region
from yufang.support.bounds import MAX_BIGINT, bounded_int, bounded_year
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.importers import trainee_importer
from yufang.training.models import (
    Enrollment,
    KeyRole,
    Lesson,
    Material,
    QuestionType,
    SessionKind,
    TrainingSession,
)

PLANNERS = (Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.ADMIN)
RUNNERS = (*PLANNERS, Role.INSTITUTION_STAFF)


def _field_labels() -> dict[str, str]:
    """Field names as the forms show them, for error messages (no raw codes on the page)."""
    return {
        "name": _("name"),
        "id_number": _("ID number"),
        "phone": _("mobile phone"),
        "key_role": _("post"),
        "post": _("post"),
        "file": _("file"),
        "roster": _("roster"),
        "title": _("title"),
        "topic": pgettext("training", "topic"),
        "topics": pgettext("training", "topic"),
        "trainer": _("trainer"),
        "starts_at": _("starts at"),
        "ends_at": _("ends at"),
        "class_hours": _("class hours"),
        "capacity": _("capacity"),
        "hall": _("experience hall"),
        "enterprise": pgettext("training", "enterprise"),
        "enterprises": pgettext("training", "enterprise"),
        "location": _("workshop or team"),
        "kind": pgettext("training", "kind"),
        "reason": _("reason"),
        "image": _("photo"),
        "rating": _("rating"),
        "trainee": _("trainee"),
        "trainees": _("trainees"),
        "token": _("check-in code"),
        "city": _("city"),
        "institution": _("institution"),
        "code": _("code of the question"),
        "type": _("type of question"),
        "stem": _("question"),
        "options": _("options"),
        "answer": pgettext("training", "answer"),
        "single_count": _("single-choice questions"),
        "multiple_count": _("multiple-choice questions"),
        "true_false_count": _("true/false questions"),
        "pass_mark": _("pass mark (%)"),
        "time_limit_minutes": _("time limit (minutes)"),
        "max_attempts": _("attempt limit"),
        "region": pgettext("training", "region"),
        "starts_on": _("starts on"),
        "ends_on": _("ends on"),
        "target_enterprises": _("target enterprises"),
        "target_person_times": _("target person-times"),
        "year": pgettext("training", "year"),
        "body": _("text"),
        "minutes": _("length (minutes)"),
        "lesson": _("lesson"),
        "exam": _("exam"),
        "requires_lessons": _("requires the course's lessons"),
        "enrollments": _("enrollments"),
        "enrollment": _("enrollment"),
        "session": _("training session"),
        "course": _("course"),
        "attempt": _("exam attempt"),
        "certificate": _("certificate"),
        "position": _("video position (seconds)"),
    }


def _labelled(errors: dict[str, Any]) -> dict[str, str]:
    labels = _field_labels()
    return {(labels.get(k, k) if k else ""): str(v) for k, v in errors.items()}


def _row_errors(row_errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labels = _field_labels()
    return [
        {**e, "field": labels.get(e["field"], e["field"]), "message": str(e["message"])}
        for e in row_errors
    ]


def _page(request: HttpRequest, qs: Any, per: int = 50) -> Any:
    return Paginator(qs, per).get_page(request.GET.get("page"))


def _attempt(
    request: HttpRequest, action: Callable[[], Any], success: str, *, done: str = ""
) -> HttpResponse | dict[str, str]:
    """Run a service; on success flash and redirect, on bad input return the errors."""
    try:
        action()
    except InvalidInput as exc:
        return _labelled(exc.errors)
    messages.success(request, done or _("Saved."))
    return redirect(success)


def _int(value: str | None) -> int | None:
    """A non-negative number from a form or query, None when absent or beyond a database id."""
    return bounded_int(value, low=0, high=MAX_BIGINT)


def _decimal(value: str | None, field: str) -> Decimal:
    try:
        return Decimal((value or "").strip())
    except InvalidOperation as exc:
        raise InvalidInput({field: _("Not a number: %(value)s") % {"value": value}}) from exc


def _datetime(value: str | None, field: str) -> dt.datetime:
    parsed = parse_datetime((value or "").strip())
    if parsed is None:
        raise InvalidInput({field: _("Enter a date and time (YYYY-MM-DD HH:MM).")})
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _date(value: str | None, field: str) -> dt.date:
    parsed = parse_date((value or "").strip())
    if parsed is None:
        raise InvalidInput({field: _("Enter a date (YYYY-MM-DD).")})
    return parsed


# ---------------------------------------------------------------- overview


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    user = request.user
    year = timezone.localdate().year
    card = sel.training_card(user, year=year)
    months = sel.training_statistics(user, year=year, dimension="month")
    return render(
        request,
        "training/index.html",
        {
            "card": card,
            "upcoming": sel.session_list(user, sel.SessionFilter(upcoming=True))[:8],
            "chart": sel.months_chart(months, title=_("person-times")),
            "months": months,
            "total": sel.statistics_total(months),
            "definition": sel.PERSON_TIMES_DEFINITION,
            "trainee": sel.trainee_for_user(user),
            "is_runner": user.role in RUNNERS,
            "is_planner": user.role in PLANNERS,
        },
    )


# ---------------------------------------------------------------- sessions


@login_required
def session_list_view(request: AuthedRequest) -> HttpResponse:
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
def session_detail(request: AuthedRequest, pk: int) -> HttpResponse:
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
            ids = [int(i) for i in request.POST.getlist("trainee") if i.isdigit()]
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
    from urllib.parse import quote

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
def session_check_in_many(request: AuthedRequest, pk: int) -> HttpResponse:
    """Staff tick several people (or all) in the attendance list and mark them present."""
    session = sel.session_get(request.user, pk)
    ids = [int(i) for i in request.POST.getlist("enrollment") if i.isdigit()]
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


# ---------------------------------------------------------------- bases and halls


@login_required
def base_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        institution = (
            user.institution
            if user.role == Role.INSTITUTION_STAFF
            else Institution.objects.filter(pk=_int(request.POST.get("institution")) or 0).first()
        )
        city = (
            regions_visible(user)
            .filter(level=Region.Level.CITY, code=request.POST.get("city", ""))
            .first()
        )

        def create() -> None:
            if institution is None:
                raise InvalidInput({"institution": _("Choose the operating institution.")})
            if city is None:
                raise InvalidInput({"city": _("Choose a city.")})
            svc.base_create(
                actor=user,
                name=request.POST.get("name", ""),
                city=city,
                address=request.POST.get("address", ""),
                institution=institution,
            )

        errors = _attempt(request, create, reverse("training:bases"))
        if isinstance(errors, HttpResponse):
            return errors
    return render(
        request,
        "training/bases.html",
        {
            "bases": sel.bases_visible(user).annotate(hall_count=Count("halls")),
            "errors": errors,
            "may_create": user.role in RUNNERS,
            "cities": regions_visible(user).filter(level=Region.Level.CITY),
            "institutions": Institution.objects.filter(kind=Institution.Kind.TRAINING),
        },
    )


@login_required
def base_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    base = sel.base_get(user, pk)
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        errors = _attempt(
            request,
            lambda: svc.hall_create(
                actor=user,
                base=base,
                name=request.POST.get("name", ""),
                topic=request.POST.get("topic", ""),
                capacity=_int(request.POST.get("capacity")) or 0,
            ),
            reverse("training:base", args=[pk]),
        )
        if isinstance(errors, HttpResponse):
            return errors
    return render(
        request,
        "training/base_detail.html",
        {
            "base": base,
            "halls": sel.halls_of(base),
            "errors": errors,
            "may_run": svc.may_run(user, institution_id=base.institution_id, city_id=base.city_id),
            "topics": Topic.choices,
        },
    )


# ---------------------------------------------------------------- trainees


@login_required
def trainee_list(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    qs = sel.trainee_search(request.user, sel.trainees_visible(request.user), q)
    role = request.GET.get("key_role", "")
    if role:
        qs = qs.filter(key_role=role)
    return render(
        request,
        "training/trainees.html",
        {
            "page_obj": _page(request, qs),
            "roles": KeyRole.choices,
            "q": q,
            "key_role": role,
            "may_import": request.user.role in trainee_importer.roles,
            "shows_ids": sees_person_names(request.user),
        },
    )


@login_required
def trainee_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    trainee = sel.trainee_get(request.user, pk)
    hours = sel.key_people_hours(request.user)
    mine = next((h for h in hours if h.trainee.pk == trainee.pk), None)
    return render(
        request,
        "training/trainee_detail.html",
        {
            "trainee": trainee,
            "shown": sel.trainee_shown(request.user, trainee),
            "enrollments": sel.enrollments_visible(request.user).filter(trainee=trainee),
            "certificates": sel.certificates_visible(request.user).filter(trainee=trainee),
            "attempts": sel.attempts_visible(request.user).filter(trainee=trainee),
            "hours": mine,
            "today": timezone.localdate(),
        },
    )


# ---------------------------------------------------------------- courses


@login_required
def course_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        errors = _attempt(
            request,
            lambda: svc.course_create(
                actor=user,
                title=request.POST.get("title", ""),
                topic=request.POST.get("topic", ""),
                class_hours=_decimal(request.POST.get("class_hours"), "class_hours"),
                description=request.POST.get("description", ""),
            ),
            reverse("training:courses"),
        )
        if isinstance(errors, HttpResponse):
            return errors
    qs = sel.courses_visible(user)
    topic = request.GET.get("topic", "")
    if topic:
        qs = qs.filter(topic=topic)
    return render(
        request,
        "training/courses.html",
        {
            "page_obj": _page(request, qs),
            "errors": errors,
            "topics": Topic.choices,
            "topic": topic,
            "may_create": user.role in RUNNERS,
        },
    )


@login_required
def course_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    course = sel.course_get(user, pk)
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        errors = _attempt(
            request,
            lambda: svc.lesson_add(
                actor=user,
                course=course,
                title=request.POST.get("title", ""),
                kind=request.POST.get("kind", ""),
                body=request.POST.get("body", ""),
                file=request.FILES.get("file"),
                minutes=_int(request.POST.get("minutes")) or 0,
            ),
            reverse("training:course", args=[pk]),
        )
        if isinstance(errors, HttpResponse):
            return errors
    trainee = sel.trainee_for_user(user)
    done = sel.completed_lessons(trainee, course)
    lessons = list(course.lessons.all())
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "lessons": lessons,
            "done": done,
            "done_count": len(done),
            "errors": errors,
            "kinds": Lesson.Kind.choices,
            "may_edit": user.role in RUNNERS,
            "learners": sel.course_progress_of(user, course)[:50] if user.role in RUNNERS else [],
            "exams": sel.exams_visible(user).filter(course=course),
        },
    )


def _lesson_of(request: AuthedRequest, pk: int) -> Lesson:
    return sel.lesson_get(request.user, pk)


def _upload_response(path: str, *, download: bool = False) -> HttpResponseBase:
    """A training upload, after the view's scope check, under the type its content was found
    to be when uploaded (`svc.upload_check`)."""
    response = private_file_response(path)
    ext = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if ext in svc.UPLOAD_CONTENT_TYPES:
        response["Content-Type"] = svc.UPLOAD_CONTENT_TYPES[ext]
    if download:
        name = path.rsplit("/", 1)[-1].split("-", 1)[-1]
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def lesson_file(request: AuthedRequest, pk: int) -> HttpResponseBase:
    lesson = sel.lesson_get(request.user, pk)
    if not lesson.file:
        raise Http404
    return _upload_response(lesson.file)


@login_required
def session_photo_file(request: AuthedRequest, pk: int) -> HttpResponseBase:
    return _upload_response(sel.session_photo_get(request.user, pk).image)


def _progress_json(lesson: Lesson, progress: Any) -> dict[str, Any]:
    followed = progress.seconds_followed if progress is not None else 0
    return {
        "seconds_followed": followed,
        "required_seconds": svc.lesson_required_seconds(lesson),
        "completed": progress is not None and progress.completed_at is not None,
    }


@login_required
def lesson_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = _lesson_of(request, pk)
    if request.method == "POST":
        try:
            svc.lesson_complete(actor=request.user, lesson=lesson)
        except InvalidInput as exc:
            messages.error(request, exc.message)
            return redirect("training:lesson", pk=pk)
        messages.success(request, _("Lesson completed."))
        return redirect("training:course", pk=lesson.course_id)
    trainee = sel.trainee_for_user(request.user)
    progress = sel.lesson_progress(trainee, lesson)
    return render(
        request,
        "training/lesson.html",
        {
            "lesson": lesson,
            "trainee": trainee,
            "progress": _progress_json(lesson, progress),
            "done": progress is not None and progress.completed_at is not None,
            "beat_seconds": svc.HEARTBEAT_SECONDS,
        },
    )


@login_required
@require_POST
def lesson_heartbeat(request: AuthedRequest, pk: int) -> HttpResponse:
    """The open lesson page's beat (JSON): the server measures the time between beats."""
    from django.http import JsonResponse

    lesson = _lesson_of(request, pk)
    raw = request.POST.get("position", "")
    try:
        position = float(raw) if raw else None
        progress = svc.lesson_heartbeat(actor=request.user, lesson=lesson, position=position)
    except InvalidInput as exc:
        return JsonResponse({"detail": exc.errors}, status=422)
    except ValueError:
        message = _("The video position must be zero or more seconds.")
        return JsonResponse({"detail": {"position": message}}, status=422)
    return JsonResponse(_progress_json(lesson, progress))


# ---------------------------------------------------------------- question bank


@login_required
def question_list(request: AuthedRequest) -> HttpResponse:
    qs = sel.question_statistics(request.user)
    topic, qtype = request.GET.get("topic", ""), request.GET.get("type", "")
    if topic:
        qs = qs.filter(topic=topic)
    if qtype:
        qs = qs.filter(type=qtype)
    if request.GET.get("export") == "xlsx":
        return spreadsheet_response(
            _("question statistics"),
            [
                _("code"),
                pgettext("training", "topic"),
                _("type"),
                _("question"),
                _("asked"),
                _("answered right"),
                _("difficulty"),
            ],
            (
                [
                    q.code,
                    q.get_topic_display(),
                    q.get_type_display(),
                    q.stem,
                    q.asked,  # type: ignore[attr-defined]
                    q.right,  # type: ignore[attr-defined]
                    sel._rate(q.right, q.asked),  # type: ignore[attr-defined]
                ]
                for q in qs
            ),
        )
    return render(
        request,
        "training/questions.html",
        {
            "page_obj": _page(request, qs),
            "topics": Topic.choices,
            "types": QuestionType.choices,
            "topic": topic,
            "type": qtype,
        },
    )


def _question_fields(post: Any) -> svc.QuestionFields:
    options = []
    for line in post.get("options", "").splitlines():
        if not line.strip():
            continue
        key, _sep, text = line.partition(".")
        options.append({"key": key.strip(), "text": text.strip()})
    return svc.QuestionFields(
        topic=post.get("topic", ""),
        type=post.get("type", ""),
        stem=post.get("stem", ""),
        options=options,
        answer=[
            a.strip() for a in post.get("answer", "").replace("，", ",").split(",") if a.strip()
        ],
        explanation=post.get("explanation", ""),
        basis=post.get("basis", ""),
    )


@login_required
def question_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    question = sel.question_get(user, pk) if pk else None
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        errors = _attempt(
            request,
            lambda: svc.question_save(
                actor=user,
                data=_question_fields(request.POST),
                question=question,
                code=request.POST.get("code", ""),
            ),
            reverse("training:questions"),
        )
        if isinstance(errors, HttpResponse):
            return errors
    initial = (
        {
            "code": question.code,
            "topic": question.topic,
            "type": question.type,
            "stem": question.stem,
            "options": "\n".join(f"{o['key']}. {o['text']}" for o in question.options),
            "answer": ",".join(question.answer),
            "explanation": question.explanation,
            "basis": question.basis,
        }
        if question
        else {}
    )
    return render(
        request,
        "training/question_form.html",
        {
            "question": question,
            "data": request.POST if request.method == "POST" else initial,
            "errors": errors,
            "topics": Topic.choices,
            "types": QuestionType.choices,
        },
    )


# ---------------------------------------------------------------- exams


@login_required
def exam_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        p = request.POST
        errors = _attempt(
            request,
            lambda: svc.exam_create(
                actor=user,
                title=p.get("title", ""),
                topics=p.getlist("topics"),
                single_count=_int(p.get("single_count")) or 0,
                multiple_count=_int(p.get("multiple_count")) or 0,
                true_false_count=_int(p.get("true_false_count")) or 0,
                pass_mark=_int(p.get("pass_mark")),
                time_limit_minutes=_int(p.get("time_limit_minutes")),
                max_attempts=_int(p.get("max_attempts")),
                course=sel.courses_visible(user).filter(pk=_int(p.get("course")) or 0).first(),
                requires_lessons=p.get("requires_lessons") == "1",
                required_session=sel.sessions_visible(user)
                .filter(pk=_int(p.get("required_session")) or 0)
                .first(),
            ),
            reverse("training:exams"),
        )
        if isinstance(errors, HttpResponse):
            return errors
    trainee = sel.trainee_for_user(user)
    exams = sel.exams_visible(user)
    return render(
        request,
        "training/exams.html",
        {
            "exams": exams,
            "errors": errors,
            "topics": Topic.choices,
            "courses": sel.courses_visible(user),
            "sessions": sel.session_list(user)[:100] if user.role in RUNNERS else [],
            "may_create": user.role in RUNNERS,
            "attempts": sel.attempts_visible(user).filter(trainee=trainee) if trainee else [],
        },
    )


@login_required
def exam_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    exam = sel.exam_get(user, pk)
    if request.method == "POST":
        try:
            attempt = svc.exam_attempt_start(actor=user, exam=exam)
        except InvalidInput as exc:
            messages.error(request, exc.message)
            return redirect("training:exam", pk=pk)
        return redirect("training:attempt", pk=attempt.pk)
    trainee = sel.trainee_for_user(user)
    staff = user.role in sel.STAFF_ROLES
    return render(
        request,
        "training/exam_detail.html",
        {
            "exam": exam,
            "results": sel.exam_results(user, exam) if staff else None,
            "items": sel.question_statistics(user, exam=exam).filter(asked__gt=0)  # type: ignore[misc]
            if staff
            else [],
            "attempts": sel.attempts_visible(user).filter(exam=exam)[:100],
            "trainee": trainee,
        },
    )


@login_required
def attempt_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    attempt = sel.attempt_get(user, pk)
    if request.method == "POST":
        answers = {}
        for item in attempt.items.all():
            answers[item.question_id] = request.POST.getlist(f"q{item.question_id}")
        try:
            svc.exam_attempt_submit(actor=user, attempt=attempt, answers=answers)
        except InvalidInput as exc:
            messages.error(request, exc.message)
        return redirect("training:attempt", pk=pk)
    return render(
        request,
        "training/attempt.html",
        {
            "attempt": attempt,
            "rows": sel.attempt_item_rows(attempt),
            "open": attempt.status == attempt.Status.STARTED,
            "certificate": getattr(attempt, "certificate", None),
        },
    )


# ---------------------------------------------------------------- certificates


@login_required
def certificate_list(request: AuthedRequest) -> HttpResponse:
    qs = sel.certificates_visible(request.user)
    if request.GET.get("expiring") == "1":
        qs = sel.certificates_expiring(request.user)
    status = request.GET.get("status", "")
    today = timezone.localdate()
    if status == "revoked":
        qs = qs.filter(revoked_at__isnull=False)
    elif status == "expired":
        qs = qs.filter(revoked_at__isnull=True, expires_on__lt=today)
    elif status == "valid":
        qs = qs.filter(revoked_at__isnull=True, expires_on__gte=today)
    if request.GET.get("export") == "xlsx":
        return spreadsheet_response(
            _("certificates"),
            [
                _("certificate number"),
                _("trainee"),
                pgettext("training", "enterprise"),
                _("title"),
                _("issued on"),
                _("expires on"),
                _("status"),
            ],
            (
                [
                    c.code,
                    c.trainee.name,
                    c.trainee.enterprise.name if c.trainee.enterprise else "",
                    c.title,
                    c.issued_on,
                    c.expires_on,
                    sel.certificate_status_label(sel.certificate_status(c, today)),
                ]
                for c in qs
            ),
        )
    return render(
        request,
        "training/certificates.html",
        {"page_obj": _page(request, qs), "status": status, "today": today},
    )


@login_required
def certificate_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    certificate = sel.certificate_get(request.user, pk)
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        errors = _attempt(
            request,
            lambda: svc.certificate_revoke(
                actor=request.user, certificate=certificate, reason=request.POST.get("reason", "")
            ),
            reverse("training:certificate", args=[pk]),
            done=_("The certificate is revoked."),
        )
        if isinstance(errors, HttpResponse):
            return errors
    status = sel.certificate_status(certificate)
    return render(
        request,
        "training/certificate_detail.html",
        {
            "certificate": certificate,
            "status": status,
            "status_label": sel.certificate_status_label(status),
            "errors": errors,
            "may_revoke": request.user.role in (*PROVINCE_WIDE_ROLES, *RUNNERS)
            and certificate.revoked_at is None,
        },
    )


@login_required
def certificate_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    certificate = sel.certificate_get(request.user, pk)
    if not sees_person_names(request.user):
        # The certificate itself names its holder in full: for the people who see names.
        raise Http404
    url = request.build_absolute_uri(reverse("training:verify", args=[certificate.code]))
    response = HttpResponse(
        sel.certificate_pdf(certificate, verify_url=url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{certificate.code}.pdf"'
    return response


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone holding a certificate's code (its QR) may check it, without signing in."""
    certificate = sel.certificate_by_code(code)
    status = sel.certificate_status(certificate) if certificate else ""
    return render(
        request,
        "training/verify.html",
        {
            "certificate": certificate,
            "status": status,
            "status_label": sel.certificate_status_label(status) if status else "",
        },
        status=200 if certificate else 404,
    )


# ---------------------------------------------------------------- campaigns


@login_required
def campaign_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        p = request.POST
        region = regions_visible(user).filter(code=p.get("region", "")).first()

        def create() -> None:
            if region is None:
                raise InvalidInput({"region": _("Choose a region.")})
            svc.campaign_create(
                actor=user,
                name=p.get("name", ""),
                region=region,
                starts_on=_date(p.get("starts_on"), "starts_on"),
                ends_on=_date(p.get("ends_on"), "ends_on"),
                target_enterprises=_int(p.get("target_enterprises")) or 0,
                target_person_times=_int(p.get("target_person_times")) or 0,
                description=p.get("description", ""),
            )

        errors = _attempt(request, create, reverse("training:campaigns"))
        if isinstance(errors, HttpResponse):
            return errors
    return render(
        request,
        "training/campaigns.html",
        {
            "campaigns": sel.campaigns_visible(user),
            "errors": errors,
            "may_create": user.role in PLANNERS,
            "regions": regions_visible(user).filter(level__lte=Region.Level.COUNTY)[:300],
        },
    )


@login_required
def campaign_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = sel.campaign_get(user, pk)
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        codes = [
            c.strip().upper()
            for c in request.POST.get("credit_codes", "").replace(",", "\n").splitlines()
            if c.strip()
        ]

        def link() -> None:
            found = list(enterprises_visible(user).filter(credit_code__in=codes))
            missing = sorted(set(codes) - {e.credit_code for e in found})
            if missing:
                raise InvalidInput(
                    {
                        "credit_codes": _("Unknown credit codes: %(codes)s")
                        % {"codes": ", ".join(missing)}
                    }
                )
            svc.campaign_link(
                actor=user,
                campaign=campaign,
                enterprises=found,
                courses=sel.courses_visible(user).filter(pk__in=request.POST.getlist("course")),
            )

        errors = _attempt(request, link, reverse("training:campaign", args=[pk]))
        if isinstance(errors, HttpResponse):
            return errors
    progress = sel.campaign_progress(campaign)
    return render(
        request,
        "training/campaign_detail.html",
        {
            "definition": sel.PERSON_TIMES_DEFINITION,
            "campaign": campaign,
            "progress": progress,
            "errors": errors,
            "courses": sel.courses_visible(user),
            "sessions": sel.session_list(user, sel.SessionFilter(campaign=campaign.pk))[:50],
            "targets": campaign.enterprises.select_related("city", "county")[:200],
            "may_edit": user.role in PLANNERS,
        },
    )


# ---------------------------------------------------------------- targeting


@login_required
def targeting(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if user.role not in (*PLANNERS, Role.AUDITOR, Role.INSTITUTION_STAFF, Role.GRID_WORKER):
        raise PermissionDenied(_("Targeting is for officials."))
    year = bounded_year(request.GET.get("year")) or timezone.localdate().year
    targets = sel.training_targets(user, year=year)
    hours = sel.key_people_hours(user, role=request.GET.get("key_role", ""))
    today = timezone.localdate()
    if request.GET.get("export") == "xlsx":
        return spreadsheet_response(
            _("training targets"),
            [
                pgettext("training", "enterprise"),
                _("credit code"),
                _("city"),
                _("county"),
                _("open hazard topics"),
                _("priority rank"),
            ],
            (
                [
                    t.enterprise.name,
                    t.enterprise.credit_code,
                    t.enterprise.city.name,
                    t.enterprise.county.name,
                    "、".join(str(Topic(x).label) for x in t.topics),
                    t.priority_rank or "",
                ]
                for t in targets
            ),
        )
    topics = sorted({x for t in targets for x in t.topics})
    return render(
        request,
        "training/targeting.html",
        {
            "year": year,
            "targets": _page(request, targets),
            "recommendations": sel.recommendations_for(user, topics),
            "topic_labels": [Topic(t).label for t in topics],
            "hours": [(h, h.meets_rule(today)) for h in hours[:200]],
            "coverage": sel.key_people_coverage(hours, on=today),
            "today": today,
            "roles": [c for c in KeyRole.choices if c[0] != KeyRole.OTHER],
            "key_role": request.GET.get("key_role", ""),
        },
    )


# ---------------------------------------------------------------- materials


@login_required
def material_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        p = request.POST

        def create() -> None:
            upload = request.FILES.get("file")
            if upload is None:
                raise InvalidInput({"file": _("Upload the file.")})
            svc.material_create(
                actor=user,
                title=p.get("title", ""),
                kind=p.get("kind", ""),
                topic=p.get("topic", ""),
                file=upload,
                series=p.get("series", ""),
                authors=p.get("authors", ""),
                publisher=p.get("publisher", ""),
                year=_int(p.get("year")),
                description=p.get("description", ""),
            )

        errors = _attempt(request, create, reverse("training:materials"))
        if isinstance(errors, HttpResponse):
            return errors
    qs = sel.materials_visible(user)
    topic = request.GET.get("topic", "")
    if topic:
        qs = qs.filter(topic=topic)
    return render(
        request,
        "training/materials.html",
        {
            "page_obj": _page(request, qs),
            "errors": errors,
            "topics": Topic.choices,
            "kinds": Material.Kind.choices,
            "topic": topic,
            "may_create": user.role in RUNNERS,
        },
    )


@login_required
def material_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    material = sel.material_get(request.user, pk)
    response = _upload_response(material.file, download=True)
    svc.material_download(material=material)
    return response


# ---------------------------------------------------------------- statistics and feedback


@login_required
def statistics(request: AuthedRequest) -> HttpResponse:
    user = request.user
    year = bounded_year(request.GET.get("year")) or timezone.localdate().year
    dimension = request.GET.get("by", "city")
    if dimension not in sel.STAT_DIMENSIONS:
        dimension = "city"
    rows = sel.training_statistics(user, year=year, dimension=dimension)
    if request.GET.get("export") == "xlsx":
        return spreadsheet_response(
            _("training statistics"),
            [
                dimension,
                _("sessions"),
                _("person-times"),
                _("enterprises reached"),
                _("exam attempts"),
                _("passed"),
                _("pass rate (%)"),
            ],
            (
                [
                    r["label"],
                    r["sessions"],
                    r["person_times"],
                    r["enterprises"],
                    r["attempts"],
                    r["passed"],
                    r["pass_rate"],
                ]
                for r in rows
            ),
        )
    return render(
        request,
        "training/statistics.html",
        {
            "rows": rows,
            "year": year,
            "by": dimension,
            "dimensions": [
                ("city", _("city")),
                ("base", _("training base")),
                ("topic", pgettext("training", "topic")),
                ("month", _("month")),
            ],
            "card": sel.training_card(user, year=year),
            "total": sel.statistics_total(rows),
            "definition": sel.PERSON_TIMES_DEFINITION,
            "chart": sel.months_chart(rows, title=_("person-times")),
            "scores": sel.feedback_scores(user),
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
        },
    )
