-- The money of a programme's measures (archived ones aside) per year and cost centre, planned
-- and actual, as the closing of a period freezes it (into snapshot_money). $programme_id
SELECT measure_id, year, cost_centre_code, cost_centre_name, planned_eur, actual_eur
FROM report_money($programme_id, NULL, true)
