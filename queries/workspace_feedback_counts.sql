-- How many feedback items are new and how many handled (one row; 0 when none).
SELECT
    count(*) FILTER (WHERE status = 'new') AS new_items,
    count(*) FILTER (WHERE status = 'handled') AS handled_items
FROM feedback
