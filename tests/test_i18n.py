import ast
import re
from datetime import date

import pytest

from tests.conftest import ROOT
from tracker import i18n
from tracker.status import STATUSES

# Keys the code builds at run time from a value (f"status.{code}", f"role.{role}" ...):
# every key under these prefixes counts as used. "audit." holds the audit page's
# vocabulary, built from the audit log's entity and verb.
DYNAMIC_PREFIXES = ("status.", "role.", "outcome.", "field.", "setting.", "sector.", "decisions.per_", "audit.")
APP_SOURCES = ("dashboard.py", "app_pages", "ui", "tracker", "bench", "web")


def test_every_message_has_all_three_languages():
    for key, entry in i18n.catalogue().items():
        for lang in i18n.LANGUAGES:
            assert entry.get(lang, "").strip(), f"{key} lacks {lang}"


def test_placeholders_agree_across_languages():
    for key, entry in i18n.catalogue().items():
        names = {lang: set(re.findall(r"{(\w+)}", entry[lang])) for lang in i18n.LANGUAGES}
        assert names["fi"] == names["sv"] == names["en"], f"{key}: {names}"


@pytest.mark.parametrize(
    ("code", "fi", "sv", "en"),
    [
        ("not_started", "Ei aloitettu", "Inte påbörjad", "Not started"),
        ("in_progress", "Käynnissä", "Pågår", "In progress"),
        ("late", "Myöhässä", "Försenad", "Late"),
        ("done", "Valmis", "Klar", "Done"),
        ("postponed", "Lykätty", "Uppskjuten", "Postponed"),
        ("cancelled", "Peruttu", "Inställd", "Cancelled"),
    ],
)
def test_status_labels_are_those_of_the_product_brief(code, fi, sv, en):
    assert (i18n.status_label(code, "fi"), i18n.status_label(code, "sv"), i18n.status_label(code, "en")) == (fi, sv, en)
    assert code in STATUSES


def test_unknown_key_fails_loudly():
    with pytest.raises(KeyError):
        i18n.t("no.such.key", "fi")


def test_finnish_formats():
    assert i18n.format_eur(1200, "fi") == "1\u00a0200\u00a0€"
    assert i18n.format_eur(1200.5, "fi") == "1\u00a0200,50\u00a0€"
    assert i18n.format_eur(150000, "sv") == "150\u00a0000\u00a0€"
    assert i18n.format_eur(1200, "en") == "€1,200"
    assert i18n.format_date(date(2022, 1, 10), "fi") == "10.1.2022"
    assert i18n.format_date(date(2022, 1, 10), "sv") == "10.1.2022"
    assert i18n.format_date(date(2022, 1, 10), "en") == "10 Jan 2022"
    assert i18n.format_percent(0.41, "fi") == "41\u00a0%"
    assert i18n.format_percent(0.41, "en") == "41%"
    assert i18n.format_number(1234.5, "fi") == "1\u00a0234,5"


def test_language_falls_back_to_finnish():
    assert i18n.normalise_language("SV") == "sv"
    assert i18n.normalise_language("de") == "fi"
    assert i18n.normalise_language(None) == "fi"


def test_a_placeholder_without_its_parameter_fails_loudly():
    # The decision page once showed "{id}" to a user: tr(key) without its parameters.
    with pytest.raises(KeyError, match="id"):
        i18n.t("error.measure_not_found", "fi")
    assert "7" in i18n.t("error.measure_not_found", "fi", id=7)


def test_a_key_in_two_catalogue_files_is_refused(tmp_path, monkeypatch):
    (tmp_path / "a.toml").write_text('[x.y]\nfi = "a"\nsv = "a"\nen = "a"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('[x.y]\nfi = "b"\nsv = "b"\nen = "b"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "CATALOGUE_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        with pytest.raises(KeyError, match=r"a\.toml and b\.toml"):
            i18n.catalogue()
    finally:
        monkeypatch.undo()
        i18n.catalogue.cache_clear()


def app_strings() -> tuple[set[str], set[str]]:
    """Every string constant in the app's Python (tests aside), and the literal
    head of every f-string (what a key built at run time starts with)."""
    constants, heads = set(), set()
    for source in APP_SOURCES:
        root = ROOT / source
        for path in [root] if root.is_file() else sorted(root.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    constants.add(node.value)
                elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                    heads.add(node.values[0].value)
    return constants, heads


def test_every_catalogue_key_is_used():
    constants, heads = app_strings()
    unused = [key for key in i18n.catalogue() if key not in constants and not key.startswith(DYNAMIC_PREFIXES)]
    assert unused == [], "catalogue keys no code uses (remove them, or name a dynamic prefix here)"
    # a prefix stays on the list only while some code builds keys with it
    assert [p for p in DYNAMIC_PREFIXES if p != "audit." and not any(h.startswith(p) for h in heads)] == []
