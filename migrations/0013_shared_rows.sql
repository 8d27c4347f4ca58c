-- Rows the named queries share, stated once (issue 11): each table macro returns the
-- columns several queries select from. A table macro is inlined where it is used, so it
-- costs no more than writing its SELECT out (see 0002_shared_sql.sql).

-- A programme's measures as the dated lists show them on on_day (visible_measures_of): the
-- title in the reader's language (fi|sv|en), status the one each is shown and counted under
-- (effective_status), set_status the one set on it.
CREATE MACRO dated_measure_rows(for_programme, reader_lang, with_unpublished, on_day) AS TABLE
    SELECT
        m.id,
        m.code,
        in_language(reader_lang, m.title_fi, m.title_sv, m.title_en) AS title,
        effective_status(m.status, m.end_date, m.is_continuous, on_day) AS status,
        m.status AS set_status,
        m.progress,
        m.end_date,
        m.responsible_unit,
        m.updated_at
    FROM visible_measures_of(for_programme, with_unpublished) AS m;

-- Every budget line with its cost centre's code and name, its variance (actual - planned) and
-- utilisation: the columns the budget-line lists share.
CREATE MACRO budget_line_rows() AS TABLE
    SELECT
        b.*,
        c.code AS cost_centre,
        c.name AS cost_centre_name,
        b.actual_eur - b.planned_eur AS variance_eur,
        utilisation(b.actual_eur, b.planned_eur) AS utilisation
    FROM budget_lines AS b
    JOIN cost_centres AS c ON c.id = b.cost_centre_id;

-- A programme's published measures with the fields residents may see (never the internal note
-- or the contact): theme and texts in the reader's language, status the one each is shown under
-- on on_day (effective_status), set_status the one set on it. The light pages and the JSON API
-- select from it.
CREATE MACRO public_measure_rows(for_programme, reader_lang, on_day) AS TABLE
    SELECT
        m.id,
        m.programme_id,
        m.code,
        t.position AS theme_position,
        in_language(reader_lang, t.name_fi, t.name_sv, t.name_en) AS theme,
        in_language(reader_lang, m.title_fi, m.title_sv, m.title_en) AS title,
        in_language(reader_lang, m.description_fi, m.description_sv, m.description_en) AS description,
        m.responsible_unit,
        effective_status(m.status, m.end_date, m.is_continuous, on_day) AS status,
        m.status AS set_status,
        m.progress,
        m.start_date,
        m.end_date,
        m.is_continuous,
        m.is_illustrative,
        m.updated_at
    FROM visible_measures_of(for_programme, false) AS m
    JOIN themes AS t ON t.id = m.theme_id;

-- Each measure's money over all its years: planned and actual in total (only measures that
-- have a budget line).
CREATE MACRO measure_money() AS TABLE
    SELECT measure_id, sum(planned_eur) AS planned_eur, sum(actual_eur) AS actual_eur
    FROM budget_lines
    GROUP BY measure_id;
