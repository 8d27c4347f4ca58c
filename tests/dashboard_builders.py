"""Small hand-built databases for the leadership dashboard tests: a few measures
with exactly the events, money and indicator values a test needs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import duckdb

from tracker.write.ids import allocate_id


class Builder:
    """Inserts rows straight into a migrated database (tests only; the app writes
    through tracker.write), with ids from the write layer's allocator."""

    def __init__(self, con: duckdb.DuckDBPyConnection, organisation: str = "Testilä"):
        self.con = con
        self.organisation_id = self._id(
            "organisations",
            "INSERT INTO organisations (id, name, name_sv, name_en) VALUES (?, ?, ?, ?)",
            [organisation, organisation + " sv", organisation + " en"],
        )
        self.cost_centres: dict[str, int] = {}

    def _id(self, table: str, sql: str, params: list) -> int:
        """Insert one row with a new id of ``table`` (the first parameter); return the id."""
        row_id = allocate_id(self.con, table)
        self.con.execute(sql, [row_id, *params])
        return row_id

    def programme(self, name: str = "Testiohjelma", start_year=2022, end_year=2030, *, default=True) -> int:
        return self._id(
            "programmes",
            "INSERT INTO programmes (id, organisation_id, name, start_year, end_year, is_default)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [self.organisation_id, name, start_year, end_year, default],
        )

    def theme(self, programme_id: int, position: int, name: str) -> int:
        return self._id(
            "themes",
            "INSERT INTO themes (id, programme_id, position, name_fi, name_sv, name_en) VALUES (?, ?, ?, ?, ?, ?)",
            [programme_id, position, name, name + " (sv)", name + " (en)"],
        )

    def measure(
        self,
        programme_id: int,
        theme_id: int,
        code: str,
        *,
        status: str = "not_started",
        title: str | None = None,
        start: date | None = None,
        end: date | None = None,
        continuous: bool = False,
        published: bool = True,
        unit: str | None = None,
        updated_at: datetime | None = None,
        events: list[tuple[datetime, str]] = (),
        **texts,
    ) -> int:
        """A measure whose status history is ``events`` [(when, new status), ...]."""
        created = events[0][0] if events else (updated_at or datetime(2024, 1, 1))
        measure_id = self._id(
            "measures",
            "INSERT INTO measures (id, programme_id, theme_id, code, title_fi, title_sv, title_en, description_fi,"
            " description_sv, description_en, status, start_date, end_date, is_continuous, is_published,"
            " responsible_unit, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                programme_id,
                theme_id,
                code,
                title or f"Toimenpide {code}",
                texts.get("title_sv"),
                texts.get("title_en"),
                texts.get("description_fi"),
                texts.get("description_sv"),
                texts.get("description_en"),
                status,
                start,
                end,
                continuous,
                published,
                unit,
                created,
                updated_at or (events[-1][0] if events else created),
            ],
        )
        previous = None
        for when, new_status in events:
            self._id(
                "status_events",
                "INSERT INTO status_events (id, measure_id, occurred_at, old_status, new_status, new_progress)"
                " VALUES (?, ?, ?, ?, ?, 0)",
                [measure_id, when, previous, new_status],
            )
            previous = new_status
        return measure_id

    def money(self, measure_id: int, year: int, cost_centre: str, planned, actual=None) -> None:
        if cost_centre not in self.cost_centres:
            self.cost_centres[cost_centre] = self._id(
                "cost_centres",
                "INSERT INTO cost_centres (id, organisation_id, code, name) VALUES (?, ?, ?, ?)",
                [self.organisation_id, cost_centre, f"Paikka {cost_centre}"],
            )
        self._id(
            "budget_lines",
            "INSERT INTO budget_lines (id, measure_id, year, cost_centre_id, planned_eur, actual_eur)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                measure_id,
                year,
                self.cost_centres[cost_centre],
                Decimal(str(planned)),
                None if actual is None else Decimal(str(actual)),
            ],
        )

    def indicator(self, values: dict[tuple[int, str], float], *, base_year=2010, target_year=2030, reduction=80) -> int:
        indicator_id = self._id(
            "indicators",
            "INSERT INTO indicators (id, organisation_id, name_fi, unit, base_year, target_year, target_reduction_pct)"
            " VALUES (?, ?, 'Päästöt', 'kt', ?, ?, ?)",
            [self.organisation_id, base_year, target_year, reduction],
        )
        for (year, sector), value in values.items():
            self.con.execute(
                "INSERT INTO indicator_values (indicator_id, year, sector, value) VALUES (?, ?, ?, ?)",
                [indicator_id, year, sector, Decimal(str(value))],
            )
        return indicator_id
