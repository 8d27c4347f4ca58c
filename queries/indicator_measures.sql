-- The measures linked to an indicator, as its page lists them: the measure's programme, code,
-- title in the reader's language, status and progress, and the effect expected of it (effect:
-- decrease|increase, effect_amount in the indicator's unit, effect_year, effect_note). The status
-- is the one every other list shows (effective_status: 'late' once past its end on $today).
-- Archived measures are left out; unpublished ones only with $include_unpublished. By programme
-- and code.
-- $indicator_id; $lang: fi|sv|en; $include_unpublished; $today: the day lateness is measured on
SELECT
    m.id AS measure_id,
    m.programme_id,
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    effective_status(m.status, m.end_date, m.is_continuous, $today::DATE) AS status,
    m.progress,
    mi.effect,
    mi.effect_amount,
    mi.effect_year,
    mi.effect_note
FROM measure_indicators AS mi
JOIN visible_measures($include_unpublished) AS m ON m.id = mi.measure_id
WHERE mi.indicator_id = $indicator_id
ORDER BY m.programme_id, code_sort_key(m.code), m.code
