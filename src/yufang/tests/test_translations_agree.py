"""One English text, one Chinese text. Django merges every app's catalogue into one per
language, so a msgid translated differently in two apps shows only one of the two everywhere
(whichever app is listed first, or the global catalogue): the other app's pages then say
something its authors did not write ("closed" as 已销号 on a joint meeting). Where the meaning
really differs, the text carries a context (`pgettext("joint meeting", "closed")`,
`{% translate "closed" context "joint meeting" %}`), which keeps the entries apart."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import polib  # type: ignore[import-untyped]

SRC = Path(__file__).resolve().parents[1]


def test_a_text_has_one_translation_across_the_catalogues() -> None:
    seen: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for po_path in sorted(SRC.rglob("locale/zh_Hans/LC_MESSAGES/django.po")):
        catalogue = str(po_path.parent.parent.parent.parent.relative_to(SRC)) or "yufang"
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete or not entry.msgstr:
                continue
            seen[(entry.msgctxt or "", entry.msgid)][catalogue] = entry.msgstr
    disagree = {
        (f"{ctx}|{msgid}" if ctx else msgid): by_catalogue
        for (ctx, msgid), by_catalogue in seen.items()
        if len(set(by_catalogue.values())) > 1
    }
    listing = "\n".join(f"{msgid!r}: {by}" for msgid, by in sorted(disagree.items()))
    assert not disagree, f"{len(disagree)} texts translated differently:\n{listing}"
