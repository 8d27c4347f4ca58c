"""The decision reader when the minutes' number and quoted title disagree
(issue 12): "toimenpiteen 6.1 'Asukkaiden ilmastoviestintä'" quotes 6.2's
title. The page says so and proposes the title's match, not the number's."""

from __future__ import annotations

from tests.conftest import ROOT
from tests.test_decision_page import open_page, shown
from tracker.minutes import proposals, reader

MISMATCH = (ROOT / "tests" / "data" / "decisions" / "37_numero_ja_otsikko_ristiin.txt").read_text(encoding="utf-8")


def propose(con, text: str) -> proposals.Proposal:
    programme_id = con.execute("SELECT id FROM programmes").fetchone()[0]
    return proposals.propose(con, programme_id, reader.parse(text), text)


def test_a_quoted_title_that_is_another_measures_is_proposed_and_the_disagreement_named(demo_con):
    proposal = propose(demo_con, MISMATCH)
    assert [(c.code, c.by_quote, c.by_code) for c in proposal.candidates[:2]] == [("6.2", True, False),
                                                                                   ("6.1", False, True)]  # fmt: skip
    assert proposal.mismatches == [
        proposals.TitleMismatch(
            code="6.1",
            quoted="Asukkaiden ilmastoviestintä",
            code_title="Liittyminen ICLEI-verkostoon",
            match_code="6.2",
            match_title="Asukkaiden ilmastoviestintä",
        )
    ]


def test_a_number_and_its_own_title_agree_and_nothing_is_said(demo_con):
    proposal = propose(demo_con, MISMATCH.replace("6.1 '", "6.2 '"))
    assert proposal.mismatches == []
    assert (proposal.candidates[0].code, proposal.candidates[0].by_code) == ("6.2", True)


def test_a_quoted_title_in_other_words_or_another_language_still_agrees(demo_con):
    swedish = MISMATCH.replace("6.1 'Asukkaiden ilmastoviestintä'", "6.2 ”Klimatkommunikation till invånarna”")
    assert propose(demo_con, swedish).mismatches == []
    unknown = MISMATCH.replace("6.1 '", "9.9 '")
    proposal = propose(demo_con, unknown)
    assert [(m.code, m.code_title, m.match_code) for m in proposal.mismatches] == [("9.9", None, "6.2")]
    assert proposal.candidates[0].code == "6.2"


def test_a_quoted_title_that_fits_no_measure_leaves_the_number_to_decide(demo_con):
    proposal = propose(demo_con, MISMATCH.replace("Asukkaiden ilmastoviestintä", "Kaukolämmön kehittäminen"))
    assert proposal.mismatches == []
    assert proposal.candidates[0].code == "6.1"


def test_the_page_says_the_number_and_title_disagree_and_preselects_the_titles_measure(demo_db_path):
    at = open_page(text=MISMATCH)
    assert not at.exception, at.exception
    warning = next(w.value for w in at.warning if "lainaa otsikkoa" in w.value)
    assert "toimenpiteen 6\\.1" not in warning  # numbers are not escaped: they are not markdown
    assert "mainitsee toimenpiteen 6.1" in warning and "toimenpiteen 6.2 otsikko" in warning
    assert "Asukkaiden ilmastoviestintä" in warning and "Liittyminen ICLEI-verkostoon" in warning
    measure = next(box for box in at.selectbox if box.label == "Toimenpide, jota päätös koskee")
    assert measure.format_func(measure.value) == "6.2 Asukkaiden ilmastoviestintä · pöytäkirja lainaa otsikkoa"
    assert "6.1 Liittyminen ICLEI-verkostoon · numero mainitaan tekstissä" in measure.options


def test_the_page_in_swedish(demo_db_path):
    at = open_page(lang="sv", text=MISMATCH)
    assert "citerar rubriken" in shown(at)
