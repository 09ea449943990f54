"""Stage 3: records → Parquet lake → DuckDB warehouse."""
