"""SYKE's emission files before any import: what their names say, fetching one from SYKE,
and the workbook reader's limits against hostile and oversized workbooks. The imports
themselves are checked in test_emissions_import.py."""

from __future__ import annotations

import io
import random
import time
import tracemalloc
import zipfile

import pytest

from tests import hostile_files
from tests.test_emissions_import import CSV, WORKBOOK
from tracker import i18n
from tracker.errors import UserError
from tracker.outcomes import syke, syke_import, workbook
from tracker.spreadsheet.read import UnusableFile

# -- names, fetching, limits --


@pytest.mark.parametrize(
    ("name", "number", "version", "preliminary"),
    [
        ("kunta_167.csv", 167, None, set()),
        ("KAIKKI KUNNAT_ALas 1.6_1990_2005-2023e_FINAL2.xlsx", None, "ALas 1.6", {2023}),
        ("KORJATTU_KAIKKI KUNNAT_ALas 1.5_1990_2005-2022.xlsx", None, "ALas 1.5", set()),
        ("KAIKKI KUNNAT_ALas 1.2_web.xlsx", None, "ALas 1.2", set()),
        ("alas_E2020.xlsx", None, None, {2020}),
    ],
)
def test_file_names_say_the_municipality_version_and_preliminary_year(name, number, version, preliminary):
    meta = syke.read_file_name(name)
    assert (meta.municipality_number, meta.model_version, set(meta.preliminary_years)) == (number, version, preliminary)


def test_fetching_the_file_from_syke_says_clearly_when_it_cannot(monkeypatch):
    import urllib.error

    def offline(request, timeout):
        assert request.full_url == "https://paastot.hiilineutraalisuomi.fi/Tulokset_taso_5/kunta_167.csv"
        raise urllib.error.URLError("Name or service not known")

    with pytest.raises(UserError) as failed:
        syke_import.fetch_municipality_file(167, opener=offline)
    assert failed.value.key == "syke.fetch_failed"
    assert "Name or service not known" in failed.value.params["reason"]

    class Answer(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

    data, name = syke_import.fetch_municipality_file(167, opener=lambda request, timeout: Answer(CSV.read_bytes()))
    assert (data, name) == (CSV.read_bytes(), "kunta_167.csv")


def _workbook_with(
    sheet_xml: bytes, *, compress: int = zipfile.ZIP_DEFLATED, shared_strings: bytes | None = None
) -> bytes:
    book = io.BytesIO()
    with zipfile.ZipFile(book, "w", compression=compress) as archive:
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
            ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="DATA" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return book.getvalue()


def test_the_workbook_reader_has_limits():
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 50))
    sheet = f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'
    assert len(list(workbook.read_rows(_workbook_with(sheet.encode()), "DATA"))) == 49
    with pytest.raises(UnusableFile) as refused:
        list(workbook.read_rows(_workbook_with(sheet.encode()), "DATA", max_rows=10))
    assert refused.value.key == "syke.file.too_many_rows"
    bomb = b"<worksheet>" + b" " * 20_000_000 + b"</worksheet>"
    with pytest.raises(UnusableFile) as refused:
        list(workbook.read_rows(_workbook_with(bomb), "DATA"))
    assert refused.value.key == "syke.file.packed_too_far"
    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet>&a;</worksheet>'
    with pytest.raises(UnusableFile):
        list(workbook.read_rows(_workbook_with(doctype), "DATA"))
    # a workbook of one sheet is read whatever the sheet is called
    assert len(list(workbook.read_rows(_workbook_with(sheet.encode()), "Muu"))) == 49


_MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_ONE_CELL = b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'


def _letters(megabytes: int) -> bytes:
    """Letters that pack about 60-fold, as the audit's did: past the packing-ratio check."""
    rng = random.Random(17)
    text = bytearray(b"A" * (megabytes * 1024 * 1024))
    for at in range(0, len(text), 100):
        text[at] = rng.randrange(66, 90)
    return bytes(text)


def _sheet(row: bytes) -> bytes:
    return b"<worksheet><sheetData>" + row + b"</sheetData></worksheet>"


def _bombs() -> dict[str, tuple[bytes, str]]:
    """The audit's 5.2 MB file whose one shared string held 300 million characters (722 MB),
    at 20 MB, and the same text in the other places the reader used to hold whole: a
    cell, a tag's attribute, and 400 cells of 100 KB in one row."""
    text = _letters(20)
    inline = b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>'
    wide = b"".join(inline % (f"{hostile_files.column_letters(i)}1".encode(), text[:100_000]) for i in range(400))
    strings = b"<sst " + _MAIN + b"><si><t>" + text + b"</t></si></sst>"
    return {
        "shared string": (_workbook_with(_ONE_CELL, shared_strings=strings), "syke.file.text_too_long"),
        "inline cell": (
            _workbook_with(_sheet(b'<row r="7">' + inline % (b"C7", text) + b"</row>")),
            "syke.file.cell_too_long",
        ),
        "attribute": (
            _workbook_with(_sheet(b'<row r="1"><c r="A1" s="' + text + b'"><v>1</v></c></row>')),
            "syke.file.text_too_long",
        ),
        "wide row": (_workbook_with(_sheet(b'<row r="1">' + wide + b"</row>")), "import.file.too_many_columns"),
    }


@pytest.mark.parametrize("bomb", ["shared string", "inline cell", "attribute", "wide row"])
def test_a_workbook_that_unpacks_into_one_huge_text_is_refused_quickly_with_bounded_memory(bomb):
    data, key = _bombs()[bomb]
    assert len(data) < 1024 * 1024  # 20 MB of text packed into well under 1 MB
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(UnusableFile) as refused:
            list(workbook.read_rows(data, "DATA"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused.value.key == key
    # one text of at most 128 KB at a time; a row holds at most 100 such cells
    allowed = (24 if bomb == "wide row" else 12) * 1024 * 1024
    assert peak < allowed, f"{peak / 1e6:.0f} MB held to refuse a {len(data) / 1e6:.1f} MB file"
    assert time.perf_counter() - started < 5
    message = i18n.t(key, "en", **refused.value.params)
    assert "128 KB" in message or "100 columns" in message
    if bomb == "inline cell":
        assert message == "Cell C7 of the workbook holds more than 128 KB of text, so the workbook is not read."


def test_the_shared_string_table_is_held_once_per_distinct_string_and_within_a_limit(monkeypatch):
    monkeypatch.setattr(workbook, "MAX_STRINGS_BYTES", 1024 * 1024)
    repeated = b"<sst " + _MAIN + b">" + b"<si><t>Rakennusten l\xc3\xa4mmitys</t></si>" * 50_000 + b"</sst>"
    stored = zipfile.ZIP_STORED  # so much repetition packs past the ratio limit
    rows = list(workbook.read_rows(_workbook_with(_ONE_CELL, shared_strings=repeated, compress=stored), "DATA"))
    assert rows == [(1, ["Rakennusten lämmitys"])]
    distinct = b"<sst " + _MAIN + b">" + b"".join(b"<si><t>Sektori %d</t></si>" % n for n in range(50_000)) + b"</sst>"
    with pytest.raises(UnusableFile) as refused:
        list(workbook.read_rows(_workbook_with(_ONE_CELL, shared_strings=distinct), "DATA"))
    assert refused.value.key == "syke.file.too_much_text"
    assert i18n.t("syke.file.too_much_text", "fi", **refused.value.params) == (
        "Työkirjan tekstit veisivät yli 1 Mt muistia, joten työkirjaa ei lueta."
    )


def test_the_workbook_limits_fit_syke_s_workbook_with_a_wide_margin():
    """SYKE's all-municipality workbook: 309 municipalities × 21 years (1990, 2005-2024)
    × 34 sectors, its DATA sheet as large a row as the fixture's. The limits leave room
    for two to four times that, not the 2 GB and 300 s the reader once allowed."""
    with zipfile.ZipFile(WORKBOOK) as book:
        sheet = book.getinfo("xl/worksheets/sheet1.xml").file_size
        rows = book.read("xl/worksheets/sheet1.xml").count(b"<row ")
    syke_sheet = 309 * 21 * 34 * sheet / rows
    assert 2 * syke_sheet < workbook.MAX_PART_BYTES < 4 * syke_sheet
    assert workbook.MAX_SECONDS <= 120
    # a part that declares more is refused before it is unpacked
    packed = random.Random(3).randbytes(3 * 1024 * 1024)
    book = _declaring(_workbook_with(packed, compress=zipfile.ZIP_STORED), 600 * 1024 * 1024)
    with pytest.raises(UnusableFile) as refused:
        list(workbook.read_rows(book, "DATA"))
    assert refused.value.key == "syke.file.packed_too_far"


def _declaring(book: bytes, size: int) -> bytes:
    """The workbook with its sheet's unpacked size declared as ``size`` in the central directory."""
    entry = book.rindex(b"PK\x01\x02", 0, book.index(b"xl/worksheets/sheet1.xml", book.index(b"PK\x01\x02")))
    return book[: entry + 24] + size.to_bytes(4, "little") + book[entry + 28 :]
