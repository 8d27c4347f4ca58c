"""Synthetic municipalities for scale tests and the benchmark.

``build(con, municipalities=N, seed=S)`` adds N organisations, each with one
climate programme (6-8 themes, 80-250 measures), status-event chains
2021-2026 whose last event is the measure's current status and progress,
4-6 budget lines per measure, decisions linked to measures and an emissions
indicator by sector and year.

Everything is drawn from one numpy generator seeded with ``seed``, built as
Arrow tables in memory and inserted with one ``INSERT ... SELECT`` per table,
so 300 municipalities (~45 000 measures, ~550 000 events) take seconds, not
the minutes a row-by-row load would. The same seed gives the same rows
(identifiers included when the database starts empty).

About 500 lines because ``_build`` is one long builder on purpose: its
steps share the arrays drawn before them (organisation, measure, event), and
cutting it up would pass dozens of them around; the words it draws from are
in synth_words.toml.

A bulk loader, it writes its own rows (allowed by tests/test_write_ownership.py)
with ONE audit row for the whole load. Its ids are blocks taken from the write
layer's allocator (tracker.write.ids), so later writes never collide with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import numpy as np
import pyarrow as pa

from tracker import db, rules
from tracker.auth import SYSTEM
from tracker.demo.synth_words import WORDS as words
from tracker.write import audit, search
from tracker.write.ids import allocate_ids

# Event chains end on this day; the tests' TODAY is the day after, so
# staleness and lateness come out the same whenever the data is built.
AS_OF = date(2026, 11, 27)
FIRST_DAY = date(2021, 1, 4)
SOURCE = "synth"

_SECTOR_SHARE = np.array([0.34, 0.18, 0.28, 0.08, 0.08, 0.04])
_PHASE = {"not_started": "planning", "in_progress": "implementation", "late": "implementation", "done": "completed"}
STATUS_CODES = np.array(["done", "in_progress", "late", "not_started", "postponed", "cancelled"], dtype=object)


@dataclass(frozen=True)
class SynthSummary:
    organisations: int
    measures: int
    status_events: int
    budget_lines: int
    decisions: int
    seconds: float


def municipality_names(count: int, seed: int, taken: set[str] = frozenset()) -> list[str]:
    """``count`` distinct Finnish-looking names ("Kuukakoski", "Raalahti"...), the same for a seed."""
    rng = np.random.default_rng([seed, 1])
    combos = len(words.STARTS) * len(words.MIDDLES) * len(words.ENDINGS)
    order = rng.permutation(combos)
    names: list[str] = []
    round_ = 0
    while len(names) < count:
        for index in order:
            start, rest = divmod(int(index), len(words.MIDDLES) * len(words.ENDINGS))
            middle, ending = divmod(rest, len(words.ENDINGS))
            name = (words.STARTS[start] + words.MIDDLES[middle] + words.ENDINGS[ending]).capitalize()
            if round_:
                name += f" {round_ + 1}"
            if name not in taken:
                names.append(name)
                if len(names) == count:
                    break
        round_ += 1
    return names


def _reserve_ids(cur: duckdb.DuckDBPyConnection, table: str, count: int) -> np.ndarray:
    """A block of ``count`` ids of ``table`` from the write layer's allocator."""
    ids = allocate_ids(cur, table, int(count))
    return np.arange(ids.start, ids.stop, dtype=np.int64)


def _pick(options, index: np.ndarray) -> np.ndarray:
    return np.asarray(options, dtype=object)[index]


def _strings(values) -> pa.Array:
    return pa.array(list(values), type=pa.string())


def _days(start: date, offsets: np.ndarray) -> np.ndarray:
    return np.datetime64(start, "D") + offsets.astype("timedelta64[D]")


def _insert(cur: duckdb.DuckDBPyConnection, table: str, frame: pa.Table) -> None:
    columns = ", ".join(frame.column_names)
    cur.register("synth_frame", frame)
    try:
        cur.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM synth_frame")  # noqa: S608
    finally:
        cur.unregister("synth_frame")


def _within_group_counter(groups: np.ndarray) -> np.ndarray:
    """1, 2, 3... inside each run of equal values of a sorted array."""
    starts = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
    lengths = np.diff(np.r_[starts, len(groups)])
    return np.arange(len(groups)) - np.repeat(starts, lengths) + 1


def build(con: duckdb.DuckDBPyConnection, *, municipalities: int, seed: int = 1) -> SynthSummary:
    """Add ``municipalities`` synthetic organisations in one transaction with its audit row."""
    if municipalities < 1:
        raise ValueError("municipalities must be at least 1")
    started = datetime.now()
    rng = np.random.default_rng(seed)
    n = municipalities
    with db.transaction(con) as cur:
        taken = {row[0] for row in cur.execute("SELECT name FROM organisations").fetchall()}
        counts = _build(cur, rng, n, seed, taken)
        search.index_unindexed(cur)
        audit.record(
            cur,
            SYSTEM,
            "demo.synth",
            None,
            before=None,
            after={"municipalities": n, "seed": seed, **counts},
        )
    return SynthSummary(
        organisations=n,
        measures=counts["measures"],
        status_events=counts["status_events"],
        budget_lines=counts["budget_lines"],
        decisions=counts["decisions"],
        seconds=(datetime.now() - started).total_seconds(),
    )


def _build(cur, rng: np.random.Generator, n: int, seed: int, taken: set[str]) -> dict[str, int]:
    # -- organisations: a tenth bilingual (Swedish name too), each with a "diligence"
    # that shifts its status mix, staleness and spending.
    names = municipality_names(n, seed, taken)
    bilingual = rng.random(n) < 0.1
    diligence = rng.beta(2.0, 2.0, n)
    org_ids = _reserve_ids(cur, "organisations", n)
    sv_names = [
        (words.STARTS[i % len(words.STARTS)] + words.SV_ENDINGS[(i // 7) % len(words.SV_ENDINGS)]).capitalize()
        if b
        else None
        for i, b in zip(rng.integers(0, 10_000, n), bilingual, strict=True)
    ]
    created = np.datetime64(datetime(2021, 1, 1), "s")
    _insert(
        cur,
        "organisations",
        pa.table(
            {
                "id": org_ids,
                "name": _strings(names),
                "name_sv": _strings(sv_names),
                "created_at": np.full(n, created),
            }
        ),
    )

    # -- cost centres, 6-10 per organisation with organisation-local codes
    cc_count = rng.integers(6, 11, n)
    cc_org = np.repeat(np.arange(n), cc_count)
    cc_local = _within_group_counter(cc_org) - 1
    cc_ids = _reserve_ids(cur, "cost_centres", len(cc_org))
    _insert(
        cur,
        "cost_centres",
        pa.table(
            {
                "id": cc_ids,
                "organisation_id": org_ids[cc_org],
                "code": _strings(str(1200 + 35 * k + (s % 30)) for k, s in zip(cc_local, cc_org, strict=True)),
                "name": _strings(_pick(words.COST_CENTRES, cc_local % len(words.COST_CENTRES))),
            }
        ),
    )
    cc_first = np.r_[0, np.cumsum(cc_count)[:-1]]

    # -- measures per organisation: 80-250, skewed towards small municipalities
    m_count = (80 + np.floor(171 * rng.random(n) ** 1.3)).astype(np.int64)
    total = int(m_count.sum())

    # -- decisions: the programme's adoption plus about one per twelve measures
    d_count = 1 + np.maximum(3, m_count // 12)
    d_org = np.repeat(np.arange(n), d_count)
    d_local = _within_group_counter(d_org) - 1
    nd = len(d_org)
    d_ids = _reserve_ids(cur, "decisions", nd)
    adopting = d_local == 0
    decided = _days(FIRST_DAY, np.where(adopting, rng.integers(0, 300, nd), rng.integers(0, 2150, nd)))
    outcome = np.where(adopting, 0, np.searchsorted(np.cumsum([0.8, 0.08, 0.03, 0.05, 0.03, 0.01]), rng.random(nd)))
    outcome = np.minimum(outcome, len(rules.OUTCOMES) - 1)
    d_year = decided.astype("datetime64[Y]").astype(int) + 1970
    action_index = rng.integers(0, len(words.ACTIONS), nd)
    object_index = rng.integers(0, len(words.OBJECTS), nd)
    titles = [
        "Ilmasto-ohjelman hyväksyminen" if a else f"{words.ACTIONS[i][0]} {words.OBJECTS[j][0]}"
        for a, i, j in zip(adopting, action_index, object_index, strict=True)
    ]
    _insert(
        cur,
        "decisions",
        pa.table(
            {
                "id": d_ids,
                "organisation_id": org_ids[d_org],
                "body": _strings(np.where(adopting, "Kaupunginvaltuusto", _pick(words.BODIES, rng.integers(0, 5, nd)))),
                "decided_on": decided,
                "section": rng.integers(1, 400, nd),
                "case_number": _strings(
                    f"{k}/00.01.02/{y}" for k, y in zip(rng.integers(100, 3000, nd), d_year, strict=True)
                ),
                "title": _strings(titles),
                "outcome": _strings(_pick(rules.OUTCOMES, outcome)),
                "unanimous": rng.random(nd) < 0.85,
                "is_illustrative": np.ones(nd, dtype=bool),
                "created_at": np.full(nd, created),
                "updated_at": np.full(nd, created),
            }
        ),
    )
    d_first = np.r_[0, np.cumsum(d_count)[:-1]]

    # -- programmes and themes
    p_ids = _reserve_ids(cur, "programmes", n)
    start_year = rng.integers(2020, 2023, n)
    end_year = start_year + rng.integers(5, 11, n)
    _insert(
        cur,
        "programmes",
        pa.table(
            {
                "id": p_ids,
                "organisation_id": org_ids,
                "name": _strings(
                    f"{name} ilmasto-ohjelma {s}–{e}" for name, s, e in zip(names, start_year, end_year, strict=True)
                ),
                "name_sv": _strings(
                    f"Klimatprogram {s}–{e}" if b else None
                    for b, s, e in zip(bilingual, start_year, end_year, strict=True)
                ),
                "name_en": _strings(f"Climate programme {s}–{e}" for s, e in zip(start_year, end_year, strict=True)),
                "start_year": start_year,
                "end_year": end_year,
                "adopting_decision_id": d_ids[d_first],
                "created_at": np.full(n, created),
            }
        ),
    )
    t_count = rng.integers(6, 9, n)
    t_org = np.repeat(np.arange(n), t_count)
    t_position = _within_group_counter(t_org)
    # each programme takes its first t_count themes of its own order of the ten
    theme_order = np.argsort(rng.random((n, len(words.THEMES))), axis=1)
    t_theme = theme_order[t_org, t_position - 1]
    t_ids = _reserve_ids(cur, "themes", len(t_org))
    _insert(
        cur,
        "themes",
        pa.table(
            {
                "id": t_ids,
                "programme_id": p_ids[t_org],
                "position": t_position,
                "name_fi": _strings(words.THEMES[i][0] for i in t_theme),
                "name_sv": _strings(words.THEMES[i][1] for i in t_theme),
                "name_en": _strings(words.THEMES[i][2] for i in t_theme),
            }
        ),
    )
    t_first = np.r_[0, np.cumsum(t_count)[:-1]]

    # -- measures
    m_org = np.repeat(np.arange(n), m_count)
    m_theme_pos = 1 + np.floor(rng.random(total) * t_count[m_org]).astype(np.int64)
    order = np.lexsort((m_theme_pos, m_org))
    m_org, m_theme_pos = m_org[order], m_theme_pos[order]
    m_number = _within_group_counter(m_org * 16 + m_theme_pos)
    codes = [f"{t}.{k}" for t, k in zip(m_theme_pos, m_number, strict=True)]
    m_ids = _reserve_ids(cur, "measures", total)
    d = diligence[m_org]
    # status mix: diligent organisations finish more and run late less
    p_done = 0.10 + 0.30 * d
    p_progress = 0.37
    p_late = 0.06 + 0.14 * (1 - d)
    p_not_started = 0.10 + 0.10 * (1 - d)
    p_postponed = 0.05
    thresholds = np.cumsum(
        np.stack([p_done, np.full(total, p_progress), p_late, p_not_started, np.full(total, p_postponed)]), axis=0
    )
    u = rng.random(total)
    status_index = (u[None, :] >= thresholds).sum(axis=0)  # 5 -> cancelled
    status = STATUS_CODES[status_index]
    progress = np.select(
        [status_index == 0, status_index == 3, status_index == 1, status_index == 2],
        [100, 0, rng.integers(10, 91, total), rng.integers(5, 71, total)],
        rng.integers(0, 41, total),
    ).astype(np.int64)
    start = rng.integers(0, 1400, total)
    continuous = (rng.random(total) < 0.08) & (status_index != 0)
    length = rng.integers(180, 2200, total)
    as_of_offset = (AS_OF - FIRST_DAY).days
    # a late measure's end date has passed; a done one ended before its last update
    late_end = np.minimum(start + length, as_of_offset - rng.integers(1, 400, total))
    end = np.where(status_index == 2, np.maximum(late_end, start + 30), start + length)
    start_date = _days(FIRST_DAY, start)
    end_date = _days(FIRST_DAY, end)
    end_date_arrow = pa.array(end_date, mask=continuous)
    published = rng.random(total) < 0.93
    has_sv = bilingual[m_org] | (rng.random(total) < 0.03)
    has_en = rng.random(total) < 0.07
    action_index = rng.integers(0, len(words.ACTIONS), total)
    object_index = rng.integers(0, len(words.OBJECTS), total)
    unit_index = rng.integers(0, len(words.UNITS), total)
    person_index = rng.integers(0, len(words.PEOPLE), total)
    domain = [name.split()[0].lower().replace("ä", "a").replace("ö", "o") for name in names]

    # -- event chains: the first records the measure (not started, 0 %), the last is
    # its current status and progress; progress never goes down along the chain.
    k = np.where(status_index == 3, rng.integers(1, 4, total), rng.integers(10, 19, total))
    first_day = rng.integers(0, 500, total)
    staleness = np.floor(rng.exponential(15 + 260 * (1 - d))).astype(np.int64)
    last_day = np.maximum(np.minimum(as_of_offset - staleness, as_of_offset), first_day + k)
    first_at = np.datetime64(FIRST_DAY, "s") + (first_day * 86400 + 8 * 3600).astype("timedelta64[s]")
    span_seconds = (last_day - first_day) * 86400 + rng.integers(0, 8 * 3600, total)
    last_at = first_at + span_seconds.astype("timedelta64[s]")

    e_measure = np.repeat(np.arange(total), k)
    e_step = _within_group_counter(e_measure)  # 1..k
    e_k = k[e_measure]
    e_last = e_step == e_k
    fraction = np.where(e_k > 1, (e_step - 1) / np.maximum(e_k - 1, 1), 1.0)
    jitter = (rng.random(len(e_measure)) - 0.5) * 0.8 / np.maximum(e_k - 1, 1)
    fraction = np.clip(np.where((e_step == 1) | e_last, fraction, fraction + jitter), 0.0, 1.0)
    e_at = first_at[e_measure] + np.floor(span_seconds[e_measure] * fraction).astype("timedelta64[s]")
    e_final_status = status_index[e_measure]
    e_progress = np.where(e_step == 1, 0, np.floor(progress[e_measure] * fraction).astype(np.int64))
    e_progress = np.where(e_last, progress[e_measure], e_progress)
    # in between: in progress, turning late in the last third for late measures
    middle_status = np.where((e_final_status == 2) & (fraction > 0.66), 2, 1)
    middle_status = np.where(e_final_status == 3, 3, middle_status)
    e_status = np.where(e_step == 1, 3, np.where(e_last, e_final_status, middle_status))
    previous_status = np.r_[0, e_status[:-1]]
    previous_progress = np.r_[0, e_progress[:-1]]
    has_note = rng.random(len(e_measure)) < 0.6
    note_index = rng.integers(0, len(words.NOTES), len(e_measure))
    notes = np.where(has_note, _pick(words.NOTES, note_index), None)
    notes = np.where(e_step == 1, "Toimenpide kirjattu ilmasto-ohjelmaan.", notes)
    events = pa.table(
        {
            "id": _reserve_ids(cur, "status_events", len(e_measure)),
            "measure_id": m_ids[e_measure],
            "occurred_at": e_at,
            "actor": _strings(_pick(words.PEOPLE, person_index[e_measure])),
            "source": _strings(np.full(len(e_measure), SOURCE, dtype=object)),
            "old_status": pa.array(_pick(STATUS_CODES, previous_status), type=pa.string(), mask=e_step == 1),
            "new_status": _strings(_pick(STATUS_CODES, e_status)),
            "old_progress": pa.array(previous_progress, mask=e_step == 1),
            "new_progress": e_progress,
            "note": _strings(notes),
            "note_is_public": rng.random(len(e_measure)) < 0.9,
        }
    )

    titles_fi = [
        f"{words.ACTIONS[a][0]} {words.OBJECTS[o][0]}" for a, o in zip(action_index, object_index, strict=True)
    ]
    titles_sv = [
        f"{words.OBJECTS[o][1].capitalize()} {words.ACTIONS[a][1].lower()}"
        for a, o in zip(action_index, object_index, strict=True)
    ]
    titles_en = [
        f"{words.ACTIONS[a][2]} {words.OBJECTS[o][2]}" for a, o in zip(action_index, object_index, strict=True)
    ]
    phase = np.array([_PHASE.get(s, "planning") for s in status], dtype=object)
    _insert(
        cur,
        "measures",
        pa.table(
            {
                "id": m_ids,
                "programme_id": p_ids[m_org],
                "theme_id": t_ids[t_first[m_org] + m_theme_pos - 1],
                "code": _strings(codes),
                "title_fi": _strings(titles_fi),
                "title_sv": _strings(np.where(has_sv, np.asarray(titles_sv, dtype=object), None)),
                "title_en": _strings(np.where(has_en, np.asarray(titles_en, dtype=object), None)),
                "description_fi": _strings(f"{t}. Toimenpide kuuluu kunnan ilmasto-ohjelmaan." for t in titles_fi),
                "responsible_unit": _strings(_pick(words.UNITS, unit_index)),
                "contact_name": _strings(_pick(words.PEOPLE, person_index)),
                "contact_email": _strings(
                    f"{words.PEOPLE[p].split()[0].lower()}@{domain[o]}.example"
                    for p, o in zip(person_index, m_org, strict=True)
                ),
                "status": _strings(status),
                "phase": _strings(phase),
                "progress": progress,
                "start_date": start_date,
                "end_date": end_date_arrow,
                "is_continuous": continuous,
                "is_published": published,
                "internal_note": _strings(np.where(rng.random(total) < 0.15, "Resurssitilanne tarkistetaan.", None)),
                "is_illustrative": np.ones(total, dtype=bool),
                "created_at": first_at,
                "updated_at": last_at,
                "version": k,
            }
        ),
    )
    _insert(cur, "status_events", events)

    # -- budget lines: 4-6 consecutive years 2021-2026 (so never two on one year and
    # cost centre); a lognormal measure size makes a few measures carry most money
    b_count = rng.integers(4, 7, total)
    b_measure = np.repeat(np.arange(total), b_count)
    b_index = _within_group_counter(b_measure) - 1
    first_year = 2021 + np.floor(rng.random(total) * (6 - b_count + 1)).astype(np.int64)
    b_year = first_year[b_measure] + b_index
    nb = len(b_measure)
    b_org = m_org[b_measure]
    b_cc = cc_ids[cc_first[b_org] + np.floor(rng.random(nb) * cc_count[b_org]).astype(np.int64)]
    size = np.exp(rng.normal(9.0, 1.5, total))
    planned = np.round(size[b_measure] * rng.uniform(0.5, 1.5, nb), -2)
    planned = np.where(rng.random(nb) < 0.05, 0.0, np.minimum(planned, 5e8))
    spend = rng.uniform(0.4, 1.35, nb) * (0.7 + 0.4 * diligence[b_org])
    actual = np.round(planned * spend, 2)
    current_year = AS_OF.year
    no_actual = (b_year > current_year) | (rng.random(nb) < 0.08) | ((b_year == current_year) & (rng.random(nb) < 0.5))
    no_actual |= status_index[b_measure] == 3
    _insert(
        cur,
        "budget_lines",
        pa.table(
            {
                "id": _reserve_ids(cur, "budget_lines", nb),
                "measure_id": m_ids[b_measure],
                "year": b_year,
                "cost_centre_id": b_cc,
                "planned_eur": planned,
                "actual_eur": pa.array(actual, mask=no_actual),
                "funding_source": _strings(_pick(words.FUNDING, rng.integers(0, len(words.FUNDING), nb))),
                "updated_at": np.full(nb, np.datetime64(datetime(2026, 1, 15), "s")),
            }
        ),
    )

    # -- decisions linked to measures: about a third of the measures, a few to two
    linked = rng.random(total) < 0.35
    second = linked & (rng.random(total) < 0.15)
    other = d_count[m_org] - 1  # decisions of the organisation apart from the adoption
    first_pick = np.floor(rng.random(total) * other).astype(np.int64)
    second_pick = (first_pick + 1 + np.floor(rng.random(total) * (other - 1)).astype(np.int64)) % other
    link_measure = np.r_[np.flatnonzero(linked), np.flatnonzero(second)]
    link_pick = np.r_[first_pick[linked], second_pick[second]]
    _insert(
        cur,
        "measure_decisions",
        pa.table(
            {
                "measure_id": m_ids[link_measure],
                "decision_id": d_ids[d_first[m_org[link_measure]] + 1 + link_pick],
            }
        ),
    )

    # -- the emissions indicator: kt CO2e by sector 2010-2025, falling unevenly
    i_ids = _reserve_ids(cur, "indicators", n)
    _insert(
        cur,
        "indicators",
        pa.table(
            {
                "id": i_ids,
                "organisation_id": org_ids,
                "name_fi": _strings(np.full(n, "Kasvihuonekaasupäästöt", dtype=object)),
                "name_sv": _strings(np.full(n, "Växthusgasutsläpp", dtype=object)),
                "name_en": _strings(np.full(n, "Greenhouse-gas emissions", dtype=object)),
                "unit": _strings(np.full(n, "kt CO2e", dtype=object)),
                "base_year": np.full(n, 2010),
                "target_year": np.full(n, 2035),
                "target_reduction_pct": np.full(n, 80.0),
                "is_illustrative": np.ones(n, dtype=bool),
                "updated_at": np.full(n, created),
            }
        ),
    )
    years = np.arange(2010, 2026)
    iv_org = np.repeat(np.arange(n), len(years) * len(words.SECTORS))
    iv_year = np.tile(np.repeat(years, len(words.SECTORS)), n)
    iv_sector = np.tile(np.arange(len(words.SECTORS)), n * len(years))
    level = m_count[iv_org] * 2.5 * _SECTOR_SHARE[iv_sector]
    decline = (1 - (0.015 + 0.03 * diligence[iv_org])) ** (iv_year - 2010)
    value = np.round(level * decline * rng.uniform(0.95, 1.05, len(iv_org)), 3)
    _insert(
        cur,
        "indicator_values",
        pa.table(
            {
                "indicator_id": i_ids[iv_org],
                "year": iv_year,
                "sector": _strings(_pick(words.SECTORS, iv_sector)),
                "value": value,
            }
        ),
    )
    energy = np.flatnonzero(rng.random(total) < 0.05)
    _insert(
        cur,
        "measure_indicators",
        pa.table({"measure_id": m_ids[energy], "indicator_id": i_ids[m_org[energy]]}),
    )
    return {
        "measures": total,
        "status_events": len(e_measure),
        "budget_lines": nb,
        "decisions": nd,
    }
