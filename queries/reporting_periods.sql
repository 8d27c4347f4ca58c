-- The reporting periods of a programme, newest as-of day first: name in the reader's language
-- (and in Finnish, as the CLI knows it), as-of and due days, state, who opened it and when,
-- when its current snapshot was taken and by whom, how many closings it has had, the last
-- reopening and its reason, and how many of the programme's measures are marked ready of how many.
-- $programme_id; $lang: fi|sv|en
WITH ready AS (
    SELECT r.period_id, count(*) AS ready
    FROM period_ready AS r
    JOIN visible_measures_of($programme_id, true) AS m ON m.id = r.measure_id
    GROUP BY r.period_id
),
closings AS (
    SELECT period_id, count(*) AS closings
    FROM period_closings
    GROUP BY period_id
)
SELECT
    p.id,
    in_language($lang, p.name_fi, p.name_sv, p.name_en) AS name,
    p.name_fi,
    p.name_sv,
    p.name_en,
    p.as_of,
    p.due_on,
    p.state,
    p.opened_at,
    p.opened_by,
    c.closed_at,
    c.closed_by,
    coalesce(closings.closings, 0) AS closings,
    p.reopened_at,
    p.reopened_by,
    p.reopen_reason,
    p.closing_id,
    p.version,
    coalesce(ready.ready, 0) AS ready,
    (SELECT count(*) FROM visible_measures_of($programme_id, true)) AS measures
FROM reporting_periods AS p
LEFT JOIN period_closings AS c ON c.id = p.closing_id
LEFT JOIN closings ON closings.period_id = p.id
LEFT JOIN ready ON ready.period_id = p.id
WHERE p.programme_id = $programme_id
ORDER BY p.as_of DESC, p.id DESC
