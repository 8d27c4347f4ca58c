-- A reporting period's snapshot keeps the indicators as they are stored (issue 16: values and
-- goals are part of a period's snapshot):
-- - snapshot_indicators gains each value's month (1-12 of a monthly indicator, 0 for a whole
--   year) and preliminary flag, and holds the value in indicator_values' own DECIMAL(24, 6):
--   DECIMAL(14, 3) rounded to three decimals and could not hold 100 billion or more, so such a
--   value made the closing fail;
-- - snapshot_indicator_goals freezes the indicators' dated goals (indicator_goals).
-- What only the embedded file can hold (PRIMARY KEY) is written inside /*embedded: ... */ as
-- the storage engines' migrations have it (docs/migrations.md).

-- A column's type is not widened in place on both engines: rebuilt, the rows copied. A row
-- frozen before this migration keeps month and is_preliminary NULL: its closing did not record
-- them (a monthly indicator's months cannot be told apart there), and no guess is made now.
-- No key either: those earlier rows may repeat (indicator_id, year, sector).
ALTER TABLE snapshot_indicators RENAME TO snapshot_indicators__before_rebuild;
CREATE TABLE snapshot_indicators (
    closing_id INTEGER NOT NULL,
    indicator_id INTEGER NOT NULL,
    name_fi VARCHAR NOT NULL,
    name_sv VARCHAR,
    name_en VARCHAR,
    unit VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    -- NULL only in a snapshot taken before this migration
    month INTEGER,
    sector VARCHAR NOT NULL,
    value DECIMAL(24, 6) NOT NULL,
    -- NULL only in a snapshot taken before this migration
    is_preliminary BOOLEAN
);
INSERT INTO snapshot_indicators (closing_id, indicator_id, name_fi, name_sv, name_en, unit, year, sector, value)
SELECT closing_id, indicator_id, name_fi, name_sv, name_en, unit, year, sector, value
FROM snapshot_indicators__before_rebuild;
DROP TABLE snapshot_indicators__before_rebuild;

-- The organisation's indicators' dated goals at the closing (queries/snapshot_indicator_goals.sql),
-- each with its indicator's names and unit, as the values' snapshot has them.
CREATE TABLE snapshot_indicator_goals (
    closing_id INTEGER NOT NULL,
    indicator_id INTEGER NOT NULL,
    name_fi VARCHAR NOT NULL,
    name_sv VARCHAR,
    name_en VARCHAR,
    unit VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    value DECIMAL(24, 6) NOT NULL,
    note VARCHAR /*embedded:,
    PRIMARY KEY (closing_id, indicator_id, year, month) */
);
