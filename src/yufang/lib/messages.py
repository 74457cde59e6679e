"""Compile every django.po under src/yufang into django.mo, without GNU gettext.

`python -m yufang.lib.messages` (or `make messages`). The .mo files are committed so that a
fresh clone needs no compiler.
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


if __name__ == "__main__":
    for compiled in compile_all():
        print(f"compiled {compiled.relative_to(ROOT)}")
    for catalogue, gaps in untranslated().items():
        print(f"{catalogue}: {len(gaps)} untranslated")
