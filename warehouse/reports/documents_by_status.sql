-- Documents and meetings by status and parser version (for `minutes status`).
SELECT d.status, d.parser_version, count(*) AS documents, count(m.doc_id) AS meetings,
       min(m.meeting_date) AS first_meeting, max(m.meeting_date) AS last_meeting
FROM documents d
LEFT JOIN meetings m USING (doc_id)
GROUP BY ALL
ORDER BY d.status, d.parser_version;
