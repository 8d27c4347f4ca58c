"""Small hand-built databases for the leadership dashboard tests: a few measures
with exactly the events, money and indicator values a test needs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import duckdb


class Builder:
    """Inserts rows straight into a migrated database (tests only; the app writes
    through tracker.write.measures)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, organisation: str = "Testilä"):
        self.con = con
        self.organisation_id = self._id(
            "INSERT INTO organisations (name, name_sv, name_en) VALUES (?, ?, ?) RETURNING id",
            [organisation, organisation + " sv", organisation + " en"],
        )
        self.cost_centres: dict[str, int] = {}

    def _id(self, sql: str, params: list) -> int:
        return self.con.execute(sql, params).fetchone()[0]

    def programme(self, name: str = "Testiohjelma", start_year=2022, end_year=2030, *, default=True) -> int:
        return self._id(
            "INSERT INTO programmes (organisation_id, name, start_year, end_year, is_default)"
            " VALUES (?, ?, ?, ?, ?) RETURNING id",
            [self.organisation_id, name, start_year, end_year, default],
        )

    def theme(self, programme_id: int, position: int, name: str) -> int:
        return self._id(
            "INSERT INTO themes (programme_id, position, name_fi, name_sv, name_en)"
            " VALUES (?, ?, ?, ?, ?) RETURNING id",
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
            "INSERT INTO measures (programme_id, theme_id, code, title_fi, title_sv, title_en, description_fi,"
            " description_sv, description_en, status, start_date, end_date, is_continuous, is_published,"
            " responsible_unit, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " RETURNING id",
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
            self.con.execute(
                "INSERT INTO status_events (measure_id, occurred_at, old_status, new_status, new_progress)"
                " VALUES (?, ?, ?, ?, 0)",
                [measure_id, when, previous, new_status],
            )
            previous = new_status
        return measure_id

    def money(self, measure_id: int, year: int, cost_centre: str, planned, actual=None) -> None:
        if cost_centre not in self.cost_centres:
            self.cost_centres[cost_centre] = self._id(
                "INSERT INTO cost_centres (organisation_id, code, name) VALUES (?, ?, ?) RETURNING id",
                [self.organisation_id, cost_centre, f"Paikka {cost_centre}"],
            )
        self.con.execute(
            "INSERT INTO budget_lines (measure_id, year, cost_centre_id, planned_eur, actual_eur)"
            " VALUES (?, ?, ?, ?, ?)",
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
            "INSERT INTO indicators (organisation_id, name_fi, unit, base_year, target_year, target_reduction_pct)"
            " VALUES (?, 'Päästöt', 'kt', ?, ?, ?) RETURNING id",
            [self.organisation_id, base_year, target_year, reduction],
        )
        for (year, sector), value in values.items():
            self.con.execute(
                "INSERT INTO indicator_values (indicator_id, year, sector, value) VALUES (?, ?, ?, ?)",
                [indicator_id, year, sector, Decimal(str(value))],
            )
        return indicator_id
