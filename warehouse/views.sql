-- Reporting views and macros, re-created on every publish (CREATE OR REPLACE).
-- Each is described, column by column, in dictionary.yaml; reports/*.sql query them.

-- Documents replaced by a later version at the same URL (a revised PDF, re-posted under the link
-- of the first): kept, with the version that replaced them. A publisher's revision is not a
-- second meeting, so the reporting views below count current_meetings only. Parsed versions only:
-- a broken re-upload (quarantined) never replaces the minutes it was meant to revise.
CREATE OR REPLACE VIEW superseded_documents AS
WITH versions AS (
    SELECT doc_id, source, url, fetched_at,
           first_value(doc_id) OVER newest_first      AS newest_doc_id,
           first_value(fetched_at) OVER newest_first  AS newest_fetched_at,
           row_number() OVER newest_first             AS version
    FROM documents
    WHERE url IS NOT NULL AND status = 'parsed'
    WINDOW newest_first AS (PARTITION BY source, url ORDER BY fetched_at DESC, doc_id)
)
SELECT doc_id, source, url, fetched_at, newest_doc_id AS superseded_by, newest_fetched_at AS superseded_at
FROM versions
WHERE version > 1;

-- The meetings of the documents in force: every meeting but those of superseded documents.
CREATE OR REPLACE VIEW current_meetings AS
SELECT m.*
FROM meetings m
WHERE m.doc_id NOT IN (SELECT doc_id FROM superseded_documents);

-- Documents reviewed at meetings, by meeting year, action (审议 / 审议废止) and outcome.
CREATE OR REPLACE VIEW reviewed_by_year AS
SELECT year(m.meeting_date)::INTEGER      AS year,
       r.action,
       coalesce(r.outcome, '(none)')      AS outcome,
       count(*)::INTEGER                  AS documents,
       count(DISTINCT r.doc_id)::INTEGER  AS meetings
FROM reviewed_documents r
JOIN current_meetings m USING (doc_id)
GROUP BY ALL;

-- Agencies charged with follow-up work on reviewed documents (由市工信局根据…).
CREATE OR REPLACE VIEW agency_followups AS
SELECT r.lead_agency,
       count(*)::INTEGER                  AS assignments,
       count(DISTINCT r.doc_id)::INTEGER  AS meetings,
       min(m.meeting_date)                AS first_meeting,
       max(m.meeting_date)                AS last_meeting
FROM reviewed_documents r
JOIN current_meetings m USING (doc_id)
WHERE r.lead_agency IS NOT NULL
GROUP BY r.lead_agency;

-- Who sat in (列席) or was excused (请假), by organization and year; 出席 members carry none.
CREATE OR REPLACE VIEW attendance_by_organization AS
SELECT a.organization,
       year(m.meeting_date)::INTEGER      AS year,
       a.role,
       count(*)::INTEGER                  AS attendances,
       count(DISTINCT a.doc_id)::INTEGER  AS meetings
FROM attendance a
JOIN current_meetings m USING (doc_id)
WHERE a.organization IS NOT NULL
GROUP BY ALL;

-- Meetings held per calendar month, with their agenda items and reviewed documents.
CREATE OR REPLACE VIEW meetings_per_month AS
SELECT date_trunc('month', m.meeting_date)::DATE AS month,
       count(*)::INTEGER                                                            AS meetings,
       sum((SELECT count(*) FROM agenda_items i WHERE i.doc_id = m.doc_id))::INTEGER      AS agenda_items,
       sum((SELECT count(*) FROM reviewed_documents r WHERE r.doc_id = m.doc_id))::INTEGER AS reviewed_documents
FROM current_meetings m
WHERE m.meeting_date IS NOT NULL
GROUP BY ALL;

-- How well the parser reads each source's house style: the header fields' completeness and the
-- warnings (codes before any ':'), by source. Where a new place's style is not yet understood, its
-- completeness drops and its warnings say which field is missing.
CREATE OR REPLACE VIEW parse_quality_by_source AS
WITH docs AS (
    SELECT coalesce(d.source, '(none)') AS source, d.doc_id, d.status, d.warnings, m.completeness
    FROM documents d
    LEFT JOIN meetings m USING (doc_id)
),
warning_counts AS (
    SELECT source, split_part(warning, ':', 1) AS warning, count(DISTINCT doc_id) AS documents
    FROM (SELECT source, doc_id, unnest(warnings) AS warning FROM docs)
    GROUP BY ALL
)
SELECT d.source,
       count(*)::INTEGER                                              AS documents,
       count(*) FILTER (WHERE d.status = 'parsed')::INTEGER           AS parsed,
       count(*) FILTER (WHERE d.status = 'quarantined')::INTEGER      AS quarantined,
       round(avg(d.completeness), 3)::DOUBLE                          AS mean_completeness,
       min(d.completeness)::DOUBLE                                    AS min_completeness,
       count(*) FILTER (WHERE d.completeness < 1)::INTEGER            AS incomplete,
       (SELECT string_agg(w.warning || ' ' || w.documents, ', ' ORDER BY w.documents DESC, w.warning)
        FROM warning_counts w WHERE w.source = d.source)              AS warnings
FROM docs d
GROUP BY d.source;

-- Documents that could not be read or are not minutes, with the reason code split out.
CREATE OR REPLACE VIEW quarantined_documents AS
SELECT doc_id,
       split_part(quarantine_reason, ':', 1) AS reason_code,
       quarantine_reason,
       source, url, title, published_at, fetched_at
FROM documents
WHERE status = 'quarantined';

-- Full-text search over paragraphs: SELECT * FROM search_paragraphs('营商环境').
-- A plain substring match (case-insensitive for Latin letters): Chinese has no spaces to split
-- words on, so a word index (DuckDB's fts extension, not loadable offline either) would miss
-- most hits; a scan of the paragraphs is fast at this corpus size.
CREATE OR REPLACE MACRO search_paragraphs(term) AS TABLE
SELECT p.doc_id,
       m.meeting_date,
       coalesce(m.title, d.title) AS title,
       p.seq,
       p.page_start,
       p.text
FROM paragraphs p
JOIN documents d USING (doc_id)
LEFT JOIN meetings m USING (doc_id)
WHERE contains(lower(p.text), lower(term))
ORDER BY m.meeting_date DESC NULLS LAST, p.doc_id, p.seq;
