-- Every measure of a programme (archived ones aside, published or not) with what the CDP-ICLEI
-- Track and Covenant of Mayors exports ask for: code, title and description in the reader's
-- language, responsible unit, status, dates, continuous and published flags, the optional
-- framework fields, the day it was last marked done (NULL if never), and its money planned and
-- spent over all years. In theme and code order. $programme_id; $lang: fi|sv|en
WITH done AS (
    SELECT measure_id, max(occurred_at) AS done_at
    FROM status_events
    WHERE new_status = 'done'
    GROUP BY measure_id
)
SELECT
    m.id,
    m.code,
    in_language($lang, m.title_fi, m.title_sv, m.title_en) AS title,
    in_language($lang, m.description_fi, m.description_sv, m.description_en) AS description,
    m.responsible_unit,
    m.status,
    m.start_date,
    m.end_date,
    m.is_continuous,
    m.is_published,
    m.sector,
    m.financing_source,
    m.finance_status,
    m.total_cost_eur,
    m.municipal_share_pct,
    m.co_benefits,
    m.emission_reduction_t,
    m.energy_saved_mwh,
    m.renewable_energy_mwh,
    m.com_area,
    m.com_instrument,
    CAST(done.done_at AS DATE) AS done_on,
    money.planned_eur,
    money.actual_eur
FROM visible_measures_of($programme_id, true) AS m
JOIN themes AS t ON t.id = m.theme_id
LEFT JOIN done ON done.measure_id = m.id
LEFT JOIN measure_money() AS money ON money.measure_id = m.id
ORDER BY t.position, code_sort_key(m.code), m.code
