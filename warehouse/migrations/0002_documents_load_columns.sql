-- Version 2: what the loader knows about a document beyond docs/INTERFACE.md §6.
-- warnings:   quality findings of the parse (e.g. no_colophon), as a list.
-- lake_batch: the lake batch the document's rows were loaded from; publish compares it with
--             the lake to reload only new and reprocessed documents.
ALTER TABLE documents ADD COLUMN warnings VARCHAR[];
ALTER TABLE documents ADD COLUMN lake_batch VARCHAR;
