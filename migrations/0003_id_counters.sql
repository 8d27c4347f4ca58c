-- Ids come from one allocator in the write layer (tracker/write/ids.py), not from
-- sequences: DuckLake, the second storage engine, has none. One row per table with an
-- id holds the next id to hand out; a write takes a block by updating its row inside
-- its own transaction, so two writers that would take the same ids conflict on that
-- row and one of them is refused instead of both writing the same id.
--
-- Each counter starts after the table's largest id and after its old sequence's last
-- value (an id a deleted row had is not handed out again: the audit log names it).
-- The id columns lose their DEFAULT nextval(...), so a row written without an id from
-- the allocator fails at once instead of colliding later; the sequences go with it.

CREATE TABLE id_counters (
    table_name VARCHAR NOT NULL,
    next_id BIGINT NOT NULL
);

INSERT INTO id_counters (table_name, next_id)
SELECT table_name, greatest(coalesce(max_id, 0), coalesce(sequence_value, 0)) + 1
FROM (
    SELECT 'organisations' AS table_name, (SELECT max(id) FROM organisations) AS max_id,
        (SELECT max(last_value) FROM duckdb_sequences() WHERE sequence_name = 'organisations_id_seq') AS sequence_value
    UNION ALL SELECT 'programmes', (SELECT max(id) FROM programmes),
        (SELECT max(last_value) FROM duckdb_sequences() WHERE sequence_name = 'programmes_id_seq')
    UNION ALL SELECT 'themes', (SELECT max(id) FROM themes),
        (SELECT max(last_value) FROM duckdb_sequences() WHERE sequence_name = 'themes_id_seq')
    UNION ALL SELECT 'measures', (SELECT max(id) FROM measures),
        (SELECT max(last_value) FROM duckdb_sequences() WHERE sequence_name = 'measures_id_seq')
    UNION ALL SELECT 'status_events', (SELECT max(id) FROM status_events),
        (SELECT max(last_value) FROM duckdb_sequences() WHERE sequence_name = 'status_events_id_seq')
    UNION ALL SELECT 'cost_centres', (SELECT max(id) FROM cost_centres),
        (SELECT max(last_value) FROM duckdb_sequences() WHERE sequence_name = 'cost_centres_id_seq')
    UNION ALL SELECT 'budget_lines', (SELECT max(id) FROM budget_lines),
        (SELECT max(last_value) FROM duckdb_sequences() WHERE sequence_name = 'budget_lines_id_seq')
    UNION ALL SELECT 'decisions', (SELECT max(id) FROM decisions),
        (SELECT max(last_value) FROM duckdb_sequences() WHERE sequence_name = 'decisions_id_seq')
    UNION ALL SELECT 'indicators', (SELECT max(id) FROM indicators),
        (SELECT max(last_value) FROM duckdb_sequences() WHERE sequence_name = 'indicators_id_seq')
    UNION ALL SELECT 'users', (SELECT max(id) FROM users),
        (SELECT max(last_value) FROM duckdb_sequences() WHERE sequence_name = 'users_id_seq')
    UNION ALL SELECT 'audit_log', (SELECT max(id) FROM audit_log),
        (SELECT max(last_value) FROM duckdb_sequences() WHERE sequence_name = 'audit_log_id_seq')
);

ALTER TABLE organisations ALTER COLUMN id DROP DEFAULT;
ALTER TABLE programmes ALTER COLUMN id DROP DEFAULT;
ALTER TABLE themes ALTER COLUMN id DROP DEFAULT;
ALTER TABLE measures ALTER COLUMN id DROP DEFAULT;
ALTER TABLE status_events ALTER COLUMN id DROP DEFAULT;
ALTER TABLE cost_centres ALTER COLUMN id DROP DEFAULT;
ALTER TABLE budget_lines ALTER COLUMN id DROP DEFAULT;
ALTER TABLE decisions ALTER COLUMN id DROP DEFAULT;
ALTER TABLE indicators ALTER COLUMN id DROP DEFAULT;
ALTER TABLE users ALTER COLUMN id DROP DEFAULT;
ALTER TABLE audit_log ALTER COLUMN id DROP DEFAULT;

DROP SEQUENCE IF EXISTS organisations_id_seq;
DROP SEQUENCE IF EXISTS programmes_id_seq;
DROP SEQUENCE IF EXISTS themes_id_seq;
DROP SEQUENCE IF EXISTS measures_id_seq;
DROP SEQUENCE IF EXISTS status_events_id_seq;
DROP SEQUENCE IF EXISTS cost_centres_id_seq;
DROP SEQUENCE IF EXISTS budget_lines_id_seq;
DROP SEQUENCE IF EXISTS decisions_id_seq;
DROP SEQUENCE IF EXISTS indicators_id_seq;
DROP SEQUENCE IF EXISTS users_id_seq;
DROP SEQUENCE IF EXISTS audit_log_id_seq;
