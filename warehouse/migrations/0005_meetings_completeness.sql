-- Version 5: how much of a meeting's header the parser found (issue 14).
-- completeness: share of the header fields found, 0–1 (meeting_date, session_no, chair_name,
--               chair_title); a missing field is null in its column and named in documents.warnings.
ALTER TABLE meetings ADD COLUMN completeness DOUBLE;
