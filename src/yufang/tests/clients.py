"""Clients the tests talk to the platform with, as a browser and a client system would.

`FormClient` enforces CSRF like the real middleware. A form post carries the token only when
the page fetched last holds a POST form for that address with its `csrfmiddlewaretoken`, as a
browser submitting that form would: a test posts the way a user does (open the page, submit its
form), and a form that forgot `{% csrf_token %}` fails. A JSON call with the session sends the
`X-CSRFToken` header from the cookie, as the pages' scripts do; a call with a bearer token
sends none.

`ApiClient` is an outside system: httpx against the live server with a bearer token.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.test.client import MULTIPART_CONTENT


class _PostForms(HTMLParser):
    """The POST forms of a page: (action, csrf token or None)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str | None, str | None]] = []
        self._open: list[Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._open = [a.get("action"), None]
            else:
                self._open = None
        elif tag == "input" and self._open is not None and a.get("name") == "csrfmiddlewaretoken":
            self._open[1] = a.get("value")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._open is not None:
            self.forms.append((self._open[0], self._open[1]))
            self._open = None


def _path_of(url: str) -> str:
    return urlsplit(url).path


OCTETS = "application/octet-stream"


class FormClient(Client):
    def __init__(self, **defaults: Any) -> None:
        super().__init__(enforce_csrf_checks=True, **defaults)
        self.last_page_url: str | None = None
        self.last_page_html: str = ""

    def request(self, **request: Any) -> Any:
        response = super().request(**request)
        content_type = response.get("Content-Type", "")
        if (
            request.get("REQUEST_METHOD") == "GET"
            and response.status_code == 200
            and content_type.startswith("text/html")
            and not getattr(response, "streaming", False)
        ):
            self.last_page_url = request.get("PATH_INFO", "/")
            self.last_page_html = response.content.decode()
        return response

    def force_login(self, user: Any, backend: str | None = None) -> None:
        """Signed in as through the login page, which leaves its CSRF cookie behind: the
        pages' scripts send it with their JSON calls. Forms still need their page opened."""
        super().force_login(user, backend)
        self.cookies[settings.CSRF_COOKIE_NAME] = _get_new_csrf_string()

    def form_token(self, path: str) -> str | None:
        """The CSRF token of the last page's POST form that submits to `path`."""
        if self.last_page_url is None:
            return None
        parser = _PostForms()
        parser.feed(self.last_page_html)
        target = _path_of(path)
        for action, token in parser.forms:
            resolved = urljoin(self.last_page_url, action) if action else self.last_page_url
            if _path_of(resolved) == target and token:
                return token
        return None

    def _with_token(
        self, method: str, path: str, data: Any, content_type: str, extra: dict[str, Any]
    ) -> Any:
        headers = dict(extra.pop("headers", None) or {})
        bearer = headers.get("Authorization", "") or extra.get("HTTP_AUTHORIZATION", "")
        is_form = content_type == MULTIPART_CONTENT or content_type.startswith(
            "application/x-www-form-urlencoded"
        )
        # The API's session callers are the pages' scripts: they send the cookie's token in
        # the header, whatever the body.
        if is_form and method == "post" and not _path_of(path).startswith("/api/"):
            token = self.form_token(path)
            if token is not None and isinstance(data, dict):
                data = {"csrfmiddlewaretoken": token, **data}
            elif token is not None and data is None:
                data = {"csrfmiddlewaretoken": token}
        elif not bearer and "csrftoken" in self.cookies:
            headers.setdefault("X-CSRFToken", self.cookies["csrftoken"].value)
        return data, headers

    def post(  # type: ignore[override]
        self, path: str, data: Any = None, content_type: str = MULTIPART_CONTENT, **extra: Any
    ) -> Any:
        data, headers = self._with_token("post", path, data, content_type, extra)
        return super().post(path, data, content_type, headers=headers, **extra)

    def _body_call(
        self, method: str, path: str, data: Any, content_type: str, extra: dict[str, Any]
    ) -> Any:
        data, headers = self._with_token(method, path, data, content_type, extra)
        return getattr(super(), method)(path, data, content_type, headers=headers, **extra)

    def put(  # type: ignore[override]
        self, path: str, data: Any = "", content_type: str = OCTETS, **extra: Any
    ) -> Any:
        return self._body_call("put", path, data, content_type, extra)

    def patch(  # type: ignore[override]
        self, path: str, data: Any = "", content_type: str = OCTETS, **extra: Any
    ) -> Any:
        return self._body_call("patch", path, data, content_type, extra)

    def delete(  # type: ignore[override]
        self, path: str, data: Any = "", content_type: str = OCTETS, **extra: Any
    ) -> Any:
        return self._body_call("delete", path, data, content_type, extra)

    def post_direct(self, path: str, data: dict[str, Any] | None = None, **extra: Any) -> Any:
        """A form post made by hand with the session's own CSRF token, as someone who edits a
        form's address would: for checking that scope, not CSRF, refuses it."""
        token = self.cookies[settings.CSRF_COOKIE_NAME].value
        return super().post(path, {"csrfmiddlewaretoken": token, **(data or {})}, **extra)

    def submit(
        self,
        page: str,
        data: dict[str, Any] | None = None,
        *,
        action: str | None = None,
        **extra: Any,
    ) -> Any:
        """Open `page` and submit its POST form for `action` (the page itself by default)."""
        opened = self.get(page)
        assert opened.status_code == 200, f"{page} answered {opened.status_code}"
        return self.post(action or page, data or {}, **extra)


class ApiClient(httpx.Client):
    """A client system: the live server's API with a bearer token for one account."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        super().__init__(base_url=f"{base_url}/api/v1", headers=headers, timeout=30)

    @classmethod
    def signed_in(cls, base_url: str, username: str, password: str) -> ApiClient:
        anonymous = cls(base_url)
        response = anonymous.post("/auth/token", json={"username": username, "password": password})
        anonymous.close()
        assert response.status_code == 200, response.text
        return cls(base_url, response.json()["token"])
