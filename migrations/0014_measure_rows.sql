-- The measure columns the signed-in pages list, stated once (issue 11), as 0013 did for the
-- public pages: queries select `m.* EXCLUDE (...)` from it rather than writing the columns out.
-- A table macro is inlined where it is used, so the columns a query leaves out cost nothing.

-- A programme's measures a signed-in reader sees (visible_measures_of), with theme, title and
-- description in the reader's language (fi|sv|en); status is the one each is shown under on
-- on_day (effective_status), set_status the one set on it; is_late (the late rule) and past_end
-- on on_day, false rather than NULL. Internal fields (contact, internal_note) are here: the
-- queries that may not show them leave them out.
CREATE MACRO measure_rows(for_programme, reader_lang, with_unpublished, on_day) AS TABLE
    SELECT
        m.id,
        m.programme_id,
        m.theme_id,
        m.code,
        t.position AS theme_position,
        in_language(reader_lang, t.name_fi, t.name_sv, t.name_en) AS theme,
        in_language(reader_lang, m.title_fi, m.title_sv, m.title_en) AS title,
        in_language(reader_lang, m.description_fi, m.description_sv, m.description_en) AS description,
        m.responsible_unit,
        m.contact_name,
        m.contact_email,
        effective_status(m.status, m.end_date, m.is_continuous, on_day) AS status,
        m.status AS set_status,
        m.phase,
        m.progress,
        m.start_date,
        m.end_date,
        m.is_continuous,
        coalesce(is_late(m.status, m.end_date, m.is_continuous, on_day), false) AS is_late,
        coalesce(past_end(m.status, m.end_date, m.is_continuous, on_day), false) AS past_end,
        m.is_published,
        m.is_illustrative,
        m.internal_note,
        m.updated_at,
        m.version
    FROM visible_measures_of(for_programme, with_unpublished) AS m
    JOIN themes AS t ON t.id = m.theme_id;
