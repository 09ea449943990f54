-- Queries of `minutes export` (report/export.py), one block per `-- name:` line.

-- name: tables
-- The warehouse's tables and views (schema_migrations is the loader's book-keeping, not data).
SELECT table_name, table_type = 'VIEW' AS is_view
FROM information_schema.tables
WHERE table_catalog = current_database() AND table_name <> 'schema_migrations'
ORDER BY table_name;

-- name: table_rows
-- {table} is a name from the `tables` block above, never raw input.
SELECT * FROM "{table}";
