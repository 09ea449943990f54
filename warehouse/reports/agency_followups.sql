-- Agencies by follow-up assignments (lead_agency of reviewed documents).
SELECT lead_agency, assignments, meetings, first_meeting, last_meeting
FROM agency_followups
ORDER BY assignments DESC, lead_agency
LIMIT 20;
