-- Stored rows that break a rule the schema states, per rule (every rule listed, 0 when clean):
-- each PRIMARY KEY, UNIQUE and CHECK of migrations/ (inside /*embedded: */ there: a lake holds
-- none of them), and the id allocator's promise that every id is below its table's counter.
-- The write layer checks each rule itself; the tests run this after their writes on both engines
-- (tests/integrity.py), beside tests/orphan_rows.sql for the references.
-- One scan per table (a lake pays a fixed cost per table scan): a table's rules are columns of
-- its one aggregate, named "<table>.<rule>", unpivoted at the end. A new table's rules go here
-- (tests/test_db.py finds a constraint of the embedded file, or an id counter, that is left out):
-- a key as "<table>.<column> unique" or "<table>.(<column>, ...) unique", a CHECK naming its columns.
-- A table with ids also gives max(id) AS "<table> max id": that column alone puts it in the id counter check.
-- Tables with no key or CHECK have no CTE: feedback_senders, snapshot_money, snapshot_decisions,
-- snapshot_indicators, schema_migrations; id_counters has none either (its one-row-per-table
-- promise is checked in counters).
WITH
organisations_rules AS (
    SELECT
        count(*) - count(DISTINCT id) AS "organisations.id unique",
        count(*) - count(DISTINCT name) AS "organisations.name unique",
        count(*) FILTER (WHERE NOT length(trim(name)) BETWEEN 1 AND 200) AS "organisations.name length",
        max(id) AS "organisations max id"
    FROM organisations
),
decisions_rules AS (
    SELECT
        count(*) - count(DISTINCT id) AS "decisions.id unique",
        count(*) FILTER (WHERE NOT length(trim(body)) BETWEEN 1 AND 200) AS "decisions.body length",
        count(*) FILTER (WHERE section <= 0) AS "decisions.section positive",
        count(*) FILTER (WHERE outcome NOT IN ('approved', 'approved_amended', 'rejected', 'tabled', 'returned', 'withdrawn')) AS "decisions.outcome known",
        max(id) AS "decisions max id"
    FROM decisions
),
programmes_rules AS (
    SELECT
        count(*) - count(DISTINCT id) AS "programmes.id unique",
        count(*) FILTER (WHERE NOT length(trim(name)) BETWEEN 1 AND 200) AS "programmes.name length",
        count(*) FILTER (WHERE NOT start_year BETWEEN 1990 AND 2100 OR NOT end_year BETWEEN 1990 AND 2100) AS "programmes.years in range",
        count(*) FILTER (WHERE end_year < start_year) AS "programmes.end_year not before start_year",
        count(*) - count(DISTINCT (organisation_id, name)) AS "programmes.(organisation_id, name) unique",
        max(id) AS "programmes max id"
    FROM programmes
),
themes_rules AS (
    SELECT
        count(*) - count(DISTINCT id) AS "themes.id unique",
        count(*) FILTER (WHERE NOT length(trim(name_fi)) BETWEEN 1 AND 200) AS "themes.name_fi length",
        count(*) - count(DISTINCT (programme_id, name_fi)) AS "themes.(programme_id, name_fi) unique",
        max(id) AS "themes max id"
    FROM themes
),
measures_rules AS (
    SELECT
        count(*) - count(DISTINCT id) AS "measures.id unique",
        count(*) FILTER (WHERE NOT length(trim(code)) BETWEEN 1 AND 20) AS "measures.code length",
        count(*) FILTER (WHERE NOT length(trim(title_fi)) BETWEEN 1 AND 300) AS "measures.title_fi length",
        count(*) FILTER (WHERE status NOT IN ('not_started', 'in_progress', 'late', 'done', 'postponed', 'cancelled')) AS "measures.status known",
        count(*) FILTER (WHERE NOT progress BETWEEN 0 AND 100) AS "measures.progress 0-100",
        count(*) FILTER (WHERE version < 1) AS "measures.version positive",
        count(*) FILTER (WHERE end_date < start_date) AS "measures.end_date not before start_date",
        count(*) - count(DISTINCT (programme_id, code)) AS "measures.(programme_id, code) unique",
        max(id) AS "measures max id"
    FROM measures
),
status_events_rules AS (
    SELECT
        count(*) - count(DISTINCT id) AS "status_events.id unique",
        count(*) FILTER (WHERE new_status NOT IN ('not_started', 'in_progress', 'late', 'done', 'postponed', 'cancelled')) AS "status_events.new_status known",
        count(*) FILTER (WHERE NOT new_progress BETWEEN 0 AND 100) AS "status_events.new_progress 0-100",
        max(id) AS "status_events max id"
    FROM status_events
),
cost_centres_rules AS (
    SELECT
        count(*) - count(DISTINCT id) AS "cost_centres.id unique",
        count(*) FILTER (WHERE NOT length(trim(code)) BETWEEN 1 AND 40) AS "cost_centres.code length",
        count(*) - count(DISTINCT (organisation_id, code)) AS "cost_centres.(organisation_id, code) unique",
        max(id) AS "cost_centres max id"
    FROM cost_centres
),
budget_lines_rules AS (
    SELECT
        count(*) - count(DISTINCT id) AS "budget_lines.id unique",
        count(*) FILTER (WHERE NOT year BETWEEN 1990 AND 2100) AS "budget_lines.year in range",
        count(*) FILTER (WHERE planned_eur < 0) AS "budget_lines.planned_eur not negative",
        count(*) FILTER (WHERE actual_eur < 0) AS "budget_lines.actual_eur not negative",
        count(*) - count(DISTINCT (measure_id, year, cost_centre_id)) AS "budget_lines.(measure_id, year, cost_centre_id) unique",
        max(id) AS "budget_lines max id"
    FROM budget_lines
),
measure_decisions_rules AS (
    SELECT
        count(*) - count(DISTINCT (measure_id, decision_id)) AS "measure_decisions.(measure_id, decision_id) unique"
    FROM measure_decisions
),
indicators_rules AS (
    SELECT
        count(*) - count(DISTINCT id) AS "indicators.id unique",
        count(*) FILTER (WHERE direction NOT IN ('decrease', 'increase')) AS "indicators.direction known",
        count(*) FILTER (WHERE frequency NOT IN ('yearly', 'monthly')) AS "indicators.frequency known",
        count(*) FILTER (WHERE breakdown NOT IN ('sector', 'area')) AS "indicators.breakdown known",
        count(*) FILTER (WHERE role NOT IN ('emissions', 'population')) AS "indicators.role known",
        count(*) FILTER (WHERE emission_reading NOT IN ('hinku', 'total', 'non_ets')) AS "indicators.emission_reading known",
        max(id) AS "indicators max id"
    FROM indicators
),
indicator_values_rules AS (
    SELECT
        count(*) FILTER (WHERE NOT year BETWEEN 1990 AND 2100) AS "indicator_values.year in range",
        count(*) FILTER (WHERE NOT month BETWEEN 0 AND 12) AS "indicator_values.month 0-12",
        count(*) - count(DISTINCT (indicator_id, year, month, sector)) AS "indicator_values.(indicator_id, year, month, sector) unique"
    FROM indicator_values
),
measure_indicators_rules AS (
    SELECT
        count(*) - count(DISTINCT (measure_id, indicator_id)) AS "measure_indicators.(measure_id, indicator_id) unique",
        count(*) FILTER (WHERE effect NOT IN ('decrease', 'increase')) AS "measure_indicators.effect known",
        count(*) FILTER (WHERE effect_amount < 0) AS "measure_indicators.effect_amount not negative",
        count(*) FILTER (WHERE NOT effect_year BETWEEN 1990 AND 2100) AS "measure_indicators.effect_year in range"
    FROM measure_indicators
),
users_rules AS (
    SELECT
        count(*) - count(DISTINCT id) AS "users.id unique",
        count(*) - count(DISTINCT email) AS "users.email unique",
        count(*) FILTER (WHERE NOT length(email) BETWEEN 3 AND 254) AS "users.email length",
        count(*) FILTER (WHERE role NOT IN ('admin', 'editor', 'viewer')) AS "users.role known",
        max(id) AS "users max id"
    FROM users
),
settings_rules AS (
    SELECT
        count(*) - count(DISTINCT key) AS "settings.key unique"
    FROM settings
),
audit_log_rules AS (
    SELECT
        count(*) - count(DISTINCT id) AS "audit_log.id unique",
        max(id) AS "audit_log max id"
    FROM audit_log
),
sessions_rules AS (
    SELECT
        count(*) - count(DISTINCT token_hash) AS "sessions.token_hash unique",
        count(*) FILTER (WHERE method NOT IN ('password', 'oidc')) AS "sessions.method known",
        count(*) FILTER (WHERE end_reason NOT IN ('sign_out', 'password', 'role', 'disabled', 'idle', 'expired')) AS "sessions.end_reason known"
    FROM sessions
),
sign_in_handoffs_rules AS (
    SELECT
        count(*) - count(DISTINCT token_hash) AS "sign_in_handoffs.token_hash unique",
        count(*) FILTER (WHERE method NOT IN ('password', 'oidc')) AS "sign_in_handoffs.method known"
    FROM sign_in_handoffs
),
known_browsers_rules AS (
    SELECT
        count(*) - count(DISTINCT token_hash) AS "known_browsers.token_hash unique"
    FROM known_browsers
),
sign_in_throttle_rules AS (
    SELECT
        count(*) FILTER (WHERE scope NOT IN ('client', 'account')) AS "sign_in_throttle.scope known",
        count(*) - count(DISTINCT (scope, subject)) AS "sign_in_throttle.(scope, subject) unique"
    FROM sign_in_throttle
),
import_batches_rules AS (
    SELECT
        count(*) - count(DISTINCT id) AS "import_batches.id unique",
        max(id) AS "import_batches max id"
    FROM import_batches
),
import_batch_items_rules AS (
    SELECT
        count(*) FILTER (WHERE entity NOT IN ('organisation', 'programme', 'theme', 'cost_centre', 'measure', 'budget_line', 'status_event')) AS "import_batch_items.entity known",
        count(*) FILTER (WHERE action NOT IN ('create', 'update')) AS "import_batch_items.action known",
        count(*) - count(DISTINCT (batch_id, position)) AS "import_batch_items.(batch_id, position) unique"
    FROM import_batch_items
),
reporting_periods_rules AS (
    SELECT
        count(*) - count(DISTINCT id) AS "reporting_periods.id unique",
        count(*) FILTER (WHERE NOT length(trim(name_fi)) BETWEEN 1 AND 200) AS "reporting_periods.name_fi length",
        count(*) FILTER (WHERE state NOT IN ('open', 'closed')) AS "reporting_periods.state known",
        count(*) - count(DISTINCT (programme_id, name_fi)) AS "reporting_periods.(programme_id, name_fi) unique",
        max(id) AS "reporting_periods max id"
    FROM reporting_periods
),
period_ready_rules AS (
    SELECT
        count(*) - count(DISTINCT (period_id, measure_id)) AS "period_ready.(period_id, measure_id) unique"
    FROM period_ready
),
period_closings_rules AS (
    SELECT
        count(*) - count(DISTINCT id) AS "period_closings.id unique",
        max(id) AS "period_closings max id"
    FROM period_closings
),
snapshot_measures_rules AS (
    SELECT
        count(*) - count(DISTINCT (closing_id, measure_id)) AS "snapshot_measures.(closing_id, measure_id) unique"
    FROM snapshot_measures
),
snapshot_indicator_goals_rules AS (
    SELECT
        count(*) - count(DISTINCT (closing_id, indicator_id, year, month)) AS "snapshot_indicator_goals.(closing_id, indicator_id, year, month) unique"
    FROM snapshot_indicator_goals
),
reminder_contacts_rules AS (
    SELECT
        count(*) - count(DISTINCT email) AS "reminder_contacts.email unique",
        count(*) FILTER (WHERE language NOT IN ('fi', 'sv', 'en')) AS "reminder_contacts.language known"
    FROM reminder_contacts
),
reminder_sends_rules AS (
    SELECT
        count(*) - count(DISTINCT id) AS "reminder_sends.id unique",
        count(*) FILTER (WHERE outcome NOT IN ('sent', 'failed')) AS "reminder_sends.outcome known",
        max(id) AS "reminder_sends max id"
    FROM reminder_sends
),
measure_search_rules AS (
    SELECT
        count(*) FILTER (WHERE lang NOT IN ('fi', 'sv', 'en')) AS "measure_search.lang known",
        count(*) - count(DISTINCT (measure_id, lang)) AS "measure_search.(measure_id, lang) unique"
    FROM measure_search
),
feedback_rules AS (
    SELECT
        count(*) - count(DISTINCT id) AS "feedback.id unique",
        count(*) FILTER (WHERE kind NOT IN ('general', 'measure', 'accessibility')) AS "feedback.kind known",
        count(*) FILTER (WHERE lang NOT IN ('fi', 'sv', 'en')) AS "feedback.lang known",
        count(*) FILTER (WHERE NOT length(trim(message)) BETWEEN 1 AND 4000) AS "feedback.message length",
        count(*) FILTER (WHERE status NOT IN ('new', 'handled')) AS "feedback.status known",
        max(id) AS "feedback max id"
    FROM feedback
),
indicator_goals_rules AS (
    SELECT
        count(*) FILTER (WHERE NOT year BETWEEN 1990 AND 2100) AS "indicator_goals.year in range",
        count(*) FILTER (WHERE NOT month BETWEEN 0 AND 12) AS "indicator_goals.month 0-12",
        count(*) - count(DISTINCT (indicator_id, year, month)) AS "indicator_goals.(indicator_id, year, month) unique"
    FROM indicator_goals
),
emission_imports_rules AS (
    SELECT
        count(*) - count(DISTINCT id) AS "emission_imports.id unique",
        max(id) AS "emission_imports max id"
    FROM emission_imports
),
emission_rows_rules AS (
    SELECT
        count(*) FILTER (WHERE NOT year BETWEEN 1990 AND 2100) AS "emission_rows.year in range"
    FROM emission_rows
),
-- Every table's rules side by side in one row, read twice below (materialised: each table is scanned once).
all_rules AS MATERIALIZED (
    SELECT *
    FROM organisations_rules, decisions_rules, programmes_rules, themes_rules, measures_rules, status_events_rules, cost_centres_rules,
        budget_lines_rules, measure_decisions_rules, indicators_rules, indicator_values_rules, measure_indicators_rules, users_rules, settings_rules, audit_log_rules,
        sessions_rules, sign_in_handoffs_rules, known_browsers_rules, sign_in_throttle_rules, import_batches_rules, import_batch_items_rules,
        reporting_periods_rules, period_ready_rules, period_closings_rules, snapshot_measures_rules, snapshot_indicator_goals_rules, reminder_contacts_rules, reminder_sends_rules,
        measure_search_rules, feedback_rules, indicator_goals_rules, emission_imports_rules, emission_rows_rules
),
-- The tables with ids are those whose rules name a "<table> max id" (NULL when the table is empty).
largest_ids AS (
    SELECT replace(max_id_of, ' max id', '') AS table_name, max_id
    FROM (SELECT COLUMNS(name -> name LIKE '% max id') FROM all_rules)
        UNPIVOT INCLUDE NULLS (max_id FOR max_id_of IN (COLUMNS(*)))
),
counters AS (
    SELECT
        count(*) - count(DISTINCT table_name) AS "id_counters.table_name unique",
        count(*) FILTER (WHERE coalesce(largest_ids.max_id, 0) >= id_counters.next_id) AS "ids below their counters",
        (SELECT count(*) FROM largest_ids) - count(largest_ids.table_name) AS "id_counters for every table with ids"
    FROM id_counters LEFT JOIN largest_ids USING (table_name)
)
SELECT rule, violations
FROM (
    SELECT COLUMNS(name -> name NOT LIKE '% max id')
    FROM all_rules, counters
) UNPIVOT (violations FOR rule IN (COLUMNS(*)))
