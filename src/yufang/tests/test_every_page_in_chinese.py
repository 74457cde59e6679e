"""Every page, opened in Simplified Chinese by every role, asks for no message that has no
Chinese translation: each gettext call that comes back as its English msgid is recorded
(templates, forms, models' labels, messages) and the test names the page and the msgid."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from django.utils.translation import trans_real

pytestmark = pytest.mark.django_db

# Messages that read the same in Chinese: abbreviations and names of formats and standards.
SAME_IN_CHINESE = {
    "API",
    "PDF",
    "Excel",
    "CSV",
    "XLSX",
    "QR",
    "LEC",
    "LEC L",
    "LEC E",
    "LEC C",
    "OSHA",
    "LTIFR",
    "English",
    "简体中文",
    "ID",
    "URL",
    "OpenAPI",
    "OK",
}
LETTERS = re.compile(r"[A-Za-z]{2,}")
# Pages that are not the platform's own text (the admin, the API's documentation) or that
# answer with files.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/i18n/", "/static/", "/media/")


def _paths(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    """Every address in the URL conf that takes no argument."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = str(entry.pattern)
        if "<" in route or "(?P" in route:
            continue
        if isinstance(entry, URLResolver):
            yield from _paths(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            yield "/" + (prefix + route).lstrip("^").rstrip("$")


class Untranslated:
    def __init__(self) -> None:
        self.seen: dict[str, set[str]] = defaultdict(set)
        self.page = ""

    def wrap(self, original: Any) -> Any:
        def gettext(message: str) -> str:
            result = original(message)
            if (
                translation.get_language() == "zh-hans"
                and result == message
                and LETTERS.search(message)
                and message not in SAME_IN_CHINESE
            ):
                self.seen[message].add(self.page)
            return result

        return gettext


@pytest.fixture
def untranslated(monkeypatch: pytest.MonkeyPatch) -> Untranslated:
    record = Untranslated()
    monkeypatch.setattr(trans_real, "gettext", record.wrap(trans_real.gettext))
    monkeypatch.setattr(translation._trans, "gettext", trans_real.gettext, raising=False)
    return record


def test_no_page_asks_for_an_untranslated_message(client, world, untranslated):
    paths = sorted({p for p in _paths() if not p.startswith(SKIPPED_PREFIXES)})
    paths += [f"/enterprises/{world.enterprise.pk}/", f"/enterprises/{world.enterprise.pk}/edit/"]
    opened = 0
    for role, user in world.people.items():
        client.force_login(user)
        for path in paths:
            untranslated.page = f"{path} ({role})"
            response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
            opened += response.status_code == 200
        client.logout()
    assert opened > 100, opened
    # The recorder itself hears a template's and a lazy label's gettext.
    from django.template import engines
    from django.utils.translation import gettext_lazy

    with translation.override("zh-hans"):
        engines["django"].from_string("{% load i18n %}{% translate 'zz probe one' %}").render()
        str(gettext_lazy("zz probe two"))
    assert {"zz probe one", "zz probe two"} <= set(untranslated.seen)
    del untranslated.seen["zz probe one"], untranslated.seen["zz probe two"]
    report = "\n".join(
        f"{msgid!r} on {', '.join(sorted(pages)[:3])}"
        for msgid, pages in sorted(untranslated.seen.items())
    )
    assert not untranslated.seen, f"{len(untranslated.seen)} messages without Chinese:\n{report}"
