-- Parse quality by source, the least complete first: where a place's style is not yet understood.
SELECT * FROM parse_quality_by_source
ORDER BY mean_completeness NULLS FIRST, documents DESC, source;
