-- What the named queries (queries/*.sql) share, written once: which measures a reader
-- sees, the order statuses are shown in, the rules for open and late measures, the
-- programme list and the fields of a decision. Plain DuckDB macros (DuckLake has them
-- too); a table macro is inlined into the query that calls it, so filters on its
-- result still reach the table scan.
--
-- Parameter names of the macros are chosen not to be column names: inside a macro a
-- parameter would stand in for the column of the same name.

-- Every programme's measures a reader sees: not archived, and published unless
-- with_unpublished (an editor's view).
CREATE MACRO visible_measures(with_unpublished) AS TABLE
    SELECT *
    FROM measures
    WHERE archived_at IS NULL
        AND (is_published OR with_unpublished);

-- The measures of one programme a reader sees: the same rule as visible_measures, written
-- out rather than calling it, as every macro a query expands costs binding time.
CREATE MACRO visible_measures_of(for_programme, with_unpublished) AS TABLE
    SELECT *
    FROM measures
    WHERE programme_id = for_programme
        AND archived_at IS NULL
        AND (is_published OR with_unpublished);

-- A programme's measures as the lists show them (visible_measures_of), with the theme's
-- position and the theme and title in the reader's language (fi|sv|en); with matching,
-- only those whose code, title or description in any language contains it, ignoring case
-- (NULL or '': every measure). The default is '' rather than NULL: a lake cannot store
-- a parameter default of type NULL.
CREATE MACRO measure_list(for_programme, reader_lang, with_unpublished, matching := '') AS TABLE
    SELECT
        m.id,
        m.code,
        t.position AS theme_position,
        in_language(reader_lang, t.name_fi, t.name_sv, t.name_en) AS theme,
        in_language(reader_lang, m.title_fi, m.title_sv, m.title_en) AS title,
        m.status,
        m.progress,
        m.start_date,
        m.end_date,
        m.is_continuous,
        m.is_published,
        m.responsible_unit,
        m.updated_at
    FROM visible_measures_of(for_programme, with_unpublished) AS m
    JOIN themes AS t ON t.id = m.theme_id
    WHERE coalesce(matching, '') = ''
        OR concat_ws(' ', m.code, m.title_fi, m.title_sv, m.title_en, m.description_fi, m.description_sv,
            m.description_en)
            ILIKE '%' || replace(replace(replace(matching, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\';

-- The statuses in the order every chart and count shows them.
CREATE MACRO status_order() AS TABLE
    SELECT *
    FROM (VALUES ('done', 1), ('in_progress', 2), ('late', 3), ('not_started', 4), ('postponed', 5), ('cancelled', 6))
        AS statuses(status, ordinal);

-- A measure still open: neither done nor cancelled.
CREATE MACRO is_open(measure_status) AS measure_status NOT IN ('done', 'cancelled');

-- A measure late on on_day: marked late, or past its end date while still open and
-- not continuous.
CREATE MACRO is_late(measure_status, measure_end, continuous, on_day) AS
    measure_status = 'late' OR (measure_end < on_day AND is_open(measure_status) AND NOT continuous);

-- Money spent against money planned; NULL when nothing is planned.
CREATE MACRO utilisation(spent, planned) AS CASE WHEN planned > 0 THEN spent / planned END;

-- Text as a search compares it: lower case, without accents (so "jyvaskyla" finds Jyväskylä).
CREATE MACRO folded(value) AS strip_accents(lower(value));

-- Every programme with its organisation, names in the reader's language (fi|sv|en).
CREATE MACRO programme_list(reader_lang) AS TABLE
    SELECT
        p.id,
        p.organisation_id,
        in_language(reader_lang, o.name, o.name_sv, o.name_en) AS organisation,
        in_language(reader_lang, p.name, p.name_sv, p.name_en) AS name,
        p.start_year,
        p.end_year,
        p.is_demo,
        p.is_default
    FROM programmes AS p
    JOIN organisations AS o ON o.id = p.organisation_id;

-- The fields that describe a decision (everything but its bookkeeping timestamps).
CREATE MACRO decision_fields() AS TABLE
    SELECT
        id,
        organisation_id,
        body,
        decided_on,
        section,
        case_number,
        title,
        outcome,
        unanimous,
        url,
        text,
        is_illustrative,
        version
    FROM decisions;
