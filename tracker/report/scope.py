"""Which board report (a programme now, or a closed period's snapshot compared with another)
and every figure it needs, each from its named query; tracker/report/content.py turns them into
text. Split from content.py so choosing and collecting stay apart from formatting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb
import pandas as pd

from tracker import db
from tracker.errors import NotFound, UserError
from tracker.present import emissions as emissions_present
from tracker.write import periods

Run = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class Scope:
    """Which report: a programme now (``period`` None, late on ``today``) or a
    period's snapshot, compared with another period's (``compare``) or not."""

    programme_id: int
    lang: str
    include_unpublished: bool
    today: date
    period: dict | None = None
    compare: dict | None = None
    previous_as_of: date | None = None  # the as-of day of the period before, for "decisions of the period"

    @property
    def period_id(self) -> int | None:
        return None if self.period is None else int(self.period["id"])

    @property
    def on_day(self) -> date:
        return self.today if self.period is None else as_day(self.period["as_of"])

    @property
    def year(self) -> int:
        return self.on_day.year

    @property
    def since(self) -> date:
        """Decisions made after this day belong to the report's time."""
        if self.compare is not None:
            return as_day(self.compare["as_of"])
        if self.previous_as_of is not None:
            return self.previous_as_of
        return date(self.year - 1, 12, 31)

    def params(self) -> dict:
        return {
            "programme_id": self.programme_id,
            "period_id": self.period_id,
            "include_unpublished": self.include_unpublished,
            "today": self.today,
            "lang": self.lang,
        }


def as_day(value) -> date:
    """A day from a date, a datetime or a pandas Timestamp (a datetime too)."""
    return value.date() if isinstance(value, datetime) else value


def is_missing(value) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def text_in_language(row: dict, prefix: str, lang: str) -> str:
    for key in (f"{prefix}_{lang}", f"{prefix}_fi"):
        value = row.get(key)
        if not is_missing(value) and str(value).strip():
            return str(value)
    return str(row.get(prefix) or "")


def scope_for(
    periods_frame: pd.DataFrame,
    programme_id: int,
    lang: str,
    *,
    include_unpublished: bool,
    today: date,
    period_id: int | None = None,
    compare_id: int | None = None,
) -> Scope:
    """The scope of a report from the programme's periods (queries/reporting_periods.sql):
    a chosen period must have a snapshot (it was closed at least once)."""
    rows = {int(row["id"]): row for row in periods_frame.to_dict("records")}

    def chosen(wanted: int | None) -> dict | None:
        if wanted is None:
            return None
        row = rows.get(int(wanted))
        if row is None:
            raise NotFound(f"period {wanted}", key="period.not_found", id=wanted)
        if is_missing(row["closing_id"]):
            raise UserError(f"period {wanted} has no snapshot", key="report.no_snapshot", name=row["name_fi"])
        return row

    period, compare = chosen(period_id), chosen(compare_id)
    on_day = today if period is None else as_day(period["as_of"])
    earlier = [
        as_day(row["as_of"])
        for row in rows.values()
        if not is_missing(row["closing_id"]) and as_day(row["as_of"]) < on_day and row is not period
    ]
    return Scope(programme_id, lang, include_unpublished, today, period, compare, max(earlier, default=None))


def resolve(
    con: duckdb.DuckDBPyConnection,
    programme_id: int,
    lang: str,
    *,
    period_name_text: str | None,
    compare_name_text: str | None,
    include_unpublished: bool = True,
    today: date | None = None,
) -> Scope:
    """The scope the CLI asks for by period names (in any language)."""
    frame = db.query(con, "reporting_periods", programme_id=programme_id, lang=lang)
    period_id = periods.find_period(con, programme_id, period_name_text)["id"] if period_name_text else None
    compare_id = periods.find_period(con, programme_id, compare_name_text)["id"] if compare_name_text else None
    return scope_for(
        frame,
        programme_id,
        lang,
        include_unpublished=include_unpublished,
        today=today or date.today(),
        period_id=period_id,
        compare_id=compare_id,
    )


@dataclass
class Frames:
    """What the named queries returned for one report."""

    programme: pd.Series
    tiles: pd.Series
    theme_status: pd.DataFrame
    late: pd.DataFrame
    money: pd.DataFrame
    decisions: pd.DataFrame
    demo: pd.DataFrame
    change_summary: pd.Series | None = None
    changes: pd.DataFrame | None = None
    money_change: pd.DataFrame | None = None
    # the organisation's emissions (issue 16): not in a period's snapshot, so always today's import
    emission_totals: pd.DataFrame = field(default_factory=pd.DataFrame)
    emission_path: pd.DataFrame = field(default_factory=pd.DataFrame)
    emission_source: pd.DataFrame = field(default_factory=pd.DataFrame)


def collect(run: Run, scope: Scope) -> Frames:
    """Every figure of the report, each from its named query."""
    params = scope.params()
    programme = run("programme_lookup", programme_id=scope.programme_id, lang=scope.lang).iloc[0]
    frames = Frames(
        programme=programme,
        tiles=run("report_tiles", year=scope.year, **params).iloc[0],
        theme_status=run("report_theme_status", **params),
        late=run("report_late", on_day=scope.on_day, **params),
        money=run("report_money_table", **params),
        decisions=run("report_decisions", since=scope.since, until=scope.on_day, **params),
        demo=(
            run(
                "demo_real_measures",
                programme_id=scope.programme_id,
                lang=scope.lang,
                include_unpublished=scope.include_unpublished,
            )
            if bool(programme["is_demo"])
            else pd.DataFrame()
        ),
    )
    # The same named queries as the overview's emissions section (ui/emissions.py).
    organisation_id = int(programme["organisation_id"])
    frames.emission_source = run("emission_source", organisation_id=organisation_id, lang=scope.lang)
    if not frames.emission_source.empty:
        frames.emission_totals = run("emission_totals", organisation_id=organisation_id)
        frames.emission_path = run(
            "emission_target_path", organisation_id=organisation_id, pace_years=emissions_present.PACE_YEARS
        )
    if scope.compare is not None:
        compared = {**params, "base_period_id": int(scope.compare["id"])}
        frames.change_summary = run("period_change_summary", **compared).iloc[0]
        frames.changes = run("period_changes", **compared)
        frames.money_change = run("period_money_change", **compared)
    return frames
