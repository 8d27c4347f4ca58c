-- Rows whose reference points at nothing, per relation (every relation listed, 0 when clean).
-- The schema has no foreign keys (see migrations/0001_initial.sql); this is their check, run by the tests.
SELECT 'programmes.organisation_id' AS relation, count(*) AS orphans
FROM programmes AS x WHERE NOT EXISTS (SELECT 1 FROM organisations AS o WHERE o.id = x.organisation_id)
UNION ALL
SELECT 'programmes.adopting_decision_id', count(*)
FROM programmes AS x WHERE x.adopting_decision_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM decisions AS d WHERE d.id = x.adopting_decision_id)
UNION ALL
SELECT 'themes.programme_id', count(*)
FROM themes AS x WHERE NOT EXISTS (SELECT 1 FROM programmes AS p WHERE p.id = x.programme_id)
UNION ALL
SELECT 'measures.programme_id', count(*)
FROM measures AS x WHERE NOT EXISTS (SELECT 1 FROM programmes AS p WHERE p.id = x.programme_id)
UNION ALL
SELECT 'measures.theme_id', count(*)
FROM measures AS x WHERE NOT EXISTS (
    SELECT 1 FROM themes AS t WHERE t.id = x.theme_id AND t.programme_id = x.programme_id)
UNION ALL
SELECT 'status_events.measure_id', count(*)
FROM status_events AS x WHERE NOT EXISTS (SELECT 1 FROM measures AS m WHERE m.id = x.measure_id)
UNION ALL
SELECT 'cost_centres.organisation_id', count(*)
FROM cost_centres AS x WHERE NOT EXISTS (SELECT 1 FROM organisations AS o WHERE o.id = x.organisation_id)
UNION ALL
SELECT 'budget_lines.measure_id', count(*)
FROM budget_lines AS x WHERE NOT EXISTS (SELECT 1 FROM measures AS m WHERE m.id = x.measure_id)
UNION ALL
SELECT 'budget_lines.cost_centre_id', count(*)
FROM budget_lines AS x WHERE NOT EXISTS (SELECT 1 FROM cost_centres AS c WHERE c.id = x.cost_centre_id)
UNION ALL
SELECT 'decisions.organisation_id', count(*)
FROM decisions AS x WHERE NOT EXISTS (SELECT 1 FROM organisations AS o WHERE o.id = x.organisation_id)
UNION ALL
SELECT 'measure_decisions.measure_id', count(*)
FROM measure_decisions AS x WHERE NOT EXISTS (SELECT 1 FROM measures AS m WHERE m.id = x.measure_id)
UNION ALL
SELECT 'measure_decisions.decision_id', count(*)
FROM measure_decisions AS x WHERE NOT EXISTS (SELECT 1 FROM decisions AS d WHERE d.id = x.decision_id)
UNION ALL
SELECT 'indicators.organisation_id', count(*)
FROM indicators AS x WHERE NOT EXISTS (SELECT 1 FROM organisations AS o WHERE o.id = x.organisation_id)
UNION ALL
SELECT 'indicator_values.indicator_id', count(*)
FROM indicator_values AS x WHERE NOT EXISTS (SELECT 1 FROM indicators AS i WHERE i.id = x.indicator_id)
UNION ALL
SELECT 'measure_indicators.measure_id', count(*)
FROM measure_indicators AS x WHERE NOT EXISTS (SELECT 1 FROM measures AS m WHERE m.id = x.measure_id)
UNION ALL
SELECT 'measure_indicators.indicator_id', count(*)
FROM measure_indicators AS x WHERE NOT EXISTS (SELECT 1 FROM indicators AS i WHERE i.id = x.indicator_id)
UNION ALL
SELECT 'indicator_goals.indicator_id', count(*)
FROM indicator_goals AS x WHERE NOT EXISTS (SELECT 1 FROM indicators AS i WHERE i.id = x.indicator_id)
UNION ALL
SELECT 'emission_imports.organisation_id', count(*)
FROM emission_imports AS x WHERE NOT EXISTS (SELECT 1 FROM organisations AS o WHERE o.id = x.organisation_id)
UNION ALL
SELECT 'emission_rows.organisation_id', count(*)
FROM emission_rows AS x WHERE NOT EXISTS (SELECT 1 FROM organisations AS o WHERE o.id = x.organisation_id)
UNION ALL
SELECT 'emission_rows.import_id', count(*)
FROM emission_rows AS x WHERE NOT EXISTS (
    SELECT 1 FROM emission_imports AS i WHERE i.id = x.import_id AND i.organisation_id = x.organisation_id)
UNION ALL
-- the reporting cycle (issue 14)
SELECT 'reporting_periods.programme_id', count(*)
FROM reporting_periods AS x WHERE NOT EXISTS (SELECT 1 FROM programmes AS p WHERE p.id = x.programme_id)
UNION ALL
SELECT 'reporting_periods.closing_id', count(*)
FROM reporting_periods AS x WHERE x.closing_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM period_closings AS c WHERE c.id = x.closing_id AND c.period_id = x.id)
UNION ALL
SELECT 'period_ready.period_id', count(*)
FROM period_ready AS x WHERE NOT EXISTS (SELECT 1 FROM reporting_periods AS p WHERE p.id = x.period_id)
UNION ALL
SELECT 'period_ready.measure_id', count(*)
FROM period_ready AS x WHERE NOT EXISTS (SELECT 1 FROM measures AS m WHERE m.id = x.measure_id)
UNION ALL
SELECT 'period_closings.period_id', count(*)
FROM period_closings AS x WHERE NOT EXISTS (SELECT 1 FROM reporting_periods AS p WHERE p.id = x.period_id)
UNION ALL
SELECT 'snapshot_measures.closing_id', count(*)
FROM snapshot_measures AS x WHERE NOT EXISTS (SELECT 1 FROM period_closings AS c WHERE c.id = x.closing_id)
UNION ALL
SELECT 'snapshot_money.closing_id', count(*)
FROM snapshot_money AS x WHERE NOT EXISTS (
    SELECT 1 FROM snapshot_measures AS s WHERE s.closing_id = x.closing_id AND s.measure_id = x.measure_id)
UNION ALL
SELECT 'snapshot_decisions.closing_id', count(*)
FROM snapshot_decisions AS x WHERE NOT EXISTS (
    SELECT 1 FROM snapshot_measures AS s WHERE s.closing_id = x.closing_id AND s.measure_id = x.measure_id)
UNION ALL
SELECT 'snapshot_indicators.closing_id', count(*)
FROM snapshot_indicators AS x WHERE NOT EXISTS (SELECT 1 FROM period_closings AS c WHERE c.id = x.closing_id)
UNION ALL
SELECT 'snapshot_indicator_goals.closing_id', count(*)
FROM snapshot_indicator_goals AS x WHERE NOT EXISTS (SELECT 1 FROM period_closings AS c WHERE c.id = x.closing_id)
UNION ALL
-- an undone import may have taken its new programme with it; a batch still in force may not lose it
SELECT 'import_batches.programme_id', count(*)
FROM import_batches AS x WHERE x.undone_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM programmes AS p WHERE p.id = x.programme_id)
UNION ALL
SELECT 'import_batch_items.batch_id', count(*)
FROM import_batch_items AS x WHERE NOT EXISTS (SELECT 1 FROM import_batches AS b WHERE b.id = x.batch_id)
UNION ALL
SELECT 'sessions.user_id', count(*)
FROM sessions AS x WHERE NOT EXISTS (SELECT 1 FROM users AS u WHERE u.id = x.user_id)
UNION ALL
SELECT 'sign_in_handoffs.user_id', count(*)
FROM sign_in_handoffs AS x WHERE NOT EXISTS (SELECT 1 FROM users AS u WHERE u.id = x.user_id)
UNION ALL
SELECT 'known_browsers.user_id', count(*)
FROM known_browsers AS x WHERE NOT EXISTS (SELECT 1 FROM users AS u WHERE u.id = x.user_id)
UNION ALL
SELECT 'measure_search.measure_id', count(*)
FROM measure_search AS x WHERE NOT EXISTS (SELECT 1 FROM measures AS m WHERE m.id = x.measure_id)
UNION ALL
SELECT 'feedback.programme_id', count(*)
FROM feedback AS x WHERE x.programme_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM programmes AS p WHERE p.id = x.programme_id)
UNION ALL
SELECT 'feedback.measure_id', count(*)
FROM feedback AS x WHERE x.measure_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM measures AS m WHERE m.id = x.measure_id)
