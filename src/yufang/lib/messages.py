"""Compile every django.po under src/yufang into django.mo, without GNU gettext.

`python -m yufang.lib.messages` (or `make messages`). The .mo files are committed so that a
fresh clone needs no compiler.

`python -m yufang.lib.messages add APP FILE.json` adds (or corrects) an app's Chinese
translations from a JSON object {msgid: msgstr} and compiles: the catalogue is made if the app
has none yet. A text with a context (pgettext) is given as {msgid: {context: msgstr}}, the empty
context standing for none. APP is the app's folder under src/yufang ("yufang" for the global catalogue).
"""

from __future__ import annotations

from pathlib import Path

import polib  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent


def compile_all() -> list[Path]:
    compiled = []
    for po_path in sorted(ROOT.rglob("locale/*/LC_MESSAGES/django.po")):
        po = polib.pofile(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        compiled.append(po_path)
    return compiled


def untranslated(language: str = "zh_Hans") -> dict[str, list[str]]:
    """msgids without a translation (or fuzzy) in each catalogue of a language."""
    missing: dict[str, list[str]] = {}
    for po_path in sorted(ROOT.rglob(f"locale/{language}/LC_MESSAGES/django.po")):
        po = polib.pofile(str(po_path))
        gaps = [
            e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
        ]
        if gaps:
            missing[str(po_path.relative_to(ROOT))] = gaps
    return missing


def add_translations(
    app: str, translations: dict[str, str | dict[str, str]], language: str = "zh_Hans"
) -> Path:
    base = ROOT if app == "yufang" else ROOT / app
    po_path = base / "locale" / language / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True, exist_ok=True)
    if po_path.exists():
        po = polib.pofile(str(po_path))
    else:
        po = polib.POFile()
        po.metadata = {
            "Content-Type": "text/plain; charset=UTF-8",
            "Language": language.replace("_", "-").lower(),
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    for msgid, given in translations.items():
        by_context = given if isinstance(given, dict) else {"": given}
        for context, msgstr in by_context.items():
            entry = po.find(msgid, msgctxt=context or None)
            if entry is None:
                po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, msgctxt=context or None))
            else:
                entry.msgstr = msgstr
                entry.obsolete = False
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
    po.save(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    return po_path


if __name__ == "__main__":
    import json
    import sys

    if len(sys.argv) == 4 and sys.argv[1] == "add":
        mapping = json.loads(Path(sys.argv[3]).read_text(encoding="utf-8"))
        print(f"updated {add_translations(sys.argv[2], mapping).relative_to(ROOT)}")
        raise SystemExit(0)
    for compiled in compile_all():
        print(f"compiled {compiled.relative_to(ROOT)}")
    for catalogue, gaps in untranslated().items():
        print(f"{catalogue}: {len(gaps)} untranslated")
