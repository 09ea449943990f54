-- Version 3: where each piece of a document sits on its pages (issue 3).
-- paragraphs x0, top, x1, bottom: the paragraph's box on page_start, in PDF points from the
--             page's top-left corner; null for TXT and HTML input, which have no pages.
-- page_furniture: page numbers, running heads and the masthead, kept apart from the body text
--             (docs/INTERFACE.md §4 rule 1) but stored with the document; seq is the reading order.
ALTER TABLE paragraphs ADD COLUMN x0 DOUBLE;
ALTER TABLE paragraphs ADD COLUMN top DOUBLE;
ALTER TABLE paragraphs ADD COLUMN x1 DOUBLE;
ALTER TABLE paragraphs ADD COLUMN bottom DOUBLE;

CREATE TABLE page_furniture (
    doc_id VARCHAR NOT NULL,
    seq    INTEGER NOT NULL,
    page   INTEGER,
    kind   VARCHAR,             -- page_number | running_head | masthead
    text   VARCHAR,
    PRIMARY KEY (doc_id, seq)
);
