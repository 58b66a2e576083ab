"""The Chinese catalogue is complete, and the committed .mo is compiled from the committed .po
(users get no gettext, so a stale .mo would silently show English)."""

import ast
import gettext
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"


def read_po(path: Path) -> dict[str, str]:
    """{msgid (with "context\\x04" prefix when there is one): msgstr} of a .po file."""
    entries: dict[str, str] = {}
    current: dict[str, str] = {}
    key = None

    def flush():
        if "msgid" in current and current["msgid"]:
            msgid = current["msgid"]
            if "msgctxt" in current:
                msgid = f"{current['msgctxt']}\x04{msgid}"
            entries[msgid] = current.get("msgstr", current.get("msgstr[0]", ""))

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith('"'):
            current[key] += ast.literal_eval(line)
            continue
        word, _, rest = line.partition(" ")
        if word in ("msgctxt", "msgid") and key in ("msgstr", "msgstr[0]"):
            flush()
            current = {}
        key = word
        current[key] = ast.literal_eval(rest)
    flush()
    return entries


def test_every_message_has_a_chinese_translation():
    untranslated = [msgid for msgid, msgstr in read_po(CATALOGUE / "django.po").items() if not msgstr]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_source():
    with open(CATALOGUE / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    source = read_po(CATALOGUE / "django.po")
    compiled_messages = {
        (key[0] if isinstance(key, tuple) else key): value
        for key, value in compiled.items() if key and key != ("", 0)
    }
    compiled_messages.pop("", None)
    assert compiled_messages == source
