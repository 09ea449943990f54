-- Version 4: what could not be fetched (issue 12). One row per URL that failed and has not
-- succeeded since, replaced whole by every run from the fetch state (data/manifest.sqlite).
CREATE TABLE fetch_failures (
    source         VARCHAR NOT NULL,
    url            VARCHAR NOT NULL,     -- the URL that failed: the detail page or the attachment
    listing_url    VARCHAR,
    detail_url     VARCHAR,
    attachment_url VARCHAR,
    title          VARCHAR,
    published_at   TIMESTAMP,
    reason_code    VARCHAR NOT NULL,
    message        VARCHAR,
    attempts       INTEGER,
    runs           INTEGER,
    given_up       BOOLEAN,
    first_seen     TIMESTAMP,
    last_seen      TIMESTAMP,
    PRIMARY KEY (source, url)
);
