"""Every UI text is in the Indonesian catalog, and every catalog entry is translated.

A fresh extraction (the same command as `make extract-messages`, into a temporary file) is
compared with app/translations/id/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "app" / "translations" / "id" / "LC_MESSAGES" / "messages.po"


def msgid(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


@pytest.fixture(scope="module")
def catalog():
    with CATALOG.open("rb") as f:
        return read_po(f, locale="id")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from babel.messages.frontend import main; sys.exit(main())",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--no-location",
            "-o",
            str(pot),
            "app",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        return read_po(f)


def test_every_text_in_the_code_is_in_the_catalog(catalog, extracted):
    missing = sorted(msgid(m) for m in extracted if m.id and msgid(m) not in catalog)
    assert not missing, "Run `make extract-messages` and translate:\n" + "\n".join(missing)


def test_every_catalog_entry_is_translated(catalog):
    untranslated = []
    for m in catalog:
        if not m.id:
            continue
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        if not all(s.strip() for s in strings) or m.fuzzy:
            untranslated.append(msgid(m))
    assert not untranslated, "Indonesian missing for:\n" + "\n".join(untranslated)


def test_placeholders_survive_translation(catalog):
    """A translation keeps every %(name)s of its English text, or the page would crash or lie."""
    import re

    pattern = re.compile(r"%\((\w+)\)[sd]")
    wrong = []
    for m in catalog:
        if not m.id or not m.string:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        wanted = set(pattern.findall(ids[0]))
        if any(set(pattern.findall(s)) != wanted for s in strings):
            wrong.append(ids[0])
    assert not wrong, "\n".join(wrong)


def test_indonesian_sentences_follow_the_house_rules(catalog):
    """No 'ranking' (it is 'peringkat'), and no sentence begins with a numeral or a count."""
    import re

    from app.services.quizlint import sentences

    count_first = re.compile(r"^(\d|%\(\w+\)d|%\((n|k|num|total)\)s)")
    wrong = []
    for m in catalog:
        if not m.id or not m.string:
            continue
        for text in [m.string] if isinstance(m.string, str) else list(m.string):
            if re.search(r"\branking\b", text, re.IGNORECASE):
                wrong.append(f"'ranking': {text}")
            for sentence in sentences(text):
                if sentence.endswith((".", "?", "!")) and count_first.match(sentence):
                    wrong.append(f"begins with a number: {sentence}")
    assert not wrong, "\n".join(wrong)
