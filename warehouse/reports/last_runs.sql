-- The last runs, newest first (for `minutes status`).
SELECT run_id, flow, source, status, started_at, finished_at,
       docs_discovered, docs_fetched, docs_parsed, docs_quarantined
FROM runs
ORDER BY started_at DESC
LIMIT 10;
