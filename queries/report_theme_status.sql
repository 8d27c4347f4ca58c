-- Measures per theme and status of a programme as a report shows them ($period_id: a period's
-- snapshot, NULL for now): every theme that has measures, every status (0 when none), each
-- measure counted once under the status it is shown with (late by the late rule on $today, as
-- report_tiles), in the programme's theme order and the status order, with the theme's total
-- and each count's share.
-- $programme_id; $period_id; $include_unpublished; $today: DATE; $lang: fi|sv|en
WITH shown AS (
    SELECT *, CASE WHEN is_late THEN 'late' ELSE status END AS shown_status
    FROM report_measures($programme_id, $period_id, $include_unpublished, $today::DATE)
),
themes AS (
    SELECT DISTINCT theme_id, theme_position, theme_fi, theme_sv, theme_en FROM shown
),
counts AS (
    SELECT
        t.theme_id,
        t.theme_position AS position,
        in_language($lang, t.theme_fi, t.theme_sv, t.theme_en) AS theme,
        s.status,
        s.ordinal,
        count(m.id) AS measures
    FROM themes AS t
    CROSS JOIN status_order() AS s
    LEFT JOIN shown AS m ON m.theme_id = t.theme_id AND m.shown_status = s.status
    GROUP BY ALL
)
SELECT
    theme_id,
    position,
    theme,
    status,
    measures,
    sum(measures) OVER (PARTITION BY theme_id) AS theme_total,
    measures / sum(measures) OVER (PARTITION BY theme_id) AS share
FROM counts
ORDER BY position, theme_id, ordinal
