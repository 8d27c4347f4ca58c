-- An organisation's emissions per year under each reading of SYKE's rows (the macro
-- emission_value; docs/emissions.md): total_kt (all sectors), non_ets_kt (without emissions
-- trading), hinku_kt (Hinku's rules, credits included), hinku_no_credits_kt; energy_gwh (energy
-- use, credits aside); is_preliminary; and, where the organisation's population indicator has
-- the year, residents and each reading per resident in t CO2e (total_t, non_ets_t, hinku_t).
-- A reading whose rows all say NA is NULL. Years ascending.
-- $organisation_id
WITH readings AS (
    SELECT
        year,
        bool_or(is_preliminary) AS is_preliminary,
        sum(emission_value('total', kt, kt_wind, is_hinku, is_ets, is_credit)) AS total_kt,
        sum(emission_value('non_ets', kt, kt_wind, is_hinku, is_ets, is_credit)) AS non_ets_kt,
        sum(emission_value('hinku', kt, kt_wind, is_hinku, is_ets, is_credit)) AS hinku_kt,
        sum(emission_value('hinku_no_credits', kt, kt_wind, is_hinku, is_ets, is_credit)) AS hinku_no_credits_kt,
        sum(gwh) FILTER (WHERE NOT is_credit) AS energy_gwh
    FROM emission_rows
    WHERE organisation_id = $organisation_id
    GROUP BY year
),
population AS (
    -- a monthly population indicator counts at the year's last month with a value
    SELECT v.year, sum(v.value) AS residents
    FROM indicators AS i
    JOIN indicator_values AS v ON v.indicator_id = i.id
    WHERE i.organisation_id = $organisation_id
        AND i.role = 'population'
        AND v.month = (
            SELECT max(w.month) FROM indicator_values AS w WHERE w.indicator_id = i.id AND w.year = v.year
        )
    GROUP BY v.year
)
SELECT
    r.year,
    r.is_preliminary,
    r.total_kt,
    r.non_ets_kt,
    r.hinku_kt,
    r.hinku_no_credits_kt,
    r.energy_gwh,
    p.residents,
    r.total_kt * 1000 / nullif(p.residents, 0) AS total_t,
    r.non_ets_kt * 1000 / nullif(p.residents, 0) AS non_ets_t,
    r.hinku_kt * 1000 / nullif(p.residents, 0) AS hinku_t
FROM readings AS r
LEFT JOIN population AS p USING (year)
ORDER BY r.year
