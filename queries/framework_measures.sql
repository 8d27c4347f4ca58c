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
    m.* EXCLUDE (
        programme_id, theme_id, theme_position, theme, contact_name, contact_email, status, phase, progress,
        is_late, past_end, is_illustrative, internal_note, updated_at, version
    ) RENAME (set_status AS status),
    f.sector,
    f.financing_source,
    f.finance_status,
    f.total_cost_eur,
    f.municipal_share_pct,
    f.co_benefits,
    f.emission_reduction_t,
    f.energy_saved_mwh,
    f.renewable_energy_mwh,
    f.com_area,
    f.com_instrument,
    CAST(done.done_at AS DATE) AS done_on,
    money.planned_eur,
    money.actual_eur
-- status is the one set on the measure, so no day is needed for the one it is shown under.
FROM measure_rows($programme_id, $lang, true, NULL::DATE) AS m
-- the framework fields, which only this export reads
JOIN measures AS f ON f.id = m.id
LEFT JOIN done ON done.measure_id = m.id
LEFT JOIN measure_money() AS money ON money.measure_id = m.id
ORDER BY m.theme_position, code_sort_key(m.code), m.code
