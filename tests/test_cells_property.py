"""Property tests: any cell value becomes a parsed value or a CellError, never
another exception; any grid of text becomes a plan or an UnusableFile."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.spreadsheet_files import HEADER_FI, csv_bytes
from tracker.spreadsheet import cells, importer

ANY_CELL = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(alphabet="0123456789 .,-%€\u00a0\u202fe", max_size=20),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.builds(cells.Percent, st.floats(allow_nan=True, allow_infinity=True)),
)
EXPECTED_TYPES = {
    "code": str,
    "theme": str,
    "title": str,
    "description": str,
    "responsible": str,
    "status": str,
    "progress": int,
    "start": date,
    "end": date,
    "continuous": bool,
    "public": bool,
    "cost_centre": tuple,
    "year": int,
    "planned": Decimal,
    "actual": Decimal,
    # the optional framework fields (issue 14)
    **dict.fromkeys(("sector", "financing", "finance_status", "com_area", "com_instrument"), str),
    "co_benefits": list,
    **dict.fromkeys(
        ("total_cost", "municipal_share", "emission_reduction", "energy_saved", "renewable_energy"), Decimal
    ),
}


@settings(max_examples=300, deadline=None)
@given(value=ANY_CELL)
def test_every_parser_returns_a_value_or_a_cell_error(value):
    for key, parse in cells.PARSERS.items():
        try:
            parsed = parse(value)
        except cells.CellError as exc:
            assert exc.key.startswith("import.cell.")
            continue
        assert parsed is None or isinstance(parsed, EXPECTED_TYPES[key]), (key, value, parsed)
        if key == "progress" and parsed is not None:
            assert 0 <= parsed <= 100
        if key in ("planned", "actual") and parsed is not None:
            assert parsed >= 0 and parsed == parsed.quantize(Decimal("0.01"))


@settings(max_examples=60, deadline=None)
@given(grid=st.lists(st.lists(st.text(max_size=12), min_size=15, max_size=15), max_size=6))
def test_any_grid_of_text_is_validated_without_exceptions(grid):
    data = csv_bytes([dict(zip(HEADER_FI, row, strict=True)) for row in grid])
    try:
        plan = importer.validate(importer.read_table(data, "x.csv"))
    except importer.UnusableFile as exc:
        # a NUL character marks a binary file, not a table
        assert exc.key == "import.file.not_a_table" and any("\x00" in cell for row in grid for cell in row)
        return
    for problem in plan.errors:
        assert problem.row >= 2 and problem.column in HEADER_FI
        assert problem.message("sv")


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300))
def test_any_bytes_are_a_table_or_an_unusable_file(data):
    try:
        importer.validate(importer.read_table(data, "x.csv"))
    except importer.UnusableFile as exc:
        assert exc.key.startswith("import.file.")
