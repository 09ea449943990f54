"""What a downloaded attachment is, by its bytes and headers, never by its URL's suffix.

Government CMSs serve attachments behind download scripts (Hanweb's
`/module/download/downfile.jsp?classid=0&filename=…` answers `application/octet-stream` with a
`Content-Disposition` naming the file), so the URL says nothing reliable. A download is a PDF when
its bytes say so (extract/sniff.py: `%PDF-` within the first KiB, as readers allow); the name it
claims comes from Content-Disposition (RFC 6266 `filename*=UTF-8''…` or `filename="…"`, often
percent-encoded or raw GBK), then from the link's text, then from the URL.

A link is worth downloading (a candidate) when anything about it suggests a document: a `.pdf` path,
a download script, a `filename=` parameter, or link text naming a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from extract import sniff

DOCUMENT_SUFFIX = re.compile(r"\.(pdf|docx?|wps|ofd|xlsx?|txt|zip|rar)$", re.IGNORECASE)
PDF_NAME = re.compile(r"\.pdf$", re.IGNORECASE)
# Download endpoints of the CMS families (Hanweb downfile.jsp, TRS/UCAP "download" servlets …).
DOWNLOAD_PATH = re.compile(r"(?:downfile|download|downloadfile|attachment|getfile|fileDown)", re.IGNORECASE)
ATTACHMENT_LABEL = re.compile(r"^附件\s*\d*\s*[:：.、]?\s*")  # "附件：…pdf" names the file after the label
WEB_PAGE = re.compile(r"\.s?html?$", re.IGNORECASE)  # a page about downloads is not a download
FILENAME_STAR = re.compile(r"filename\*\s*=\s*(?:([\w-]+)'[^']*')?([^;]+)", re.IGNORECASE)
FILENAME = re.compile(r'filename\s*=\s*(?:"([^"]*)"|([^;]+))', re.IGNORECASE)


@dataclass(frozen=True)
class Identified:
    is_pdf: bool
    filename: str | None      # what the server or the link calls the file
    claims_pdf: bool          # its name says PDF (so non-PDF bytes are a fault, not another type)


def identify(data: bytes, url: str, content_disposition: str | None = None,
             link_text: str | None = None) -> Identified:
    name = disposition_filename(content_disposition) or _named_file(link_text) or _url_filename(url)
    claims = bool(name and PDF_NAME.search(name)) or bool(PDF_NAME.search(urlsplit(url).path))
    return Identified(is_pdf=sniff.is_pdf(data), filename=name, claims_pdf=claims)


def is_candidate(url: str, link_text: str | None = None) -> bool:
    """A link that may lead to a document file (to be identified once downloaded)."""
    parts = urlsplit(url)
    if DOCUMENT_SUFFIX.search(parts.path):
        return True
    if DOWNLOAD_PATH.search(parts.path) and not WEB_PAGE.search(parts.path):
        return True
    query = parse_qs(parts.query)
    named = (value for key in ("filename", "file", "name") for value in query.get(key, []))
    if any(DOCUMENT_SUFFIX.search(value) for value in named):
        return True
    return _named_file(link_text) is not None


def disposition_filename(header: str | None) -> str | None:
    """The file name a Content-Disposition header gives, decoded."""
    if not header:
        return None
    star = FILENAME_STAR.search(header)
    if star:
        charset = star.group(1) or "utf-8"
        try:
            return unquote(star.group(2).strip().strip('"'), encoding=charset, errors="strict") or None
        except (UnicodeDecodeError, LookupError):
            pass
    plain = FILENAME.search(header)
    if not plain:
        return None
    raw = (plain.group(1) if plain.group(1) is not None else plain.group(2) or "").strip()
    return _repair(unquote(raw, encoding="utf-8", errors="replace") if "%" in raw else raw) or None


def _repair(name: str) -> str:
    """A raw GBK or UTF-8 header value reaches us decoded as Latin-1: decode its bytes again."""
    try:
        raw = name.encode("latin-1")
    except UnicodeEncodeError:
        return name  # already real characters
    for charset in ("utf-8", "gb18030"):
        try:
            return raw.decode(charset)
        except UnicodeDecodeError:
            continue
    return name


def _named_file(text: str | None) -> str | None:
    text = ATTACHMENT_LABEL.sub("", " ".join((text or "").split()))
    return text if text and DOCUMENT_SUFFIX.search(text) else None


def _url_filename(url: str) -> str | None:
    parts = urlsplit(url)
    for key in ("filename", "file", "name"):
        values = parse_qs(parts.query).get(key)
        if values:
            return values[0]
    name = unquote(parts.path.rsplit("/", 1)[-1])
    return name or None
