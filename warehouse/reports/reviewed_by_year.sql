-- Documents reviewed by year and outcome.
SELECT year, action, outcome, documents, meetings
FROM reviewed_by_year
ORDER BY year, action, documents DESC;
