from __future__ import annotations

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yufang.accounts.forms import LoginForm, UserFilterForm
from yufang.accounts.http import AuthedRequest
from yufang.accounts.selectors import user_list
from yufang.accounts.services import LoginError, login_check


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
    return redirect("accounts:login")


@login_required
def users(request: AuthedRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    q = role = ""
    if form.is_valid():
        q, role = form.cleaned_data["q"], form.cleaned_data["role"]
    page = Paginator(user_list(request.user, q=q, role=role), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/users.html", {"form": form, "page_obj": page})
