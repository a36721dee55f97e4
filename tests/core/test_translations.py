"""The Japanese catalogue is complete and current: every string the code and templates mark for
translation has a Japanese translation, and the compiled .mo that ships in the package matches
the .po (fresh machines need no gettext to run renkei). Needs GNU gettext, as `make messages` does."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

import renkei

PACKAGE = Path(renkei.__file__).resolve().parent
PO = PACKAGE / "locale" / "ja" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")


def _msgids(po_text: str) -> set[str]:
    """The msgids of a catalogue (with their context, as gettext keys them: "context\x04msgid"),
    joined across continuation lines; the header is left out."""
    ids = set()
    for entry in po_text.split("\n\n"):
        parts: dict[str, list[str]] = {}
        current = None
        for line in entry.splitlines():
            if line.startswith(("msgctxt ", "msgid ")):
                current, _, first = line.partition(" ")
                parts[current] = [first]
            elif line.startswith("msg"):
                current = None
            elif current and line.startswith('"'):
                parts[current].append(line)
        text = "".join(part.strip()[1:-1] for part in parts.get("msgid", []))
        if text:
            context = "".join(part.strip()[1:-1] for part in parts.get("msgctxt", []))
            ids.add(f"{context}\x04{text}" if context else text)
    return ids


def test_every_message_is_translated_and_none_is_fuzzy():
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_the_shipped_mo_matches_the_po():
    shipped = gettext.GNUTranslations(MO.open("rb"))._catalog  # noqa: SLF001
    po_ids = _msgids(PO.read_text(encoding="utf-8"))
    mo_ids = {key if isinstance(key, str) else key[0] for key in shipped if key}
    assert po_ids == mo_ids, "run `make messages` to recompile django.mo"


def test_no_marked_string_is_missing_from_the_catalogue(tmp_path, settings, monkeypatch):
    copy = tmp_path / "renkei"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "data"))
    # Regenerate into the copy only: never touch the package's own catalogue from a test.
    settings.LOCALE_PATHS = [str(copy / "locale")]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["ja"], verbosity=0, no_obsolete=True)
    regenerated = _msgids((copy / "locale" / "ja" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))
    missing = regenerated - _msgids(PO.read_text(encoding="utf-8"))
    assert not missing, f"run `make messages` and translate: {sorted(missing)[:20]}"


def test_placeholders_survive_translation():
    catalogue = gettext.GNUTranslations(MO.open("rb"))._catalog  # noqa: SLF001
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    wrong = [
        key
        for key, value in catalogue.items()
        if isinstance(key, str) and key and sorted(placeholder.findall(key)) != sorted(placeholder.findall(value))
    ]
    assert not wrong, wrong[:10]


# What xgettext extracts from Python (Django's makemessages): `_`, `gettext`, `gettext_lazy`,
# `ngettext`, `pgettext` … under those names. A string marked through any other alias is never
# extracted, so it would stay English with every check above passing.
_ALIAS = re.compile(r"from django\.utils\.translation import[^\n]*\b(\w*gettext\w*) as (?!_\b)(\w+)")


def test_translation_functions_are_imported_under_names_makemessages_extracts():
    offenders = [
        f"{path.relative_to(PACKAGE)}: {match.group(1)} as {match.group(2)}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for match in _ALIAS.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders
