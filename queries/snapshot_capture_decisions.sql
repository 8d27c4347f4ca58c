-- The decisions linked to a programme's measures (archived ones aside), one row per link, as the
-- closing of a period freezes them (into snapshot_decisions). $programme_id
SELECT measure_id, decision_id, body, decided_on, section, case_number, title, outcome, unanimous, url
FROM report_decisions($programme_id, NULL, true)
