-- Warehouse schema, version 1: the docs/INTERFACE.md §6 tables.
-- Applied once to a new warehouse; later changes are numbered files in migrations/.
-- Dates are DATE, times TIMESTAMP (naive: UTC when the source said which zone), counts INTEGER.
-- The Parquet lake (load/tables.py) has the same tables and columns.

CREATE TABLE documents (
    doc_id            VARCHAR NOT NULL,   -- sha256 of the original bytes
    source            VARCHAR,
    url               VARCHAR,
    title             VARCHAR,
    published_at      TIMESTAMP,
    fetched_at        TIMESTAMP,
    byte_size         INTEGER,
    page_count        INTEGER,
    status            VARCHAR NOT NULL,   -- parsed | quarantined
    quarantine_reason VARCHAR,            -- '<code>: <one line>'
    parser_version    VARCHAR,
    PRIMARY KEY (doc_id)
);

CREATE TABLE meetings (
    doc_id        VARCHAR NOT NULL,
    title         VARCHAR,
    minutes_no    VARCHAR,
    session_no    INTEGER,
    meeting_date  DATE,
    day_period    VARCHAR,
    chair_name    VARCHAR,
    chair_title   VARCHAR,
    recorder      VARCHAR,
    compiled_by   VARCHAR,
    compiled_date DATE,
    issued_by     VARCHAR,
    issued_date   DATE,
    disclosure    VARCHAR,
    PRIMARY KEY (doc_id)
);

CREATE TABLE agenda_items (
    doc_id  VARCHAR NOT NULL,
    item_no INTEGER NOT NULL,
    kind    VARCHAR,
    heading VARCHAR,
    PRIMARY KEY (doc_id, item_no)
);

CREATE TABLE decisions (
    doc_id     VARCHAR NOT NULL,
    item_no    INTEGER NOT NULL,
    clause_no  INTEGER NOT NULL,
    text       VARCHAR,
    page_start INTEGER,
    page_end   INTEGER,
    PRIMARY KEY (doc_id, item_no, clause_no)
);

CREATE TABLE reviewed_documents (
    doc_id      VARCHAR NOT NULL,
    item_no     INTEGER NOT NULL,
    title       VARCHAR NOT NULL,
    action      VARCHAR,
    outcome     VARCHAR,
    lead_agency VARCHAR,
    PRIMARY KEY (doc_id, item_no, title)
);

CREATE TABLE attendance (
    doc_id       VARCHAR NOT NULL,
    role         VARCHAR NOT NULL,
    seq          INTEGER NOT NULL,
    organization VARCHAR,
    person_name  VARCHAR,
    raw          VARCHAR,
    PRIMARY KEY (doc_id, role, seq)
);

CREATE TABLE distribution (
    doc_id    VARCHAR NOT NULL,
    seq       INTEGER NOT NULL,
    recipient VARCHAR,
    PRIMARY KEY (doc_id, seq)
);

CREATE TABLE paragraphs (
    doc_id     VARCHAR NOT NULL,
    seq        INTEGER NOT NULL,
    text       VARCHAR,
    page_start INTEGER,
    page_end   INTEGER,
    PRIMARY KEY (doc_id, seq)
);

CREATE TABLE runs (
    run_id           VARCHAR NOT NULL,
    flow             VARCHAR NOT NULL,
    started_at       TIMESTAMP NOT NULL,
    finished_at      TIMESTAMP,
    status           VARCHAR NOT NULL,
    docs_discovered  INTEGER,
    docs_fetched     INTEGER,
    docs_parsed      INTEGER,
    docs_quarantined INTEGER,
    source           VARCHAR,
    notes            VARCHAR,
    PRIMARY KEY (run_id)
);
