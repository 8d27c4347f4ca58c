"""Writes of ``emission_rows`` and ``emission_imports``: an organisation's SYKE
emission rows replaced by those of a newer file, in the SYKE import's
transaction (tracker/outcomes/syke_import.py coordinates it). No other module
writes these two tables (the demo loader aside, see its header).

The rows of an organisation are replaced as a whole: SYKE recomputes every
year in each release, so the newest file is the whole truth, and a year it
marks preliminary is replaced by the final figure of the next one. The
organisation's emissions indicator (tracker/write/indicators.py) is made when
missing and its values summed again from the new rows; one audit row says
what the import changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import duckdb
import pyarrow as pa

from tracker.auth import Caller
from tracker.write import audit, indicators
from tracker.write.base import with_frame
from tracker.write.ids import allocate_id

_KT = pa.decimal128(24, 9)
_ROW_TYPES = {
    "year": pa.int32(),
    "is_preliminary": pa.bool_(),
    "level_1": pa.string(),
    "level_2": pa.string(),
    "level_3": pa.string(),
    "level_4": pa.string(),
    "level_5": pa.string(),
    "sector_code": pa.string(),
    "is_hinku": pa.bool_(),
    "is_ets": pa.bool_(),
    "is_credit": pa.bool_(),
    "kt": _KT,
    "kt_wind": _KT,
    "gwh": _KT,
}
ROW_COLUMNS = tuple(_ROW_TYPES)


@dataclass(frozen=True)
class ImportInfo:
    """What the emission_imports row says of a file."""

    file_name: str
    file_kind: str  # 'municipality_csv' or 'workbook'
    model_version: str | None
    municipality_number: int
    preliminary_years: tuple[int, ...]


def current_import(cur: duckdb.DuckDBPyConnection, organisation_id: int) -> dict | None:
    """The organisation's newest import, or None."""
    names = (
        "id",
        "file_name",
        "file_kind",
        "model_version",
        "first_year",
        "last_year",
        "preliminary_years",
        "row_count",
    )
    row = cur.execute(
        f"SELECT {', '.join(names)} FROM emission_imports WHERE organisation_id = ?"  # noqa: S608
        " ORDER BY imported_at DESC, id DESC LIMIT 1",
        [organisation_id],
    ).fetchone()
    return None if row is None else dict(zip(names, row, strict=True))


def replace_rows(
    cur: duckdb.DuckDBPyConnection,
    caller: Caller,
    organisation_id: int,
    rows: list[dict],
    info: ImportInfo,
    *,
    now: datetime,
    illustrative: bool = False,
) -> int:
    """Replace an organisation's emission rows with ``rows`` (dicts of ROW_COLUMNS, kt values
    as Decimal) in the caller's transaction: the import recorded, the emissions indicator
    made if missing and its values summed again. Returns the import's id; the caller then
    says what changed with ``record_import`` in the same transaction."""
    years = [row["year"] for row in rows]
    import_id = allocate_id(cur, "emission_imports")
    cur.execute(
        "INSERT INTO emission_imports (id, organisation_id, municipality_number, file_name, file_kind,"
        " model_version, first_year, last_year, preliminary_years, row_count, imported_at, actor)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            import_id,
            organisation_id,
            info.municipality_number,
            info.file_name,
            info.file_kind,
            info.model_version,
            min(years),
            max(years),
            ",".join(str(y) for y in info.preliminary_years) or None,
            len(rows),
            now,
            caller.actor,
        ],
    )
    cur.execute("DELETE FROM emission_rows WHERE organisation_id = ?", [organisation_id])
    frame = pa.table(
        {
            "organisation_id": pa.array([organisation_id] * len(rows), pa.int32()),
            "import_id": pa.array([import_id] * len(rows), pa.int32()),
            **{column: pa.array([row[column] for row in rows], kind) for column, kind in _ROW_TYPES.items()},
        }
    )
    columns = ", ".join(["organisation_id", "import_id", *ROW_COLUMNS])
    with_frame(cur, f"INSERT INTO emission_rows ({columns}) SELECT {columns} FROM staged", frame)  # noqa: S608
    indicator = indicators.ensure_emissions_indicator(cur, caller, organisation_id, now=now, illustrative=illustrative)
    indicators.refresh_emission_values(cur, indicator, now=now)
    return import_id


def record_import(
    cur: duckdb.DuckDBPyConnection, caller: Caller, organisation_id: int, *, before: dict, after: dict, now: datetime
) -> None:
    """The import's audit row: what the organisation's emissions were and are, in the
    coordinator's words (file, years, readings of the years that changed)."""
    audit.record(cur, caller, "emissions.import", organisation_id, before=before, after=after, now=now)


def exact(value: Decimal | None) -> str | None:
    """A stored kt value as exact text without trailing zeros (546.364000000 -> 546.364)."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text
