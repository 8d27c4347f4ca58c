-- What moved for each measure between two states of a programme ($base_period_id and
-- $period_id: periods' snapshots, NULL for now, late on $today): the measures whose status,
-- progress, lateness or money changed, and those in only one of them, in theme and code order,
-- with the flags newly_done and newly_late. Titles and themes in the reader's language.
-- $programme_id; $base_period_id; $period_id; $lang: fi|sv|en; $include_unpublished; $today: DATE
SELECT
    c.id,
    c.code,
    c.theme_position,
    in_language($lang, c.theme_fi, c.theme_sv, c.theme_en) AS theme,
    in_language($lang, c.title_fi, c.title_sv, c.title_en) AS title,
    c.in_before,
    c.in_after,
    c.status_before,
    c.status_after,
    c.progress_before,
    c.progress_after,
    c.late_before,
    c.late_after,
    c.planned_before,
    c.planned_after,
    c.actual_before,
    c.actual_after,
    c.status_after = 'done' AND c.status_before IS DISTINCT FROM 'done' AS newly_done,
    c.late_after AND NOT c.late_before AS newly_late
FROM measure_changes($programme_id, $base_period_id, $period_id, $include_unpublished, $today::DATE) AS c
WHERE NOT (c.in_before AND c.in_after)
    OR c.status_before <> c.status_after
    OR c.progress_before <> c.progress_after
    OR c.late_before <> c.late_after
    OR c.planned_before <> c.planned_after
    OR c.actual_before <> c.actual_after
ORDER BY c.theme_position, code_sort_key(c.code), c.code
