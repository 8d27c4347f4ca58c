-- The reporting cycle (issue 14): reporting periods with frozen snapshots, reminder
-- bookkeeping, and the optional per-measure fields the CDP-ICLEI Track and Covenant of
-- Mayors exports ask for. Plain DuckDB (DuckLake has these types and macros too); ids of
-- the new tables come from id_counters (tracker/write/ids.py).

-- -- per-measure fields for the frameworks (all optional; vocabularies in tracker/frameworks) --
-- sector: a GPC sector code; financing_source / finance_status: codes; the municipality's share
-- of the total cost in per cent; co_benefits: codes; emission reduction in t CO2e a year; energy
-- saved and renewable energy produced in MWh a year; the Covenant's area of intervention and
-- policy instrument: codes.
ALTER TABLE measures ADD COLUMN sector VARCHAR;
ALTER TABLE measures ADD COLUMN financing_source VARCHAR;
ALTER TABLE measures ADD COLUMN finance_status VARCHAR;
ALTER TABLE measures ADD COLUMN total_cost_eur DECIMAL(14, 2);
ALTER TABLE measures ADD COLUMN municipal_share_pct DECIMAL(5, 2);
ALTER TABLE measures ADD COLUMN co_benefits VARCHAR[];
ALTER TABLE measures ADD COLUMN emission_reduction_t DECIMAL(14, 2);
ALTER TABLE measures ADD COLUMN energy_saved_mwh DECIMAL(14, 2);
ALTER TABLE measures ADD COLUMN renewable_energy_mwh DECIMAL(14, 2);
ALTER TABLE measures ADD COLUMN com_area VARCHAR;
ALTER TABLE measures ADD COLUMN com_instrument VARCHAR;

-- -- reporting periods --
-- A period of a programme ("Vuosiraportti 2025"): open while measures are brought up to date
-- and marked ready, closed when its snapshot is taken. closing_id names its current snapshot
-- (NULL until first closed); reopening keeps it (and every earlier one) and records who and why.
CREATE TABLE reporting_periods (
    id INTEGER NOT NULL /*embedded: PRIMARY KEY */,
    programme_id INTEGER NOT NULL,
    name_fi VARCHAR NOT NULL /*embedded: CHECK (length(trim(name_fi)) BETWEEN 1 AND 200) */,
    name_sv VARCHAR,
    name_en VARCHAR,
    as_of DATE NOT NULL,
    due_on DATE,
    state VARCHAR NOT NULL /*embedded: CHECK (state IN ('open', 'closed')) */,
    opened_at TIMESTAMP NOT NULL,
    opened_by VARCHAR NOT NULL,
    closing_id INTEGER,
    reopened_at TIMESTAMP,
    reopened_by VARCHAR,
    reopen_reason VARCHAR,
    version INTEGER NOT NULL DEFAULT 1 /*embedded:,
    UNIQUE (programme_id, name_fi) */
);

-- A measure marked ready for an open period by its editor.
CREATE TABLE period_ready (
    period_id INTEGER NOT NULL,
    measure_id INTEGER NOT NULL,
    marked_at TIMESTAMP NOT NULL,
    marked_by VARCHAR NOT NULL /*embedded:,
    PRIMARY KEY (period_id, measure_id) */
);

-- Each closing of a period and the snapshot taken then. Never updated or deleted: a closed
-- period's figures never change, and a reopened one keeps what it was closed with.
CREATE TABLE period_closings (
    id INTEGER NOT NULL /*embedded: PRIMARY KEY */,
    period_id INTEGER NOT NULL,
    closed_at TIMESTAMP NOT NULL,
    closed_by VARCHAR NOT NULL,
    as_of DATE NOT NULL
);

-- Every measure of the programme (archived ones aside) as it stood at the closing; late on the
-- period's as-of day; note: its latest public note.
CREATE TABLE snapshot_measures (
    closing_id INTEGER NOT NULL,
    measure_id INTEGER NOT NULL,
    code VARCHAR NOT NULL,
    theme_id INTEGER NOT NULL,
    theme_position INTEGER NOT NULL,
    theme_fi VARCHAR NOT NULL,
    theme_sv VARCHAR,
    theme_en VARCHAR,
    title_fi VARCHAR NOT NULL,
    title_sv VARCHAR,
    title_en VARCHAR,
    responsible_unit VARCHAR,
    status VARCHAR NOT NULL,
    progress INTEGER NOT NULL,
    phase VARCHAR,
    start_date DATE,
    end_date DATE,
    is_continuous BOOLEAN NOT NULL,
    is_published BOOLEAN NOT NULL,
    is_late BOOLEAN NOT NULL,
    is_ready BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    note VARCHAR,
    note_at TIMESTAMP /*embedded:,
    PRIMARY KEY (closing_id, measure_id) */
);

-- The measures' money per year and cost centre at the closing.
CREATE TABLE snapshot_money (
    closing_id INTEGER NOT NULL,
    measure_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    cost_centre_code VARCHAR NOT NULL,
    cost_centre_name VARCHAR,
    planned_eur DECIMAL(14, 2) NOT NULL,
    actual_eur DECIMAL(14, 2)
);

-- The decisions linked to the measures at the closing.
CREATE TABLE snapshot_decisions (
    closing_id INTEGER NOT NULL,
    measure_id INTEGER NOT NULL,
    decision_id INTEGER NOT NULL,
    body VARCHAR NOT NULL,
    decided_on DATE,
    section INTEGER,
    case_number VARCHAR,
    title VARCHAR,
    outcome VARCHAR NOT NULL,
    unanimous BOOLEAN,
    url VARCHAR
);

-- The organisation's indicator values at the closing (queries/snapshot_indicator_values.sql).
CREATE TABLE snapshot_indicators (
    closing_id INTEGER NOT NULL,
    indicator_id INTEGER NOT NULL,
    name_fi VARCHAR NOT NULL,
    name_sv VARCHAR,
    name_en VARCHAR,
    unit VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    sector VARCHAR NOT NULL,
    value DECIMAL(14, 3) NOT NULL
);

-- -- reminders --
-- A contact person of measures (by e-mail, lower case): the language of their digest, whether
-- they opted out, and the token of their opt-out link.
CREATE TABLE reminder_contacts (
    email VARCHAR NOT NULL /*embedded: PRIMARY KEY */,
    language VARCHAR NOT NULL /*embedded: CHECK (language IN ('fi', 'sv', 'en')) */,
    opted_out BOOLEAN NOT NULL,
    opt_out_token VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Every attempt to send a digest: at most one sent a person a day; a failed one is tried again.
CREATE TABLE reminder_sends (
    id BIGINT NOT NULL /*embedded: PRIMARY KEY */,
    email VARCHAR NOT NULL,
    sent_on DATE NOT NULL,
    attempted_at TIMESTAMP NOT NULL,
    outcome VARCHAR NOT NULL /*embedded: CHECK (outcome IN ('sent', 'failed')) */,
    error VARCHAR,
    measures INTEGER NOT NULL,
    language VARCHAR NOT NULL
);

INSERT INTO id_counters (table_name, next_id)
VALUES ('reporting_periods', 1), ('period_closings', 1), ('reminder_sends', 1);

-- -- what the report, the comparison and the period pages read --
-- A programme's measures as a report shows them: the snapshot of period for_period (its
-- current closing) or, when for_period is NULL, the measures now (late on on_day); published
-- ones only unless with_unpublished. note: the latest public note and note_at its time.
CREATE MACRO report_measures(for_programme, for_period, with_unpublished, on_day) AS TABLE
    SELECT
        s.measure_id AS id,
        s.code,
        s.theme_id,
        s.theme_position,
        s.theme_fi,
        s.theme_sv,
        s.theme_en,
        s.title_fi,
        s.title_sv,
        s.title_en,
        s.responsible_unit,
        s.status,
        s.progress,
        s.phase,
        s.start_date,
        s.end_date,
        s.is_continuous,
        s.is_published,
        s.is_late,
        s.updated_at,
        s.note,
        s.note_at
    FROM reporting_periods AS p
    JOIN snapshot_measures AS s ON s.closing_id = p.closing_id
    WHERE p.id = for_period AND p.programme_id = for_programme AND (s.is_published OR with_unpublished)
    UNION ALL
    SELECT
        m.id,
        m.code,
        m.theme_id,
        t.position,
        t.name_fi,
        t.name_sv,
        t.name_en,
        m.title_fi,
        m.title_sv,
        m.title_en,
        m.responsible_unit,
        m.status,
        m.progress,
        m.phase,
        m.start_date,
        m.end_date,
        m.is_continuous,
        m.is_published,
        is_late(m.status, m.end_date, m.is_continuous, on_day),
        m.updated_at,
        notes.note,
        notes.note_at
    FROM visible_measures_of(for_programme, with_unpublished) AS m
    JOIN themes AS t ON t.id = m.theme_id
    LEFT JOIN (
        SELECT e.measure_id, arg_max(e.note, e.occurred_at) AS note, max(e.occurred_at) AS note_at
        FROM status_events AS e
        WHERE e.note_is_public AND coalesce(e.note, '') <> ''
        GROUP BY e.measure_id
    ) AS notes ON notes.measure_id = m.id
    WHERE for_period IS NULL;

-- The money of those measures per year and cost centre (same choice of period or now).
CREATE MACRO report_money(for_programme, for_period, with_unpublished) AS TABLE
    SELECT s.measure_id, s.year, s.cost_centre_code, s.cost_centre_name, s.planned_eur, s.actual_eur
    FROM reporting_periods AS p
    JOIN snapshot_money AS s ON s.closing_id = p.closing_id
    JOIN snapshot_measures AS sm ON sm.closing_id = s.closing_id AND sm.measure_id = s.measure_id
    WHERE p.id = for_period AND p.programme_id = for_programme AND (sm.is_published OR with_unpublished)
    UNION ALL
    SELECT b.measure_id, b.year, c.code, c.name, b.planned_eur, b.actual_eur
    FROM budget_lines AS b
    JOIN visible_measures_of(for_programme, with_unpublished) AS m ON m.id = b.measure_id
    JOIN cost_centres AS c ON c.id = b.cost_centre_id
    WHERE for_period IS NULL;

-- The decisions linked to those measures (same choice of period or now), one row per link.
CREATE MACRO report_decisions(for_programme, for_period, with_unpublished) AS TABLE
    SELECT s.measure_id, s.decision_id, s.body, s.decided_on, s.section, s.case_number, s.title, s.outcome,
        s.unanimous, s.url
    FROM reporting_periods AS p
    JOIN snapshot_decisions AS s ON s.closing_id = p.closing_id
    JOIN snapshot_measures AS sm ON sm.closing_id = s.closing_id AND sm.measure_id = s.measure_id
    WHERE p.id = for_period AND p.programme_id = for_programme AND (sm.is_published OR with_unpublished)
    UNION ALL
    SELECT md.measure_id, d.id, d.body, d.decided_on, d.section, d.case_number, d.title, d.outcome,
        d.unanimous, d.url
    FROM measure_decisions AS md
    JOIN visible_measures_of(for_programme, with_unpublished) AS m ON m.id = md.measure_id
    JOIN decisions AS d ON d.id = md.decision_id
    WHERE for_period IS NULL;

-- What moved between two states of a programme (each a period's snapshot, or now when NULL):
-- one row per measure in either, with its status, progress, lateness and money (planned and
-- actual over all years) before and after. A measure in only one of them has NULLs on the
-- other side.
CREATE MACRO measure_changes(for_programme, base_period, for_period, with_unpublished, on_day) AS TABLE
    WITH
        before AS (SELECT * FROM report_measures(for_programme, base_period, with_unpublished, on_day)),
        after AS (SELECT * FROM report_measures(for_programme, for_period, with_unpublished, on_day)),
        money_before AS (
            SELECT measure_id, sum(planned_eur) AS planned, coalesce(sum(actual_eur), 0) AS actual
            FROM report_money(for_programme, base_period, with_unpublished)
            GROUP BY measure_id
        ),
        money_after AS (
            SELECT measure_id, sum(planned_eur) AS planned, coalesce(sum(actual_eur), 0) AS actual
            FROM report_money(for_programme, for_period, with_unpublished)
            GROUP BY measure_id
        )
    SELECT
        coalesce(a.id, b.id) AS id,
        coalesce(a.code, b.code) AS code,
        coalesce(a.theme_position, b.theme_position) AS theme_position,
        coalesce(a.theme_fi, b.theme_fi) AS theme_fi,
        coalesce(a.theme_sv, b.theme_sv) AS theme_sv,
        coalesce(a.theme_en, b.theme_en) AS theme_en,
        coalesce(a.title_fi, b.title_fi) AS title_fi,
        coalesce(a.title_sv, b.title_sv) AS title_sv,
        coalesce(a.title_en, b.title_en) AS title_en,
        b.id IS NOT NULL AS in_before,
        a.id IS NOT NULL AS in_after,
        b.status AS status_before,
        a.status AS status_after,
        b.progress AS progress_before,
        a.progress AS progress_after,
        coalesce(b.is_late, false) AS late_before,
        coalesce(a.is_late, false) AS late_after,
        coalesce(mb.planned, 0) AS planned_before,
        coalesce(ma.planned, 0) AS planned_after,
        coalesce(mb.actual, 0) AS actual_before,
        coalesce(ma.actual, 0) AS actual_after,
        a.note AS note_after
    FROM after AS a
    FULL OUTER JOIN before AS b ON b.id = a.id
    LEFT JOIN money_before AS mb ON mb.measure_id = coalesce(a.id, b.id)
    LEFT JOIN money_after AS ma ON ma.measure_id = coalesce(a.id, b.id);
