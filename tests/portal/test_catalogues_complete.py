"""Every message of every Vietnamese catalogue is translated: an empty msgstr (or an empty
plural form) or a fuzzy entry shows English on a Vietnamese page."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    p
    for p in [
        *ROOT.glob("*/locale/vi/LC_MESSAGES/django.po"),
        ROOT / "locale/vi/LC_MESSAGES/django.po",
    ]
    if ".venv" not in p.parts
)


def _entries(path: Path):
    """(msgid, [msgstr forms], fuzzy) per entry, obsolete (#~) entries left out."""
    entry, field = None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        s = line.strip()
        if not s:
            if entry and entry["msgid"] is not None:
                yield entry
            entry, field = None, None
            continue
        if s.startswith("#~"):
            continue
        entry = entry or {"msgid": None, "msgstr": {}, "fuzzy": False}
        if s.startswith("#,") and "fuzzy" in s:
            entry["fuzzy"] = True
        elif s.startswith("#"):
            continue
        elif s.startswith("msgid_plural "):
            field = None
        elif s.startswith("msgid "):
            entry["msgid"], field = ast.literal_eval(s[6:]), "msgid"
        elif s.startswith("msgstr"):
            key, _sep, value = s.partition(" ")
            field = key
            entry["msgstr"][key] = ast.literal_eval(value)
        elif s.startswith('"') and field == "msgid":
            entry["msgid"] += ast.literal_eval(s)
        elif s.startswith('"') and field and field.startswith("msgstr"):
            entry["msgstr"][field] += ast.literal_eval(s)


def test_catalogues_found():
    assert len(CATALOGUES) >= 4, CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_vietnamese_message_is_translated(path):
    missing = [
        e["msgid"]
        for e in _entries(path)
        if e["msgid"] and (e["fuzzy"] or not all(v.strip() for v in e["msgstr"].values()))
    ]
    assert not missing, f"{len(missing)} untranslated or fuzzy in {path}: {missing[:10]}"


def test_the_check_sees_an_untranslated_entry(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Hello"\nmsgstr ""\n\n#, fuzzy\nmsgid "Bye"\nmsgstr "Tạm biệt"\n\n'
        'msgid "Ok"\nmsgstr "Được"\n',
        encoding="utf-8",
    )
    bad = [e["msgid"] for e in _entries(po) if e["fuzzy"] or not all(e["msgstr"].values())]
    assert bad == ["Hello", "Bye"]
