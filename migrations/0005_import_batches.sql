-- Every spreadsheet import is one batch that can be undone (issue 12). A batch is the
-- import's file, who made it and when, and every row it wrote, with the values before
-- and after: what an undo restores, and what it compares with the rows as they are now
-- (a later edit of the same field refuses the undo). Written only by
-- tracker/write/imports.py; ids from the allocator (tracker/write/ids.py).

CREATE TABLE import_batches (
    id BIGINT NOT NULL /*embedded: PRIMARY KEY */,
    programme_id INTEGER NOT NULL,
    file_name VARCHAR NOT NULL,
    actor VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    row_count INTEGER NOT NULL,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    budget_lines_created INTEGER NOT NULL,
    budget_lines_updated INTEGER NOT NULL,
    undone_at TIMESTAMP,
    undone_by VARCHAR
);

-- One row per row the batch wrote. entity: the table's row ('organisation', 'programme',
-- 'theme', 'cost_centre', 'measure', 'budget_line', 'status_event'); action: 'create'
-- or 'update'; before/after: the changed columns (an update) or the new row (a create),
-- JSON as the audit log writes it (dates ISO, euros exact decimal text); code: the
-- measure's code, to name it in messages.
CREATE TABLE import_batch_items (
    batch_id BIGINT NOT NULL,
    position INTEGER NOT NULL,
    entity VARCHAR NOT NULL /*embedded: CHECK (entity IN (
        'organisation', 'programme', 'theme', 'cost_centre', 'measure', 'budget_line', 'status_event')) */,
    entity_id BIGINT NOT NULL,
    action VARCHAR NOT NULL /*embedded: CHECK (action IN ('create', 'update')) */,
    code VARCHAR,
    before JSON,
    after JSON /*embedded:,
    PRIMARY KEY (batch_id, position) */
);

INSERT INTO id_counters (table_name, next_id) VALUES ('import_batches', 1);
