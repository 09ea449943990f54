-- Statements of load/warehouse.py `connect_readonly`, one block per `-- name:` line.
-- The warehouse file is ATTACHed to a fresh in-memory database (why: see connect_readonly).

-- name: attach_readonly
ATTACH $path AS warehouse (READ_ONLY);

-- name: use_warehouse
USE warehouse;
