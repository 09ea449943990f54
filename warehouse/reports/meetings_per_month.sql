-- Meetings per month.
SELECT month, meetings, agenda_items, reviewed_documents
FROM meetings_per_month
ORDER BY month;
