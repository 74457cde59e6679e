"""The house stays readable: no Python module but a migration grows past 800 lines (split it
along its sections into a package, as hazards.services and training.api are)."""

from __future__ import annotations

from pathlib import Path

SRC = Path(__file__).resolve().parents[1]
LIMIT = 800


def test_no_module_is_over_800_lines():
    long = {
        str(path.relative_to(SRC)): n
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert not long, long


def test_no_template_has_an_inline_event_handler():
    """The content-security policy allows scripts from the platform's files only: an
    `onchange="…"` in a template is blocked in the browser (use `data-autosubmit` and app.js)."""
    import re

    handler = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
    found = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.html")
        if handler.search(path.read_text(encoding="utf-8"))
    ]
    assert not found, found


def _view_name_offenders() -> dict[str, list[str]]:
    """Every named URL of a yufang app whose view function is not named as the URL
    (or `<name>_view` where the plain name is a keyword, a builtin or an import of the module).
    A class-based view is judged by its class: `view_class.__name__` must be the URL name in
    CamelCase (`case_new` -> `CaseNew`, or `CaseNewView`)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    offenders: dict[str, list[str]] = {}

    def walk(patterns: list, namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name and namespace:
                callback = entry.callback
                module = getattr(callback, "__module__", "") or ""
                if not module.startswith("yufang."):
                    continue
                view_class = getattr(callback, "view_class", None)
                if view_class is not None:
                    camel = "".join(part.title() for part in entry.name.split("_"))
                    allowed = {camel, camel + "View"}
                    got = view_class.__name__
                else:
                    allowed = {entry.name, entry.name + "_view"}
                    got = callback.__name__
                if got not in allowed:
                    offenders.setdefault(namespace, []).append(f"{entry.name} -> {got}")

    walk(get_resolver().url_patterns, None)
    return offenders


def test_every_view_function_is_named_as_its_url():
    offenders = _view_name_offenders()
    listing = "\n".join(
        f"  {app}: {', '.join(sorted(names))}" for app, names in sorted(offenders.items())
    )
    assert not offenders, (
        "A view function is named exactly as its URL name (or <name>_view when that is a "
        "keyword, a builtin or an import of its module); these are not:\n" + listing
    )
