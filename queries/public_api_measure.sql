-- One published measure by its id for the JSON API, public fields only (public_measure_rows),
-- texts in the reader's language, money totals only when $include_money; no row when it is not
-- published. status is the status a reader sees on $today (the late rule), recorded_status the
-- one set on the measure.
-- $measure_id; $lang: fi|sv|en; $include_money; $today
SELECT
    m.* RENAME (set_status AS recorded_status),
    CASE WHEN $include_money THEN money.planned_eur END AS planned_eur,
    CASE WHEN $include_money THEN money.actual_eur END AS actual_eur
FROM public_measure_rows(
    (SELECT v.programme_id FROM visible_measures(false) AS v WHERE v.id = $measure_id), $lang, $today::DATE
) AS m
LEFT JOIN measure_money() AS money ON money.measure_id = m.id
WHERE m.id = $measure_id
