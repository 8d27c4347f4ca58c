"""The residents' window (issue 15): the search index of measures, feedback
from residents with the per-address counter that keeps spam out, and the
index filled for the measures already there.

A Python migration because filling the index needs the Snowball stemmer
(tracker.search); the tables themselves are plain SQL.
"""

from tracker import db
from tracker.write.search import index_unindexed

TABLES = """
-- Snowball stems of each measure's title and description as a reader of `lang` sees
-- them (' stem1 stem2 … '), for the prefix search of tracker/search.py. Stems only:
-- what a search shows comes from measures. Written with the measure (tracker/write/search.py).
CREATE TABLE measure_search (
    measure_id INTEGER NOT NULL,
    lang VARCHAR NOT NULL /*embedded: CHECK (lang IN ('fi', 'sv', 'en')) */,
    title_stems VARCHAR NOT NULL,
    body_stems VARCHAR NOT NULL /*embedded:,
    PRIMARY KEY (measure_id, lang) */
);

-- What a resident said: about the programme (general), one measure, or the
-- accessibility of the public view. Never shown publicly. The sender's name and
-- e-mail are deleted a retention period after the item is handled.
CREATE TABLE feedback (
    id INTEGER NOT NULL /*embedded: PRIMARY KEY */,
    received_at TIMESTAMP NOT NULL,
    kind VARCHAR NOT NULL /*embedded: CHECK (kind IN ('general', 'measure', 'accessibility')) */,
    programme_id INTEGER,
    measure_id INTEGER,
    lang VARCHAR NOT NULL /*embedded: CHECK (lang IN ('fi', 'sv', 'en')) */,
    message VARCHAR NOT NULL /*embedded: CHECK (length(trim(message)) BETWEEN 1 AND 4000) */,
    sender_name VARCHAR,
    sender_email VARCHAR,
    consent BOOLEAN NOT NULL,
    status VARCHAR NOT NULL DEFAULT 'new' /*embedded: CHECK (status IN ('new', 'handled')) */,
    handled_at TIMESTAMP,
    handled_by VARCHAR,
    replied_at TIMESTAMP,
    contact_deleted_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1
);

-- One row per accepted or refused submission: a keyed hash of the sender's address
-- (never the address) and when, for the per-address rate limit; rows older than a
-- day are deleted by the next submission.
CREATE TABLE feedback_senders (
    sender_key VARCHAR NOT NULL,
    sent_at TIMESTAMP NOT NULL
);

INSERT INTO id_counters (table_name, next_id) VALUES ('feedback', 1);
"""


def migrate(cur):
    # PRIMARY KEY and CHECK inside /*embedded: */: a lake holds none (tracker.db.migration_sql)
    cur.execute(db.migration_sql(TABLES, lake=db.on_lake(cur)))
    index_unindexed(cur)
