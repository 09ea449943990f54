-- Statements of load/warehouse.py `publish`, one block per `-- name:` line.
-- {table} is filled in from the fixed table list of load/tables.py. Each statement reads the lake
-- files at hand as `lake_input` (every column plus `filename`): for a local lake the view
-- `lake_input_files` over the variable `lake_files` (SET VARIABLE: a file list cannot be a prepared
-- parameter of read_parquet); for a lake on object storage an Arrow table of the same shape.

-- name: schema_migrations
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
);

-- name: applied_versions
SELECT version FROM schema_migrations ORDER BY version;

-- name: record_migration
INSERT INTO schema_migrations VALUES ($version, $name, now()::TIMESTAMP);

-- name: lake_current
-- The newest lake batch of every document: the rows that count (see load/lake.py).
CREATE OR REPLACE TEMP TABLE lake_current AS
SELECT doc_id, max(parse_filename(filename, true)) AS lake_batch
FROM lake_input
GROUP BY doc_id;

-- name: lake_current_empty
CREATE OR REPLACE TEMP TABLE lake_current (doc_id VARCHAR, lake_batch VARCHAR);

-- name: stale_documents
-- New or reprocessed in the lake (batch differs), or gone from the lake.
CREATE OR REPLACE TEMP TABLE stale_documents AS
SELECT doc_id FROM lake_current
WHERE NOT EXISTS (SELECT 1 FROM documents d
                  WHERE d.doc_id = lake_current.doc_id AND d.lake_batch = lake_current.lake_batch)
UNION
SELECT doc_id FROM documents WHERE doc_id NOT IN (SELECT doc_id FROM lake_current);

-- name: count_stale
SELECT count(*) FROM stale_documents;

-- name: stale_batches
SELECT DISTINCT lake_batch FROM lake_current WHERE doc_id IN (SELECT doc_id FROM stale_documents);

-- name: set_lake_files
SET VARIABLE lake_files = $files;

-- name: lake_input_files
CREATE OR REPLACE TEMP VIEW lake_input AS
SELECT * FROM read_parquet(getvariable('lake_files'), filename = true, hive_partitioning = false,
                           union_by_name = true);

-- name: drop_lake_input
DROP VIEW IF EXISTS lake_input;

-- name: delete_stale
DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM stale_documents);

-- name: insert_current
INSERT INTO {table} BY NAME
SELECT lake.* EXCLUDE (filename)
FROM lake_input AS lake
SEMI JOIN lake_current AS cur
  ON lake.doc_id = cur.doc_id AND parse_filename(lake.filename, true) = cur.lake_batch
WHERE lake.doc_id IN (SELECT doc_id FROM stale_documents);

-- name: insert_current_documents
INSERT INTO documents BY NAME
SELECT lake.* EXCLUDE (filename), parse_filename(lake.filename, true) AS lake_batch
FROM lake_input AS lake
SEMI JOIN lake_current AS cur
  ON lake.doc_id = cur.doc_id AND parse_filename(lake.filename, true) = cur.lake_batch
WHERE lake.doc_id IN (SELECT doc_id FROM stale_documents);

-- name: delete_runs
DELETE FROM runs;

-- name: insert_runs
-- One row per run_id; should a run have been filed twice, the latest-finished copy wins.
INSERT INTO runs BY NAME
SELECT * EXCLUDE (filename)
FROM lake_input
QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY finished_at DESC NULLS LAST, filename DESC) = 1;

-- name: delete_fetch_failures
DELETE FROM fetch_failures;

-- name: insert_fetch_failures
-- The snapshot the last run wrote: URLs that failed and have not succeeded since.
INSERT INTO fetch_failures BY NAME
SELECT * EXCLUDE (filename)
FROM lake_input;

-- name: count_rows
SELECT count(*) FROM {table};
