"""The authorization matrix, generated from the URL conf and the OpenAPI schema: every page and
API operation, every role and the anonymous visitor, a record inside the user's scope and one
outside it (Qingdao against Jinan), reading and writing. What is expected is declared in
`access.py`; an endpoint without a declaration fails here.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from django.urls import reverse

from yufang.accounts.tests import access, matrix
from yufang.accounts.tests.records import OUTSIDE, build

NOWHERE = 999_999_999
DISCOVER = os.environ.get("YUFANG_MATRIX_DISCOVER")


def test_every_endpoint_has_a_declared_expectation() -> None:
    pages = set(matrix.page_names())
    declared_pages = set(access.PAGES)
    ops = set(matrix.api_operations())
    declared_ops = set(access.OPERATIONS)
    problems = [f"page {n} has no declared expectation" for n in sorted(pages - declared_pages)]
    problems += [f"page {n} is declared but gone" for n in sorted(declared_pages - pages)]
    problems += [f"API {m} {p} has no declared expectation" for m, p in sorted(ops - declared_ops)]
    problems += [f"API {m} {p} is declared but gone" for m, p in sorted(declared_ops - ops)]
    used = {p.get for p in access.PAGES.values()} | {
        p.post for p in access.PAGES.values() if p.post
    }
    used |= {o.rule for o in access.OPERATIONS.values()}
    problems += [f"rule {r} is not defined" for r in sorted(used - set(access.RULES))]
    for name, rule in access.RULES.items():
        missing = set(access.ROLES + (access.ANONYMOUS,)) - set(rule)
        problems += [f"rule {name} says nothing of {r}" for r in sorted(missing)]
    assert not problems, "\n".join(problems)


def _value(records: Any, side: str, kind: str | None, role: str) -> Any:
    if kind is None:
        return None
    values = records.inside if side == "inside" else records.outside
    value = values.get(kind, NOWHERE)
    if isinstance(value, dict):  # one per role (a notification is its recipient's)
        value = value.get(role, NOWHERE)
    return value


def _form(form: dict[str, str], records: Any, side: str, role: str) -> dict[str, Any]:
    """A page's form with each "{kind}" replaced by the side's record of that kind."""
    filled: dict[str, Any] = {}
    for key, value in form.items():
        if value.startswith("{") and value.endswith("}"):
            filled[key] = _value(records, side, value[1:-1], role)
        else:
            filled[key] = value
    return filled


def _page_url(name: str, params: list[str], kind: str | None, args: dict[str, str], value: Any):
    kwargs = dict(args)
    for param in params:
        if param not in kwargs:
            kwargs[param] = value
    return reverse(name, kwargs=kwargs)


def _api_url(
    path: str, records: Any, side: str, role: str, override: str | None = None
) -> tuple[str, str | None]:
    kind = None
    for param, param_kind in access.API_PARAM_KINDS.items():
        token = "{" + param + "}"
        if token in path:
            if override and param_kind not in ("year", "import_kind"):
                param_kind = override
            if param_kind not in ("year", "import_kind"):
                kind = param_kind
            path = path.replace(token, str(_value(records, side, param_kind, role)))
    if "{code}" in path:
        code_kind = "industry" if "/industries/" in path else "region"
        if "/certificates/verify/" in path:
            code_kind = "certificate_code"
        kind = code_kind
        path = path.replace("{code}", str(_value(records, side, code_kind, role)))
    return path, kind


def _order(method_path: tuple[str, str]) -> tuple[int, str, str]:
    method, path = method_path
    if path.endswith("/auth/token") and method == "DELETE":
        return (3, path, method)
    destructive = method == "DELETE" or _destroys(path)
    return (2 if destructive else (0 if method == "GET" else 1), path, method)


def _destroys(name: str) -> bool:
    return any(w in name for w in ("cancel", "delete", "revoke", "active", "password", "unlock"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*access.ROLES, access.ANONYMOUS])
def test_role_gets_what_the_matrix_declares(client: Any, world: Any, role: str) -> None:
    records = build(world)
    client.raise_request_exception = False
    if role != access.ANONYMOUS:
        client.force_login(world.people[role])
    sees_outside = role in access.PROVINCE_WIDE
    seen: dict[str, Any] = {}
    failures: list[str] = []

    def check(key: str, rule_name: str, side: str, response: Any) -> None:
        got = matrix.outcome(response)
        seen.setdefault(key, {})[side] = got
        if DISCOVER:
            return
        expected = access.RULES[rule_name][role][0 if side == "inside" else 1]
        if got == "5xx" or not matrix.accepts(expected, got):
            failures.append(
                f"{key} [{side}] expected {expected} ({rule_name}), got {response.status_code}"
            )
        elif not sees_outside and rule_name not in access.SHOWS_ANY_SCOPE and _leaks(response):
            failures.append(f"{key} [{side}] shows a record outside the scope ({OUTSIDE})")

    pages = matrix.page_names()
    calls: list[tuple[int, str, Any]] = []
    for name, params in pages.items():
        spec = access.PAGES.get(name)
        if spec is None:
            continue
        form_kind = spec.form_kind()
        sides = ("inside", "outside") if spec.kind or form_kind else ("inside",)
        for side in sides:
            url = _page_url(
                name, params, spec.kind, spec.args, _value(records, side, spec.kind, role)
            )
            if spec.kind or side == "inside":
                calls.append((0, f"GET {name}", (spec.get, side, "get", url)))
            if spec.post:
                order = 3 if "logout" in name else 2 if _destroys(name) else 1
                form = _form(spec.form, records, side, role)
                calls.append((order, f"POST {name}", (spec.post, side, "post", url, form)))
    ops = matrix.api_operations()
    for (method, path), info in sorted(ops.items(), key=lambda kv: _order(kv[0])):
        spec = access.OPERATIONS.get((method, path))
        if spec is None:
            continue
        _, kind = _api_url(path, records, "inside", role, spec.kind)
        for side in ("inside", "outside") if kind else ("inside",):
            url, _ = _api_url(path, records, side, role, spec.kind)
            order = _order((method, path))[0]
            if spec.body is not None:
                info = info | {"body": spec.body}
            info = info | {"ids": records.inside if side == "inside" else records.outside}
            calls.append((order, f"{method} {path}", (spec.rule, side, method, url, info)))

    for _, key, call in sorted(calls, key=lambda c: c[0]):
        if call[2] == "get":
            rule, side, _how, url = call
            response = client.get(url)
        elif call[2] == "post":
            rule, side, _how, url, form = call
            response = client.post_direct(url, form)
        else:
            rule, side, method, url, info = call
            response = _call_api(client, method, url, info)
        check(key, rule, side, response)

    if DISCOVER:
        with open(os.path.join(DISCOVER, f"{role}.json"), "w", encoding="utf-8") as out:
            json.dump(seen, out, ensure_ascii=False, indent=0, sort_keys=True)
        return
    assert not failures, f"{len(failures)} unexpected answers for {role}:\n" + "\n".join(failures)


def _call_api(client: Any, method: str, url: str, info: dict[str, Any]) -> Any:
    body = matrix.request_body(info["op"], info["components"])
    if "body" in info:
        if body is not None and body[0].startswith("multipart"):
            # A form with a file: the declared fields replace the schema's small values.
            body = (body[0], body[1] | info["body"])
        else:
            body = ("application/json", json.dumps(info["body"]))
    body = _with_record_ids(body, info.get("ids", {}))
    if method == "GET":
        return client.get(url)
    if body is None:
        return client.generic(method, url, "", headers=_csrf(client))
    content_type, data = body
    if content_type == "application/json":
        return client.generic(method, url, data, content_type, headers=_csrf(client))
    if content_type.startswith("multipart"):
        return client.post(url, data)
    from urllib.parse import urlencode

    return client.generic(method, url, urlencode(data), content_type, headers=_csrf(client))


def _with_record_ids(body: Any, ids: dict[str, Any]) -> Any:
    """A body's ids of records (`enterprise_id`, `hazard`…) name the side's own records, not
    the schema's placeholder 1: ids are not 1 on a database whose sequences run on (PostgreSQL)."""
    if body is None:
        return None
    content_type, data = body
    loaded = json.loads(data) if content_type == "application/json" else data
    if not isinstance(loaded, dict):
        return body
    for key, value in list(loaded.items()):
        kind = key.removesuffix("_id")
        if isinstance(value, int) and not isinstance(value, bool) and kind in ids:
            if isinstance(ids[kind], int):
                loaded[key] = ids[kind]
    if content_type == "application/json":
        return content_type, json.dumps(loaded)
    return content_type, loaded


def _csrf(client: Any) -> dict[str, str]:
    cookie = client.cookies.get("csrftoken")
    return {"X-CSRFToken": cookie.value} if cookie else {}


def _leaks(response: Any) -> bool:
    if getattr(response, "streaming", False):
        return False
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(("text/", "application/json")):
        return False
    return OUTSIDE in response.content.decode(errors="ignore")


# --- what the matrix found ------------------------------------------------------------------------


@pytest.mark.django_db
def test_setting_a_password_with_the_field_missing_names_the_field_instead_of_a_500(
    client: Any, world: Any
) -> None:
    from yufang.accounts.models import Role

    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    grid_worker = world.people[Role.GRID_WORKER]
    response = client.post_direct(f"/accounts/users/{grid_worker.pk}/password/", {})
    assert response.status_code == 200
    assert "password" in response.context["errors"]


@pytest.mark.django_db
def test_someone_elses_notification_is_not_found(client: Any, world: Any) -> None:
    from yufang.accounts.models import Role
    from yufang.notifications.services import notify

    theirs = notify(recipients=[world.jinan_city_official], title="济南的通知", by_email=False)[0]
    client.force_login(world.people[Role.CITY_OFFICIAL])
    assert client.get(f"/notifications/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
