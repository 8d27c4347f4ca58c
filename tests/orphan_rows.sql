-- Rows whose reference points at nothing, per relation (every relation listed, 0 when clean):
-- a line a relation, counting its rows that no row of the table they name answers (ANTI JOIN).
-- The schema has no foreign keys (see migrations/0001_initial.sql); this is their check, run by the tests
-- (tests/integrity.py; tests/test_db.py counts the lines that name a relation).
SELECT 'programmes.organisation_id' AS relation, count(*) AS orphans FROM programmes AS x ANTI JOIN organisations AS p ON p.id = x.organisation_id
UNION ALL SELECT 'programmes.adopting_decision_id', count(*) FROM programmes AS x ANTI JOIN decisions AS p ON p.id = x.adopting_decision_id WHERE x.adopting_decision_id IS NOT NULL
UNION ALL SELECT 'themes.programme_id', count(*) FROM themes AS x ANTI JOIN programmes AS p ON p.id = x.programme_id
UNION ALL SELECT 'measures.programme_id', count(*) FROM measures AS x ANTI JOIN programmes AS p ON p.id = x.programme_id
UNION ALL SELECT 'measures.theme_id', count(*) FROM measures AS x ANTI JOIN themes AS p ON p.id = x.theme_id AND p.programme_id = x.programme_id
UNION ALL SELECT 'status_events.measure_id', count(*) FROM status_events AS x ANTI JOIN measures AS p ON p.id = x.measure_id
UNION ALL SELECT 'cost_centres.organisation_id', count(*) FROM cost_centres AS x ANTI JOIN organisations AS p ON p.id = x.organisation_id
UNION ALL SELECT 'budget_lines.measure_id', count(*) FROM budget_lines AS x ANTI JOIN measures AS p ON p.id = x.measure_id
UNION ALL SELECT 'budget_lines.cost_centre_id', count(*) FROM budget_lines AS x ANTI JOIN cost_centres AS p ON p.id = x.cost_centre_id
UNION ALL SELECT 'decisions.organisation_id', count(*) FROM decisions AS x ANTI JOIN organisations AS p ON p.id = x.organisation_id
UNION ALL SELECT 'measure_decisions.measure_id', count(*) FROM measure_decisions AS x ANTI JOIN measures AS p ON p.id = x.measure_id
UNION ALL SELECT 'measure_decisions.decision_id', count(*) FROM measure_decisions AS x ANTI JOIN decisions AS p ON p.id = x.decision_id
UNION ALL SELECT 'indicators.organisation_id', count(*) FROM indicators AS x ANTI JOIN organisations AS p ON p.id = x.organisation_id
UNION ALL SELECT 'indicator_values.indicator_id', count(*) FROM indicator_values AS x ANTI JOIN indicators AS p ON p.id = x.indicator_id
UNION ALL SELECT 'measure_indicators.measure_id', count(*) FROM measure_indicators AS x ANTI JOIN measures AS p ON p.id = x.measure_id
UNION ALL SELECT 'measure_indicators.indicator_id', count(*) FROM measure_indicators AS x ANTI JOIN indicators AS p ON p.id = x.indicator_id
UNION ALL SELECT 'indicator_goals.indicator_id', count(*) FROM indicator_goals AS x ANTI JOIN indicators AS p ON p.id = x.indicator_id
UNION ALL SELECT 'emission_imports.organisation_id', count(*) FROM emission_imports AS x ANTI JOIN organisations AS p ON p.id = x.organisation_id
UNION ALL SELECT 'emission_rows.organisation_id', count(*) FROM emission_rows AS x ANTI JOIN organisations AS p ON p.id = x.organisation_id
UNION ALL SELECT 'emission_rows.import_id', count(*) FROM emission_rows AS x ANTI JOIN emission_imports AS p ON p.id = x.import_id AND p.organisation_id = x.organisation_id
-- the reporting cycle (issue 14)
UNION ALL SELECT 'reporting_periods.programme_id', count(*) FROM reporting_periods AS x ANTI JOIN programmes AS p ON p.id = x.programme_id
UNION ALL SELECT 'reporting_periods.closing_id', count(*) FROM reporting_periods AS x ANTI JOIN period_closings AS p ON p.id = x.closing_id AND p.period_id = x.id WHERE x.closing_id IS NOT NULL
UNION ALL SELECT 'period_ready.period_id', count(*) FROM period_ready AS x ANTI JOIN reporting_periods AS p ON p.id = x.period_id
UNION ALL SELECT 'period_ready.measure_id', count(*) FROM period_ready AS x ANTI JOIN measures AS p ON p.id = x.measure_id
UNION ALL SELECT 'period_closings.period_id', count(*) FROM period_closings AS x ANTI JOIN reporting_periods AS p ON p.id = x.period_id
UNION ALL SELECT 'snapshot_measures.closing_id', count(*) FROM snapshot_measures AS x ANTI JOIN period_closings AS p ON p.id = x.closing_id
UNION ALL SELECT 'snapshot_money.closing_id', count(*) FROM snapshot_money AS x ANTI JOIN snapshot_measures AS p ON p.closing_id = x.closing_id AND p.measure_id = x.measure_id
UNION ALL SELECT 'snapshot_decisions.closing_id', count(*) FROM snapshot_decisions AS x ANTI JOIN snapshot_measures AS p ON p.closing_id = x.closing_id AND p.measure_id = x.measure_id
UNION ALL SELECT 'snapshot_indicators.closing_id', count(*) FROM snapshot_indicators AS x ANTI JOIN period_closings AS p ON p.id = x.closing_id
UNION ALL SELECT 'snapshot_indicator_goals.closing_id', count(*) FROM snapshot_indicator_goals AS x ANTI JOIN period_closings AS p ON p.id = x.closing_id
-- an undone import may have taken its new programme with it; a batch still in force may not lose it
UNION ALL SELECT 'import_batches.programme_id', count(*) FROM import_batches AS x ANTI JOIN programmes AS p ON p.id = x.programme_id WHERE x.undone_at IS NULL
UNION ALL SELECT 'import_batch_items.batch_id', count(*) FROM import_batch_items AS x ANTI JOIN import_batches AS p ON p.id = x.batch_id
UNION ALL SELECT 'sessions.user_id', count(*) FROM sessions AS x ANTI JOIN users AS p ON p.id = x.user_id
UNION ALL SELECT 'sign_in_handoffs.user_id', count(*) FROM sign_in_handoffs AS x ANTI JOIN users AS p ON p.id = x.user_id
UNION ALL SELECT 'known_browsers.user_id', count(*) FROM known_browsers AS x ANTI JOIN users AS p ON p.id = x.user_id
UNION ALL SELECT 'measure_search.measure_id', count(*) FROM measure_search AS x ANTI JOIN measures AS p ON p.id = x.measure_id
UNION ALL SELECT 'feedback.programme_id', count(*) FROM feedback AS x ANTI JOIN programmes AS p ON p.id = x.programme_id WHERE x.programme_id IS NOT NULL
UNION ALL SELECT 'feedback.measure_id', count(*) FROM feedback AS x ANTI JOIN measures AS p ON p.id = x.measure_id WHERE x.measure_id IS NOT NULL
