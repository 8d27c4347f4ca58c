"""The decision parser against every text in tests/data/decisions/ (the four
shared examples, 00–03, and our own corpus), and the parse-decision command."""

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from tracker.minutes import reader
from tracker.minutes.reader import NotADecision

CORPUS = ROOT / "tests" / "data" / "decisions"
CASES = sorted(path.stem for path in CORPUS.glob("*.txt"))
# ../shared beside the repository (CI mounts it read-only), or beside the worktrees' parent.
SHARED = next(
    (
        base / "shared" / "examples" / "decisions"
        for base in (ROOT.parent, ROOT.parent.parent)
        if (base / "shared").is_dir()
    ),
    ROOT.parent / "shared" / "examples" / "decisions",
)


def expected(name: str) -> dict:
    return json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))


def test_the_corpus_is_large_and_every_text_has_its_expectation():
    assert len(CASES) >= 29
    for name in CASES:
        assert (CORPUS / f"{name}.expected.json").is_file(), name


def test_the_seed_copy_is_the_seed():
    assert (CORPUS / "00_seed_iclei.txt").read_bytes() == (ROOT / "data/seed/decisions/iclei.txt").read_bytes()


@pytest.mark.parametrize("name", CASES)
def test_parser_reproduces_the_expected_fields(name):
    want = expected(name)
    text = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    if want.get("error") == "not_a_decision":
        with pytest.raises(NotADecision):
            reader.parse(text)
        return
    got = reader.parse(text).as_dict()
    for key, value in want.items():
        if key == "money":
            continue
        assert got[key] == value, f"{name}: {key}"
    assert len(got["money"]) == len(want["money"]), f"{name}: {got['money']}"
    for got_item, want_item in zip(got["money"], want["money"], strict=True):
        assert {key: got_item[key] for key in want_item} == want_item, name
        assert got_item["text"] and str(got_item["amount_eur"])[:1] in got_item["text"].replace(" ", "")


def test_money_text_is_the_sentence_it_came_from():
    text = (CORPUS / "00_seed_iclei.txt").read_text(encoding="utf-8")
    item = reader.parse(text).money[0]
    assert item.text == (
        "Jäsenyys maksaa 1200 euroa vuodessa, ja se katetaan kustannuspaikalta 1275 Ilmastotyön koordinointi."
    )


@pytest.mark.parametrize(
    ("phrase", "amount"),
    [
        ("1200 euroa", 1200),
        ("1 200 euroa", 1200),
        ("1\u00a0200\u00a0€", 1200),
        ("8.500 euroa", 8500),
        ("15 684 €", 15684),
        ("2.000 eurolla", 2000),
        ("300 000 euron", 300000),
        ("150 t€", 150000),
        ("1,2 milj. euron", 1200000),
        ("2 miljoonaa euroa", 2000000),
        ("12 500,50 euroa", 12500.5),
        ("40 000 euro", 40000),
    ],
)
def test_amount_forms(phrase, amount):
    text = f"Kaupunginhallitus päättää varata {phrase} kustannuspaikalle 1275 vuodelle 2025."
    assert [item.amount_eur for item in reader.parse(text).money] == [amount]


@pytest.mark.parametrize(
    ("raw", "joined"),
    [
        ("ilmasto-\nkoordinaattori", "ilmastokoordinaattori"),
        ("kustannus-\npaikalta", "kustannuspaikalta"),
        ("2022–\n2024", "2022–2024"),
        ("tasa-\narvoisen", "tasa-arvoisen"),
        ("ICLEI-\nverkostoon", "ICLEI-verkostoon"),
        ("yhteistyö-\nja rahoitus", "yhteistyö- ja rahoitus"),
    ],
)
def test_pdf_hyphenation_is_undone(raw, joined):
    assert reader.normalise_text(raw) == joined


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared examples are not mounted here")
def test_the_copied_examples_are_the_shared_ones():
    for path in SHARED.iterdir():
        assert (CORPUS / path.name).read_bytes() == path.read_bytes(), path.name


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "tracker", "parse-decision", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_prints_json_for_the_seed():
    result = run_cli(str(CORPUS / "00_seed_iclei.txt"), "--json")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["body"] == "Kaupunginhallitus"
    assert printed["money"][0]["years"] == [2022, 2023, 2024]


def test_cli_prints_fields_and_money_as_text():
    result = run_cli(str(CORPUS / "14_jaettu_vuosittain.txt"))
    assert result.returncode == 0, result.stderr
    assert "body         Joukkoliikennejaosto" in result.stdout
    assert "money        8598 € per total; years 2022; cost centre 5330 Joukkoliikenne" in result.stdout
    assert "money        7086 € per total; years 2023; cost centre 5330 Joukkoliikenne" in result.stdout


def test_cli_says_when_there_is_no_money():
    result = run_cli(str(CORPUS / "18_ei_rahaa_tiedoksi.txt"))
    assert result.returncode == 0, result.stderr
    assert "mentions no euro amounts" in result.stdout


def test_cli_refuses_a_text_that_is_not_a_decision(tmp_path):
    path = tmp_path / "menu.txt"
    path.write_text("Lounaslista maanantaina: hernekeitto ja pannukakku.", encoding="utf-8")
    result = run_cli(str(path))
    assert result.returncode != 0
    assert "does not look like a decision" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_reads_a_pdf(tmp_path):
    pdf = tmp_path / "decision.pdf"
    pdf.write_bytes(
        make_pdf(
            [
                "Kaupunginhallitus 3.3.2025 § 40",
                "Kaupunginhallitus päättää varata 5 000 euroa kustannus-",
                "paikalle 1275 vuosille 2025–",
                "2026.",
            ]
        )
    )
    result = run_cli(str(pdf), "--json")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert (printed["body"], printed["section"]) == ("Kaupunginhallitus", 40)
    item = printed["money"][0]
    assert (item["amount_eur"], item["cost_centre"], item["years"]) == (5000, "1275", [2025, 2026])


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF holding ``lines`` (Latin-1) in Helvetica, built by hand."""
    content = "BT /F1 11 Tf 14 TL 50 780 Td " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content.encode('cp1252'))} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("cp1252")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


PIECES = [
    "Kaupunginhallitus 3.3.2025 § 40",
    "Päätös:",
    "Hyväksyttiin yksimielisesti.",
    "äänin 5–4",
    "1 200 euroa",
    "150 t€",
    "1,2 milj. euron",
    "vuosille 2022–",
    "2024",
    "kustannus-",
    "paikalta 1275 Ilmastotyön koordinointi",
    "Dnro 12/2024",
    "Beslut:",
    "Godkändes enhälligt.",
    "för åren 2024–2026",
    "jätettiin pöydälle",
    "\u00a0",
    "\n",
    "\n\n",
    ". ",
    "§",
    "€",
    "2.000",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=25))
def test_any_text_parses_or_is_refused_with_a_clear_error(pieces):
    text = " ".join(pieces)
    try:
        parsed = reader.parse(text)
    except NotADecision:
        return
    assert parsed.outcome in reader.OUTCOMES
    assert parsed.language in ("fi", "sv")
    for item in parsed.money:
        assert item.amount_eur >= 0
        assert item.per in ("year", "total")
        assert all(1900 <= year <= 2099 for year in item.years)
