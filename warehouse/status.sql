-- `minutes status`: one query per section, each under its `-- name:` line (the section title),
-- in display order.
-- Read-only, run through load.warehouse.run_query (read by load.warehouse.named_queries).

-- name: Documents
SELECT source, status, count(*) AS documents, sum(page_count) AS pages, max(fetched_at) AS last_fetched
FROM documents
GROUP BY source, status
ORDER BY source, status;

-- name: Meetings
SELECT count(*) AS meetings, min(meeting_date) AS first_meeting, max(meeting_date) AS last_meeting,
       count(DISTINCT chair_name) AS chairs,
       (SELECT count(*) FROM superseded_documents) AS superseded_versions
FROM current_meetings;

-- name: Last runs
SELECT flow, source, status, started_at, round(epoch(finished_at) - epoch(started_at), 1) AS seconds,
       docs_discovered AS discovered, docs_fetched AS fetched, docs_parsed AS parsed,
       docs_quarantined AS quarantined
FROM runs
ORDER BY started_at DESC
LIMIT 5;

-- name: Quarantined documents
SELECT reason_code, left(doc_id, 12) AS doc_id, coalesce(title, url) AS document, quarantine_reason
FROM quarantined_documents
ORDER BY reason_code, fetched_at DESC
LIMIT 50;

-- name: Fetch failures
SELECT source, reason_code, CASE WHEN given_up THEN 'given up' ELSE 'retried next run' END AS state,
       runs, coalesce(title, '') AS title, url, message
FROM fetch_failures
ORDER BY source, given_up, last_seen DESC
LIMIT 50;
