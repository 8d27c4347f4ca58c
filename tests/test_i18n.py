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
DYNAMIC_PREFIXES = (
    "status.",
    "role.",
    "outcome.",
    "field.",
    "setting.",
    "sector.",
    "decisions.per_",
    "audit.",
    # issue 16: readings, SYKE's sectors, what an import changed, levels, indicator words
    "emissions.reading.",
    "emissions.sector.",
    "emissions.level_",
    "syke.change.",
    "indicators.direction_",
    "indicators.frequency_",
    "indicators.effect_",
    "indicatorform.breakdown_",
    "indicatorform.role_",
    "phase.",
)
APP_SOURCES = ("dashboard.py", "app_pages", "ui", "tracker", "bench", "web")
# what an import changes and what stops its undo (tracker/present/import_changes.py)
DYNAMIC_PREFIXES += ("import_changes.field.", "import_changes.flag.", "import_undo.reason.")


def test_every_message_has_all_three_languages():
    for key, entry in i18n.catalogue().items():
        for lang in i18n.LANGUAGES:
            assert entry.get(lang, "").strip(), f"{key} lacks {lang}"


def parameters(key: str, lang: str) -> set[str]:
    """The parameters the message needs, found by filling it as a page would: a
    count of 1 and of 2 (a plural block may choose a form that names others)."""
    needed: set[str] = set()
    for count in (1, 2):
        while True:
            try:
                i18n.t(key, lang, **dict.fromkeys(needed, count))
                break
            except KeyError as missing:
                needed.add(re.search(r"{(\w+)}", str(missing)).group(1))
    return needed


def test_placeholders_agree_across_languages():
    for key in i18n.catalogue():
        names = {lang: parameters(key, lang) for lang in i18n.LANGUAGES}
        assert names["fi"] == names["sv"] == names["en"], f"{key}: {names}"


def test_every_plural_block_has_the_forms_of_its_language():
    blocks = 0
    for key, entry in i18n.catalogue().items():
        for lang in i18n.LANGUAGES:
            for name, forms in i18n.plural_forms(entry[lang]):
                blocks += 1
                assert {"one", "other"} <= set(forms), f"{key} ({lang}): {{{name}, plural}} needs one and other"
    assert blocks > 30


@pytest.mark.parametrize(
    ("lang", "one", "two", "many"),
    [
        ("fi", "Tallennettu 1 toimenpide.", "Tallennettu 2 toimenpidettä.", "Tallennettu 1\u00a0200 toimenpidettä."),
        ("sv", "1 åtgärd sparad.", "2 åtgärder sparade.", "1\u00a0200 åtgärder sparade."),
        ("en", "Saved 1 measure.", "Saved 2 measures.", "Saved 1,200 measures."),
    ],
)
def test_a_count_agrees_with_its_noun(lang, one, two, many):
    assert i18n.t("weekly.saved", lang, count=1) == one
    assert i18n.t("weekly.saved", lang, count=2) == two
    assert i18n.t("weekly.saved", lang, count=1200) == many
    assert i18n.t("national.caption", "fi", organisations=1, programmes=1) == "1 organisaatio, 1 ilmasto-ohjelma"


@pytest.mark.parametrize(
    ("key", "params", "one"),
    [
        ("periods.marked_done", {}, "1 toimenpide merkitty valmiiksi."),
        ("remind.subject", {}, "Ilmasto-ohjelma: 1 toimenpide odottaa päivitystäsi"),
        ("view.results_count", {"query": "pyörä"}, "Haulla ”pyörä” löytyi 1 toimenpide."),
        ("import.more_errors", {}, "…ja 1 muu samanlainen virhe."),
        ("syke.warning.duplicates", {}, "1 rivi oli toisen rivin kaksoiskappale; se laskettiin vain kerran."),
        ("indicatorform.import_button", {}, "Tuo 1 arvo"),
        ("reminders.measures", {}, "1 toimenpide"),
    ],
)
def test_counted_measures_rows_and_values_agree_with_one_in_finnish(key, params, one):
    assert i18n.t(key, "fi", count=1, **params) == one
    # English has its one form too: the message for 1 is not the one for 2 with the number changed
    assert i18n.t(key, "en", count=1, **params) != i18n.t(key, "en", count=2, **params).replace("2", "1")


def test_a_plural_block_can_match_one_number_and_nest():
    blocks = "{n, plural, =0 {ei yhtään} one {yksi: {name}} other {# kpl, {m, plural, one {# uusi} other {# uutta}}}}"
    assert i18n._choose_plurals(blocks, "fi", {"n": 0}) == "ei yhtään"
    assert i18n._choose_plurals(blocks, "fi", {"n": 1}) == "yksi: {name}"
    assert i18n._choose_plurals(blocks, "fi", {"n": 3, "m": 1}) == "3 kpl, 1 uusi"


def test_a_count_must_be_given_as_a_number():
    with pytest.raises(KeyError, match="count"):
        i18n.t("weekly.saved", "fi")
    with pytest.raises(TypeError, match="count"):
        i18n.t("weekly.saved", "fi", count="1")


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
    assert i18n.format_eur(1200.5, "fi", exact=True) == "1\u00a0200,50\u00a0€"
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


@pytest.mark.parametrize(
    ("lang", "expected"), [("fi", "\u22121\u00a0200\u00a0€"), ("sv", "\u22121\u00a0200\u00a0€"), ("en", "\u2212€1,200")]
)
def test_a_negative_amount_has_a_real_minus_sign(lang, expected):
    assert i18n.format_eur(-1200, lang) == expected
    assert i18n.format_number(-3.5, lang).startswith("\u2212")
    assert i18n.format_eur(-0.4, lang).lstrip("€")[0] == "0"  # rounds to zero: no minus


def test_money_and_shares_are_rounded_by_one_rule():
    # What a reader reads: whole euros and whole percent, halves away from zero.
    assert i18n.format_eur(9455628.75, "fi") == "9\u00a0455\u00a0629\u00a0€"
    assert i18n.format_eur(0.5, "fi") == "1\u00a0€"
    assert i18n.format_eur(-2.5, "fi") == "\u22123\u00a0€"
    assert i18n.format_percent(0.3158, "fi") == "32\u00a0%"
    assert i18n.format_percent(0.125, "en") == "13%"
    # What a coordinator edits: to the cent.
    assert i18n.format_eur(9455628.75, "fi", exact=True) == "9\u00a0455\u00a0628,75\u00a0€"
    assert i18n.format_eur(1200, "fi", exact=True) == "1\u00a0200\u00a0€"


def test_a_choice_that_starts_empty_asks_in_the_readers_language():
    """A selectbox with no choice made (index=None) shows its placeholder, which
    Streamlit would otherwise write in English ("Choose an option")."""
    for path in sorted([*(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(getattr(node, "func", None), "attr", None)
            if isinstance(node, ast.Call) and name in ("selectbox", "multiselect"):
                given = {keyword.arg: keyword.value for keyword in node.keywords}
                starts_empty = name == "multiselect" or (
                    isinstance(given.get("index"), ast.Constant) and given["index"].value is None
                )
                assert not starts_empty or "placeholder" in given, f"{path.name}:{node.lineno}"
