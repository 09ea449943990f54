"""The warehouse's SQL: schema, migrations, views, report queries (read by load/)."""
