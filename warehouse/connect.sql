-- Statements of load/warehouse.py `connect_readonly`, one block per `-- name:` line.
-- The warehouse file is ATTACHed to a fresh in-memory database (why: see connect_readonly).

-- name: attach_readonly
ATTACH $path AS warehouse (READ_ONLY);

-- name: use_warehouse
USE warehouse;

-- name: sandbox
-- `minutes sql` runs whatever the user typed: after the warehouse is attached, no file, network
-- or extension is reachable (read_text, glob, COPY, EXPORT, ATTACH, INSTALL/LOAD, import_database,
-- http URLs all fail with a permission error), no Python variable is scanned, nothing spills to
-- disk, and the configuration is locked so no SET/RESET/PRAGMA can undo any of it.
SET python_enable_replacements = false;
SET temp_directory = '';
SET enable_external_access = false;
SET lock_configuration = true;
