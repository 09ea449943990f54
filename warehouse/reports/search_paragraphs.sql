-- Full-text search over paragraphs (substring match): change the term to search for.
SELECT meeting_date, title, seq, page_start, text
FROM search_paragraphs('安全生产')
LIMIT 20;
