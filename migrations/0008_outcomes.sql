-- Outcomes (issue 16): the municipality's emissions from SYKE's ALas data, and indicators
-- that measures move.
--
-- What only the embedded file can hold (PRIMARY KEY, CHECK) is written inside
-- /*embedded: ... */ as the storage engines' migrations have it (docs/migrations.md); the
-- write layer (tracker/write/indicators.py, tracker/write/emissions.py) checks every rule itself.
--
-- - organisations get their municipality number (kuntanumero), which the SYKE files use;
-- - indicators get a direction, a frequency, a breakdown, a role (the organisation's SYKE
--   emissions, or its population for per-resident figures), descriptions, a published
--   flag and a version; the reduction target (base year, target year, %) stays;
-- - indicator_values gain months (0: the whole year), a preliminary flag and a source,
--   with room for six decimals; dated goals in indicator_goals;
-- - a measure's link to an indicator says the effect expected of it;
-- - emission_rows hold SYKE's rows as the file gave them (one import per organisation is
--   current, emission_imports keeps the history), so that every reading is summed from the
--   rows by one macro, emission_value (docs/emissions.md says why each reading is so).

ALTER TABLE organisations ADD COLUMN municipality_number INTEGER;

-- indicators and measure_indicators are rebuilt in their new shape (a chain of ALTERs on a
-- table with rows and a key is refused inside one transaction), their rows copied.
ALTER TABLE indicators RENAME TO indicators__before_rebuild;
CREATE TABLE indicators (
    id INTEGER NOT NULL /*embedded: PRIMARY KEY */,
    organisation_id INTEGER NOT NULL,
    name_fi VARCHAR NOT NULL,
    name_sv VARCHAR,
    name_en VARCHAR,
    description_fi VARCHAR,
    description_sv VARCHAR,
    description_en VARCHAR,
    unit VARCHAR NOT NULL,
    -- 'decrease': lower is better; 'increase': higher is better
    direction VARCHAR NOT NULL DEFAULT 'decrease' /*embedded: CHECK (direction IN ('decrease', 'increase')) */,
    frequency VARCHAR NOT NULL DEFAULT 'yearly' /*embedded: CHECK (frequency IN ('yearly', 'monthly')) */,
    -- what indicator_values.sector holds: NULL (no breakdown), 'sector' or 'area'
    breakdown VARCHAR /*embedded: CHECK (breakdown IN ('sector', 'area')) */,
    -- NULL, 'emissions' (the organisation's SYKE emissions, made by the SYKE import) or
    -- 'population' (residents, for per-resident figures); at most one of each per organisation
    role VARCHAR /*embedded: CHECK (role IN ('emissions', 'population')) */,
    -- the emissions indicator's reading that its values and target follow
    emission_reading VARCHAR /*embedded: CHECK (emission_reading IN ('hinku', 'total', 'non_ets')) */,
    -- the target is a reduction of target_reduction_pct from base_year by target_year
    base_year INTEGER,
    target_year INTEGER,
    target_reduction_pct DECIMAL(5, 2),
    is_published BOOLEAN NOT NULL DEFAULT true,
    is_illustrative BOOLEAN NOT NULL DEFAULT false,
    updated_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1
);
INSERT INTO indicators (
    id, organisation_id, name_fi, name_sv, name_en, unit, base_year, target_year, target_reduction_pct, is_illustrative
)
SELECT id, organisation_id, name_fi, name_sv, name_en, unit, base_year, target_year, target_reduction_pct, is_illustrative
FROM indicators__before_rebuild;
DROP TABLE indicators__before_rebuild;

-- A new key (month) and wider values: rebuilt, the rows copied as whole-year values.
ALTER TABLE indicator_values RENAME TO indicator_values__before_rebuild;
CREATE TABLE indicator_values (
    indicator_id INTEGER NOT NULL,
    year INTEGER NOT NULL /*embedded: CHECK (year BETWEEN 1990 AND 2100) */,
    -- 1-12 for a monthly indicator, 0 for a yearly one
    month INTEGER NOT NULL DEFAULT 0 /*embedded: CHECK (month BETWEEN 0 AND 12) */,
    -- the breakdown's category (a sector or an area), '' for an indicator without one
    sector VARCHAR NOT NULL DEFAULT '',
    value DECIMAL(24, 6) NOT NULL,
    is_preliminary BOOLEAN NOT NULL DEFAULT false,
    -- where the value came from: 'form', 'import:<file>', 'syke:<file>', 'demo-seed'
    source VARCHAR,
    updated_at TIMESTAMP /*embedded:,
    PRIMARY KEY (indicator_id, year, month, sector) */
);
INSERT INTO indicator_values (indicator_id, year, month, sector, value)
SELECT indicator_id, year, 0, sector, value
FROM indicator_values__before_rebuild;
DROP TABLE indicator_values__before_rebuild;

-- Dated goals: the value an indicator should reach by a year (or a month of it).
CREATE TABLE indicator_goals (
    indicator_id INTEGER NOT NULL,
    year INTEGER NOT NULL /*embedded: CHECK (year BETWEEN 1990 AND 2100) */,
    month INTEGER NOT NULL DEFAULT 0 /*embedded: CHECK (month BETWEEN 0 AND 12) */,
    value DECIMAL(24, 6) NOT NULL,
    note VARCHAR /*embedded:,
    PRIMARY KEY (indicator_id, year, month) */
);

-- The effect a measure is expected to have on an indicator: it lowers ('decrease') or
-- raises ('increase') it, optionally by an amount in the indicator's unit by a year.
ALTER TABLE measure_indicators RENAME TO measure_indicators__before_rebuild;
CREATE TABLE measure_indicators (
    measure_id INTEGER NOT NULL,
    indicator_id INTEGER NOT NULL,
    effect VARCHAR NOT NULL DEFAULT 'decrease' /*embedded: CHECK (effect IN ('decrease', 'increase')) */,
    effect_amount DECIMAL(24, 6) /*embedded: CHECK (effect_amount >= 0) */,
    effect_year INTEGER /*embedded: CHECK (effect_year BETWEEN 1990 AND 2100) */,
    effect_note VARCHAR /*embedded:,
    PRIMARY KEY (measure_id, indicator_id) */
);
INSERT INTO measure_indicators (measure_id, indicator_id)
SELECT measure_id, indicator_id FROM measure_indicators__before_rebuild;
DROP TABLE measure_indicators__before_rebuild;

-- One row per SYKE import of an organisation's emissions; the newest is current.
CREATE TABLE emission_imports (
    id INTEGER NOT NULL /*embedded: PRIMARY KEY */,
    organisation_id INTEGER NOT NULL,
    municipality_number INTEGER NOT NULL,
    file_name VARCHAR NOT NULL,
    -- 'municipality_csv' (kunta_<n>.csv) or 'workbook' (KAIKKI KUNNAT_ALas ... .xlsx)
    file_kind VARCHAR NOT NULL,
    -- 'ALas 1.7' when the file's name says it
    model_version VARCHAR,
    first_year INTEGER NOT NULL,
    last_year INTEGER NOT NULL,
    preliminary_years VARCHAR,
    row_count INTEGER NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL
);

-- SYKE's rows for an organisation as the current import gave them: sector levels 1-5 as
-- full Finnish names (level 3 also as its code when the file used codes), whether the row
-- counts under Hinku's rules, belongs to emissions trading or is a credit (level 1
-- Kompensaatiot: wind power and the like), kt CO2e, kt with the wind credit (kt_tuuli)
-- and energy use in GWh. NULL: the file said NA.
CREATE TABLE emission_rows (
    organisation_id INTEGER NOT NULL,
    import_id INTEGER NOT NULL,
    year INTEGER NOT NULL /*embedded: CHECK (year BETWEEN 1990 AND 2100) */,
    is_preliminary BOOLEAN NOT NULL DEFAULT false,
    level_1 VARCHAR NOT NULL,
    level_2 VARCHAR NOT NULL,
    level_3 VARCHAR NOT NULL,
    level_4 VARCHAR,
    level_5 VARCHAR,
    sector_code VARCHAR,
    is_hinku BOOLEAN NOT NULL,
    is_ets BOOLEAN NOT NULL,
    is_credit BOOLEAN NOT NULL,
    kt DECIMAL(24, 9),
    kt_wind DECIMAL(24, 9),
    gwh DECIMAL(24, 9)
);

INSERT INTO id_counters (table_name, next_id) VALUES ('emission_imports', 1);

-- What one SYKE row adds to a reading (NULL: nothing), the one copy of the rules
-- (docs/emissions.md, with SYKE's method description as the source):
-- 'total'            all sectors: kt of every row that is not a credit;
-- 'non_ets'          without emissions trading: kt of rows outside the ETS, not credits;
-- 'hinku'            Hinku's rules, credits included (the figure Hinku's target follows):
--                    kt_tuuli (kt where the file left it empty) of the rows Hinku counts;
-- 'hinku_no_credits' Hinku's rules without credits: kt of the rows Hinku counts, not credits.
CREATE MACRO emission_value(reading_name, row_kt, row_kt_wind, row_hinku, row_ets, row_credit) AS
    CASE reading_name
        WHEN 'total' THEN CASE WHEN NOT row_credit THEN row_kt END
        WHEN 'non_ets' THEN CASE WHEN NOT row_credit AND NOT row_ets THEN row_kt END
        WHEN 'hinku' THEN CASE WHEN row_hinku THEN coalesce(row_kt_wind, row_kt) END
        WHEN 'hinku_no_credits' THEN CASE WHEN row_hinku AND NOT row_credit THEN row_kt END
    END;
