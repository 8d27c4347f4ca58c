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
-- A lake never had either (migrations/0001_initial.sql keeps them for the file only).

CREATE TABLE id_counters (
    table_name VARCHAR NOT NULL,
    next_id BIGINT NOT NULL
);

INSERT INTO id_counters (table_name, next_id)
SELECT tables.table_name, greatest(coalesce(tables.max_id, 0), coalesce(sequences.last_value, 0)) + 1
FROM (VALUES
    ('organisations', (SELECT max(id) FROM organisations)),
    ('programmes', (SELECT max(id) FROM programmes)),
    ('themes', (SELECT max(id) FROM themes)),
    ('measures', (SELECT max(id) FROM measures)),
    ('status_events', (SELECT max(id) FROM status_events)),
    ('cost_centres', (SELECT max(id) FROM cost_centres)),
    ('budget_lines', (SELECT max(id) FROM budget_lines)),
    ('decisions', (SELECT max(id) FROM decisions)),
    ('indicators', (SELECT max(id) FROM indicators)),
    ('users', (SELECT max(id) FROM users)),
    ('audit_log', (SELECT max(id) FROM audit_log))
) AS tables (table_name, max_id)
LEFT JOIN duckdb_sequences() AS sequences
    ON sequences.database_name = current_database() AND sequences.schema_name = 'main'
    AND sequences.sequence_name = tables.table_name || '_id_seq';

/*embedded:
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
*/
