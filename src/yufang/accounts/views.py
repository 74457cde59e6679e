from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yufang.accounts.forms import LoginForm, UserFilterForm
from yufang.accounts.http import AuthedRequest
from yufang.accounts.models import Role
from yufang.accounts.scoping import may_manage_account, regions_visible
from yufang.accounts.scoping.institutions import institutions_pickable
from yufang.accounts.selectors import user_list, users_visible
from yufang.accounts.services import (
    CREATABLE_ROLES,
    LoginError,
    UserInvalid,
    login_check,
    login_locked_usernames,
    login_unlock,
    user_create,
    user_password_change,
    user_password_set,
    user_set_active,
)
from yufang.organisations.models import Department

USER_FIELDS = (
    "username",
    "password",
    "role",
    "full_name",
    "phone",
    "region",
    "grid",
    "enterprise",
    "institution",
    "department",
)


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = login_check(
                request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except LoginError as exc:
            error = exc.message
        else:
            login(request, user, backend="yufang.accounts.backends.UsernameOrPhoneBackend")
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(
                target, {request.get_host()}, request.is_secure()
            ):
                target = reverse("home:index")
            return HttpResponseRedirect(target)
    return render(request, "accounts/login.html", {"form": form, "error": error})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    response = redirect("accounts:login")
    # The browser's HTTP cache may hold pages with personal data for the next person on a
    # shared phone or desk. Not "storage": that would also drop a grid worker's unsynced
    # field results without asking; the field app clears its own stores after asking.
    response["Clear-Site-Data"] = '"cache"'
    return response


@login_required
def users(request: AuthedRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    q = role = ""
    if form.is_valid():
        q, role = form.cleaned_data["q"], form.cleaned_data["role"]
    page = Paginator(user_list(request.user, q=q, role=role), 50).get_page(request.GET.get("page"))
    locked = login_locked_usernames([u.username for u in page])
    for u in page:
        u.is_locked_out = u.username in locked  # type: ignore[attr-defined]
        u.may_manage = may_manage_account(request.user, u)  # type: ignore[attr-defined]
    return render(
        request,
        "accounts/users.html",
        {
            "form": form,
            "page_obj": page,
            "may_manage": request.user.role in CREATABLE_ROLES,
        },
    )


@login_required
def user_new(request: AuthedRequest) -> HttpResponse:
    allowed = CREATABLE_ROLES.get(request.user.role)
    if not allowed:
        raise PermissionDenied(_("Your role cannot open accounts."))
    errors: dict[str, str] = {}
    values = {k: request.POST.get(k, "") for k in USER_FIELDS} if request.method == "POST" else {}
    if request.method == "POST":
        try:
            user_create(
                actor=request.user,
                username=values["username"],
                password=values["password"],
                role=values["role"],
                full_name=values["full_name"],
                phone=values["phone"],
                scope={
                    k: values[k]
                    for k in ("region", "grid", "enterprise", "institution", "department")
                },
            )
        except UserInvalid as exc:
            errors = exc.errors
        else:
            messages.success(request, _("The account is open."))
            return redirect("accounts:users")
    return render(
        request,
        "accounts/user_new.html",
        {
            "roles": [(value, label) for value, label in Role.choices if value in allowed],
            "institutions": institutions_pickable(request.user),
            "departments": Department.objects.filter(
                region__in=regions_visible(request.user)
            ).select_related("region"),
            "values": values,
            "errors": errors,
        },
    )


@login_required
@require_POST
def user_active(request: AuthedRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(users_visible(request.user), pk=pk)
    try:
        user_set_active(
            actor=request.user, user=user, is_active=request.POST.get("is_active") == "1"
        )
    except UserInvalid as exc:
        messages.error(request, exc.message)
    return redirect("accounts:users")


@login_required
@require_POST
def user_unlock(request: AuthedRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(users_visible(request.user), pk=pk)
    login_unlock(actor=request.user, user=user)
    messages.success(request, _("%(user)s may sign in again.") % {"user": user})
    return redirect("accounts:users")


@login_required
def user_password(request: AuthedRequest, pk: int) -> HttpResponse:
    """An official sets a new password for someone who forgot theirs."""
    user = get_object_or_404(users_visible(request.user), pk=pk)
    if not may_manage_account(request.user, user):
        raise PermissionDenied(_("You cannot change this account."))
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            if request.POST.get("password", "") != request.POST.get("password_again", ""):
                raise UserInvalid(_("The two passwords differ."), "password_again")
            user_password_set(
                actor=request.user, user=user, password=request.POST.get("password", "")
            )
        except UserInvalid as exc:
            errors = exc.errors
        else:
            messages.success(request, _("The new password of %(user)s is set.") % {"user": user})
            return redirect("accounts:users")
    return render(request, "accounts/password_set.html", {"account": user, "errors": errors})


@login_required
def password_change(request: AuthedRequest) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            if request.POST.get("new_password", "") != request.POST.get("password_again", ""):
                raise UserInvalid(_("The two passwords differ."), "password_again")
            user_password_change(
                user=request.user,
                old_password=request.POST.get("old_password", ""),
                new_password=request.POST.get("new_password", ""),
            )
        except UserInvalid as exc:
            errors = exc.errors
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password is changed."))
            return redirect("home:index")
    return render(request, "accounts/password_change.html", {"errors": errors})
