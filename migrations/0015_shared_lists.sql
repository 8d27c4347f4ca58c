-- More rows the named queries share, stated once (issue 11), as 0013_shared_rows.sql does: a
-- table macro is inlined where it is used, so it costs no more than writing its SELECT out.

-- The public record of every decision: its fields (decision_fields) without the organisation,
-- the pasted decision text and the version. The light pages and the JSON API show these.
CREATE MACRO public_decision_fields() AS TABLE
    SELECT * EXCLUDE (organisation_id, text, version)
    FROM decision_fields();

-- The status events residents may see: only those whose note is public, never who made them.
CREATE MACRO public_status_events() AS TABLE
    SELECT
        id,
        measure_id,
        occurred_at,
        old_status,
        new_status,
        old_progress,
        new_progress,
        -- no note is '' (a NULL text beside noted events reaches pandas as NaN, which prints "nan")
        coalesce(note, '') AS note
    FROM status_events
    WHERE note_is_public;

-- An organisation's indicators with their names and unit, as the closing of a period freezes
-- them beside their values and goals.
CREATE MACRO indicator_names_of(for_organisation) AS TABLE
    SELECT id AS indicator_id, name_fi, name_sv, name_en, unit
    FROM indicators
    WHERE organisation_id = for_organisation;

-- A measure's budget lines with the columns its lists show, in their order: the cost centre's
-- id, code and name, planned and actual euros, variance and utilisation (budget_line_rows).
CREATE MACRO measure_budget_line_rows(for_measure) AS TABLE
    SELECT
        id,
        year,
        cost_centre_id,
        cost_centre,
        cost_centre_name,
        planned_eur,
        actual_eur,
        variance_eur,
        utilisation,
        funding_source,
        note,
        version
    FROM budget_line_rows()
    WHERE measure_id = for_measure;
