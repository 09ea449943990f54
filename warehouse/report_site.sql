-- Queries of `minutes report` (report/data.py), one block per `-- name:` line.
-- Whole tables are read once, ordered, and grouped per meeting in Python: one query per table
-- rather than one per meeting.

-- name: tables_present
SELECT table_name
FROM information_schema.tables
WHERE table_catalog = current_database();

-- name: totals
SELECT count(*)::INTEGER                                          AS documents,
       count(*) FILTER (WHERE status = 'parsed')::INTEGER         AS parsed,
       count(*) FILTER (WHERE status = 'quarantined')::INTEGER    AS quarantined,
       (SELECT count(*) FROM meetings)::INTEGER                   AS meetings,
       (SELECT min(meeting_date) FROM meetings)                   AS first_meeting,
       (SELECT max(meeting_date) FROM meetings)                   AS last_meeting,
       (SELECT count(*) FROM reviewed_documents)::INTEGER         AS reviewed_documents
FROM documents;

-- name: meetings_per_month
-- Every month from the first meeting to the last, months without a meeting as 0.
WITH span AS (SELECT min(month) AS first, max(month) AS last FROM meetings_per_month),
     months AS (SELECT unnest(generate_series(first, last, INTERVAL 1 MONTH))::DATE AS month FROM span)
SELECT strftime(months.month, '%Y-%m') AS month, coalesce(m.meetings, 0)::INTEGER AS meetings
FROM months
LEFT JOIN meetings_per_month m USING (month)
ORDER BY months.month;

-- name: reviewed_by_year
SELECT year, action, outcome, documents
FROM reviewed_by_year
WHERE year IS NOT NULL
ORDER BY year, action, outcome;

-- name: agency_followups
SELECT lead_agency, assignments, meetings
FROM agency_followups
ORDER BY assignments DESC, lead_agency
LIMIT 20;

-- name: attendance_by_organization
-- The 20 organizations seen most often, split by role (列席 / 请假).
WITH totals AS (
    SELECT organization, role, sum(attendances)::INTEGER AS attendances
    FROM attendance_by_organization
    GROUP BY ALL
), top AS (
    SELECT organization, sum(attendances) AS total
    FROM totals
    GROUP BY organization
    ORDER BY total DESC, organization
    LIMIT 20
)
SELECT t.organization, t.role, t.attendances
FROM totals t
JOIN top USING (organization)
ORDER BY top.total DESC, t.organization, t.role;

-- name: documents_by_status
SELECT status,
       CASE WHEN status = 'quarantined' THEN split_part(quarantine_reason, ':', 1) END AS reason_code,
       count(*)::INTEGER AS documents
FROM documents
GROUP BY ALL
ORDER BY status, documents DESC, reason_code;

-- name: fetch_failures
SELECT source, reason_code, count(*)::INTEGER AS urls, max(last_seen) AS last_seen
FROM fetch_failures
GROUP BY ALL
ORDER BY urls DESC, source, reason_code;

-- name: documents
SELECT d.doc_id, d.status, d.quarantine_reason, d.source, d.url,
       coalesce(m.title, d.title) AS title, d.published_at, d.page_count, m.meeting_date, m.session_no
FROM documents d
LEFT JOIN meetings m USING (doc_id)
ORDER BY m.meeting_date DESC NULLS LAST, d.published_at DESC NULLS LAST, d.doc_id;

-- name: meetings
SELECT m.*, d.source, d.url, d.published_at, d.page_count, d.parser_version,
       (SELECT count(*) FROM agenda_items i WHERE i.doc_id = m.doc_id)::INTEGER       AS agenda_item_count,
       (SELECT count(*) FROM reviewed_documents r WHERE r.doc_id = m.doc_id)::INTEGER AS reviewed_count
FROM meetings m
JOIN documents d USING (doc_id)
ORDER BY m.meeting_date DESC NULLS LAST, m.doc_id;

-- name: agenda_items
SELECT doc_id, item_no, kind, heading FROM agenda_items ORDER BY doc_id, item_no;

-- name: decisions
-- paragraph_seq: the paragraph that holds the clause's text, for its evidence (the clause may be a
-- whole paragraph or part of one); null when none does.
SELECT c.doc_id, c.item_no, c.clause_no, c.text, c.page_start, c.page_end,
       (SELECT min(p.seq) FROM paragraphs p
        WHERE p.doc_id = c.doc_id AND contains(p.text, c.text)) AS paragraph_seq
FROM decisions c
ORDER BY c.doc_id, c.item_no, c.clause_no;

-- name: reviewed_documents
SELECT doc_id, item_no, title, action, outcome, lead_agency
FROM reviewed_documents
ORDER BY doc_id, item_no, title;

-- name: attendance
SELECT doc_id, role, seq, organization, person_name, raw
FROM attendance
ORDER BY doc_id, CASE role WHEN '出席' THEN 1 WHEN '列席' THEN 2 ELSE 3 END, seq;

-- name: distribution
SELECT doc_id, seq, recipient FROM distribution ORDER BY doc_id, seq;

-- name: paragraphs
SELECT doc_id, seq, text, page_start, page_end, x0, top, x1, bottom
FROM paragraphs
ORDER BY doc_id, seq;
