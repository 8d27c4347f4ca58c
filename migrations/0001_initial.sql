-- One schema for both storage engines (docs/migrations.md). What DuckLake cannot
-- hold (sequences, PRIMARY KEY, UNIQUE, CHECK) is written inside /*embedded: ... */:
-- tracker.db.migration_sql() un-comments it for the embedded file, where it is a
-- second line of defence; the lake reads a comment. The write layer checks every
-- one of these rules itself on both engines, and tests/rule_violations.sql checks the
-- stored rows against them after the tests' writes.

-- The whole data model: organisations -> programmes -> themes -> measures,
-- with status events, budget lines, decisions, indicators, users, settings
-- and the audit log. Money is DECIMAL(14,2); timestamps are UTC.
--
-- No FOREIGN KEY constraints: DuckDB (1.5) refuses to UPDATE an indexed column
-- (a measure's code or theme, a cost centre's code, a theme's name) of any row
-- that another table references, so with foreign keys a measure could never
-- be renamed or moved. References are kept by the write services instead and
-- checked by the tests (tests/orphan_rows.sql): a row that others point at is
-- never deleted (a measure is archived instead); only what nothing points at
-- is: a budget line, a measure's link to a decision, a cost centre that no
-- budget line uses.

/*embedded: CREATE SEQUENCE organisations_id_seq; */
CREATE TABLE organisations (
    id INTEGER NOT NULL /*embedded: PRIMARY KEY DEFAULT nextval('organisations_id_seq') */,
    name VARCHAR NOT NULL /*embedded: UNIQUE */ /*embedded: CHECK (length(trim(name)) BETWEEN 1 AND 200) */,
    name_sv VARCHAR,
    name_en VARCHAR,
    created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
);

/*embedded: CREATE SEQUENCE decisions_id_seq; */
CREATE TABLE decisions (
    id INTEGER NOT NULL /*embedded: PRIMARY KEY DEFAULT nextval('decisions_id_seq') */,
    organisation_id INTEGER NOT NULL,
    body VARCHAR NOT NULL /*embedded: CHECK (length(trim(body)) BETWEEN 1 AND 200) */,
    decided_on DATE,
    section INTEGER /*embedded: CHECK (section > 0) */,
    case_number VARCHAR,
    title VARCHAR,
    outcome VARCHAR NOT NULL /*embedded: CHECK (outcome IN (
        'approved', 'approved_amended', 'rejected', 'tabled', 'returned', 'withdrawn')) */,
    unanimous BOOLEAN,
    url VARCHAR,
    text VARCHAR,
    is_illustrative BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    updated_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    version INTEGER NOT NULL DEFAULT 1
);

/*embedded: CREATE SEQUENCE programmes_id_seq; */
CREATE TABLE programmes (
    id INTEGER NOT NULL /*embedded: PRIMARY KEY DEFAULT nextval('programmes_id_seq') */,
    organisation_id INTEGER NOT NULL,
    name VARCHAR NOT NULL /*embedded: CHECK (length(trim(name)) BETWEEN 1 AND 200) */,
    name_sv VARCHAR,
    name_en VARCHAR,
    start_year INTEGER /*embedded: CHECK (start_year BETWEEN 1990 AND 2100) */,
    end_year INTEGER /*embedded: CHECK (end_year BETWEEN 1990 AND 2100) */,
    adopting_decision_id INTEGER,
    is_demo BOOLEAN NOT NULL DEFAULT false,
    is_default BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp() /*embedded:,
    UNIQUE (organisation_id, name) */ /*embedded:,
    CHECK (end_year IS NULL OR start_year IS NULL OR end_year >= start_year) */
);

/*embedded: CREATE SEQUENCE themes_id_seq; */
CREATE TABLE themes (
    id INTEGER NOT NULL /*embedded: PRIMARY KEY DEFAULT nextval('themes_id_seq') */,
    programme_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    name_fi VARCHAR NOT NULL /*embedded: CHECK (length(trim(name_fi)) BETWEEN 1 AND 200) */,
    name_sv VARCHAR,
    name_en VARCHAR /*embedded:,
    UNIQUE (programme_id, name_fi) */
);

/*embedded: CREATE SEQUENCE measures_id_seq; */
CREATE TABLE measures (
    id INTEGER NOT NULL /*embedded: PRIMARY KEY DEFAULT nextval('measures_id_seq') */,
    programme_id INTEGER NOT NULL,
    theme_id INTEGER NOT NULL,
    code VARCHAR NOT NULL /*embedded: CHECK (length(trim(code)) BETWEEN 1 AND 20) */,
    title_fi VARCHAR NOT NULL /*embedded: CHECK (length(trim(title_fi)) BETWEEN 1 AND 300) */,
    title_sv VARCHAR,
    title_en VARCHAR,
    description_fi VARCHAR,
    description_sv VARCHAR,
    description_en VARCHAR,
    responsible_unit VARCHAR,
    contact_name VARCHAR,
    contact_email VARCHAR,
    status VARCHAR NOT NULL DEFAULT 'not_started' /*embedded: CHECK (status IN (
        'not_started', 'in_progress', 'late', 'done', 'postponed', 'cancelled')) */,
    phase VARCHAR,
    progress INTEGER NOT NULL DEFAULT 0 /*embedded: CHECK (progress BETWEEN 0 AND 100) */,
    start_date DATE,
    end_date DATE,
    is_continuous BOOLEAN NOT NULL DEFAULT false,
    is_published BOOLEAN NOT NULL DEFAULT true,
    internal_note VARCHAR,
    is_illustrative BOOLEAN NOT NULL DEFAULT false,
    archived_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    updated_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    version INTEGER NOT NULL DEFAULT 1 /*embedded: CHECK (version >= 1) */ /*embedded:,
    UNIQUE (programme_id, code) */ /*embedded:,
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date) */
);

-- Append-only: the "what was done" timeline and the source of the
-- progress-over-time charts. Never updated or deleted.
/*embedded: CREATE SEQUENCE status_events_id_seq; */
CREATE TABLE status_events (
    id BIGINT NOT NULL /*embedded: PRIMARY KEY DEFAULT nextval('status_events_id_seq') */,
    measure_id INTEGER NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    actor VARCHAR,
    source VARCHAR NOT NULL DEFAULT 'app',
    old_status VARCHAR,
    new_status VARCHAR NOT NULL /*embedded: CHECK (new_status IN (
        'not_started', 'in_progress', 'late', 'done', 'postponed', 'cancelled')) */,
    old_progress INTEGER,
    new_progress INTEGER NOT NULL /*embedded: CHECK (new_progress BETWEEN 0 AND 100) */,
    note VARCHAR,
    note_is_public BOOLEAN NOT NULL DEFAULT true
);

/*embedded: CREATE SEQUENCE cost_centres_id_seq; */
CREATE TABLE cost_centres (
    id INTEGER NOT NULL /*embedded: PRIMARY KEY DEFAULT nextval('cost_centres_id_seq') */,
    organisation_id INTEGER NOT NULL,
    code VARCHAR NOT NULL /*embedded: CHECK (length(trim(code)) BETWEEN 1 AND 40) */,
    name VARCHAR /*embedded:,
    UNIQUE (organisation_id, code) */
);

/*embedded: CREATE SEQUENCE budget_lines_id_seq; */
CREATE TABLE budget_lines (
    id INTEGER NOT NULL /*embedded: PRIMARY KEY DEFAULT nextval('budget_lines_id_seq') */,
    measure_id INTEGER NOT NULL,
    year INTEGER NOT NULL /*embedded: CHECK (year BETWEEN 1990 AND 2100) */,
    cost_centre_id INTEGER NOT NULL,
    planned_eur DECIMAL(14, 2) NOT NULL DEFAULT 0 /*embedded: CHECK (planned_eur >= 0) */,
    actual_eur DECIMAL(14, 2) /*embedded: CHECK (actual_eur >= 0) */,
    funding_source VARCHAR,
    note VARCHAR,
    updated_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    version INTEGER NOT NULL DEFAULT 1 /*embedded:,
    UNIQUE (measure_id, year, cost_centre_id) */
);

CREATE TABLE measure_decisions (
    measure_id INTEGER NOT NULL,
    decision_id INTEGER NOT NULL /*embedded:,
    PRIMARY KEY (measure_id, decision_id) */
);

/*embedded: CREATE SEQUENCE indicators_id_seq; */
CREATE TABLE indicators (
    id INTEGER NOT NULL /*embedded: PRIMARY KEY DEFAULT nextval('indicators_id_seq') */,
    organisation_id INTEGER NOT NULL,
    name_fi VARCHAR NOT NULL,
    name_sv VARCHAR,
    name_en VARCHAR,
    unit VARCHAR NOT NULL,
    -- the target is a reduction of target_reduction_pct from base_year by target_year
    base_year INTEGER,
    target_year INTEGER,
    target_reduction_pct DECIMAL(5, 2),
    is_illustrative BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE indicator_values (
    indicator_id INTEGER NOT NULL,
    year INTEGER NOT NULL /*embedded: CHECK (year BETWEEN 1990 AND 2100) */,
    sector VARCHAR NOT NULL,
    value DECIMAL(14, 3) NOT NULL /*embedded:,
    PRIMARY KEY (indicator_id, year, sector) */
);

CREATE TABLE measure_indicators (
    measure_id INTEGER NOT NULL,
    indicator_id INTEGER NOT NULL /*embedded:,
    PRIMARY KEY (measure_id, indicator_id) */
);

/*embedded: CREATE SEQUENCE users_id_seq; */
CREATE TABLE users (
    id INTEGER NOT NULL /*embedded: PRIMARY KEY DEFAULT nextval('users_id_seq') */,
    email VARCHAR NOT NULL /*embedded: UNIQUE */ /*embedded: CHECK (length(email) BETWEEN 3 AND 254) */,
    display_name VARCHAR,
    role VARCHAR NOT NULL /*embedded: CHECK (role IN ('admin', 'editor', 'viewer')) */,
    password_hash VARCHAR,
    is_active BOOLEAN NOT NULL DEFAULT true,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    last_login_at TIMESTAMP
);

CREATE TABLE settings (
    key VARCHAR NOT NULL /*embedded: PRIMARY KEY */,
    value VARCHAR NOT NULL
);

-- Every write appends its row here in the write's own transaction, so a change
-- and its audit row commit or roll back together; on the embedded file max(id)
-- doubles as the data version that page caches are keyed on (a lake's is its
-- latest snapshot).
/*embedded: CREATE SEQUENCE audit_log_id_seq; */
CREATE TABLE audit_log (
    id BIGINT NOT NULL /*embedded: PRIMARY KEY DEFAULT nextval('audit_log_id_seq') */,
    occurred_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    entity_id VARCHAR,
    measure_id INTEGER,
    before JSON,
    after JSON
);

-- The text in the reader's language, falling back to Finnish (fi is required).
CREATE MACRO in_language(lang, fi, sv, en) AS
    CASE lang WHEN 'sv' THEN coalesce(nullif(sv, ''), fi) WHEN 'en' THEN coalesce(nullif(en, ''), fi) ELSE fi END;

-- Sort key of a measure code such as "6.1" or "10.2b": numeric parts as numbers.
CREATE MACRO code_sort_key(code) AS
    list_transform(string_split(code, '.'), part -> coalesce(TRY_CAST(regexp_extract(part, '^\d+') AS INTEGER), 0));
