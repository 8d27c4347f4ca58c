-- The spreadsheet imports into a programme, newest first, each one batch that can be undone
-- (migration 0005): file, who and when (UTC), its counts, and when and by whom it was undone.
-- $programme_id; $limit: at most this many batches
SELECT
    id,
    file_name,
    actor,
    imported_at,
    row_count,
    created,
    updated,
    budget_lines_created,
    budget_lines_updated,
    undone_at,
    undone_by
FROM import_batches
WHERE programme_id = $programme_id
ORDER BY imported_at DESC, id DESC
LIMIT $limit
