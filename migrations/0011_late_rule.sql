-- One late rule for every count, list and tile (issue 12): a measure is late when its
-- status says late, or when its end date has passed and it is neither done, cancelled
-- nor continuous. effective_status is the status a reader sees and counts it under, so a
-- late measure is counted once, as late, never also as in progress or not started.

-- Past its end date on on_day while still open (neither done nor cancelled) and not
-- continuous: the part of the late rule a new end date can change.
CREATE MACRO past_end(measure_status, measure_end, continuous, on_day) AS
    measure_end < on_day AND is_open(measure_status) AND NOT continuous;

-- The late rule (as 0002 wrote it, now in its two parts): marked late, or past_end.
CREATE OR REPLACE MACRO is_late(measure_status, measure_end, continuous, on_day) AS
    measure_status = 'late' OR past_end(measure_status, measure_end, continuous, on_day);

-- The status a measure is shown and counted under on on_day: 'late' when is_late says
-- so, else the status set on it.
CREATE MACRO effective_status(measure_status, measure_end, continuous, on_day) AS
    CASE WHEN is_late(measure_status, measure_end, continuous, on_day) THEN 'late' ELSE measure_status END;
