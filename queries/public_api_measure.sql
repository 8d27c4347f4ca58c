-- One published measure by its id for the JSON API, public fields only, texts in the reader's
-- language, money totals only when $include_money; no row when it is not published. status is
-- the status a reader sees on $today (the late rule), recorded_status the one set on the measure.
-- $measure_id; $lang: fi|sv|en; $include_money; $today
SELECT
    m.id,
    m.programme_id,
    m.code,
    t.position AS theme_position,
    in_language($lang, t.name_fi, t.name_sv, t.name_en) AS theme,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    in_language($lang, m.description_fi, m.description_sv, m.description_en) AS description,
    m.responsible_unit,
    effective_status(m.status, m.end_date, m.is_continuous, $today::DATE) AS status,
    m.status AS recorded_status,
    m.progress,
    m.start_date,
    m.end_date,
    m.is_continuous,
    m.is_illustrative,
    m.updated_at,
    CASE WHEN $include_money THEN (SELECT sum(b.planned_eur) FROM budget_lines AS b WHERE b.measure_id = m.id) END
        AS planned_eur,
    CASE WHEN $include_money THEN (SELECT sum(b.actual_eur) FROM budget_lines AS b WHERE b.measure_id = m.id) END
        AS actual_eur
FROM visible_measures(false) AS m
JOIN themes AS t ON t.id = m.theme_id
WHERE m.id = $measure_id
