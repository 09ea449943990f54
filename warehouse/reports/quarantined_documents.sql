-- Quarantined documents by reason code.
SELECT reason_code, count(*) AS documents, any_value(quarantine_reason) AS example
FROM quarantined_documents
GROUP BY reason_code
ORDER BY documents DESC;
