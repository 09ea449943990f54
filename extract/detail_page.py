"""What a publisher's detail page says about one document: title, number, date, PDFs, article text.

Generic rules, not one site's markup: government CMSs (TRS, Hanweb, UCAP, hand-written pages)
all print the same few facts, in different boxes. We look for the facts by their wording
(`〔2024〕7号`, `发布时间：…`) and for the article body by its usual container names, falling back
to the element that holds the most paragraph text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from extract.attachments import is_candidate
from extract.document_number import find_minutes_no
from extract.publication_date import find_published_at


@dataclass
class DetailPage:
    title: str | None = None
    minutes_no: str | None = None  # canonical 〔YYYY〕N号
    published_at: datetime | None = None
    # Absolute URLs of links that may be document files, page order; what each is, is decided by its
    # bytes once downloaded (extract/attachments.py). Their link texts, by URL:
    attachments: list[str] = field(default_factory=list)
    attachment_texts: dict[str, str] = field(default_factory=dict)
    article_paragraphs: list[str] = field(default_factory=list)


# Containers that CMSs use for the article body, most specific first.
# `ucapcontent` is the UCAP CMS's body element (suzhou.gov.cn articles).
ARTICLE_SELECTORS = (
    "ucapcontent", "#zoom", ".TRS_Editor", ".article-content", "#UCAP-CONTENT", ".Custom_UnionStyle",
    "#content", ".content", ".article", "article", "main",
)
TITLE_SELECTORS = (".article-title", ".detail-title", "h1", ".title", "h2")
TITLE_META_NAMES = ("ArticleTitle", "title", "og:title")
DATE_META_NAMES = ("PubDate", "pubdate", "publishdate", "article:published_time")
# Elements that are never article text.
NOISE_TAGS = "script, style, noscript, template, iframe, nav, header, footer, form, select, button"
FURNITURE_TAGS = {"nav", "footer", "aside"}  # not <header>: an <article>'s header holds its title
# A class or id token that starts with one of these names marks page furniture ("article-header" does not).
NOISE_NAME = re.compile(
    r"^(?:nav|menu|footer|foot|header|breadcrumb|crumb|share|sidebar|side-|copyright|pager|pagination|"
    r"position|location|bottom|friend-?link|toolbar|top(?:$|[-_]?(?:bar|nav|menu|line|links?)$)|site-?top)",
    re.IGNORECASE,
)

ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
TITLE_SUFFIX = re.compile(r"\s*[_|｜—–-]+\s*[^_|｜—–-]*$")  # "标题 - 苏州市人民政府" → "标题"
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)


def decode_html(html: bytes | str, declared_charset: str | None = None) -> str:
    """Bytes → text: the declared charset, else the page's <meta charset>, else UTF-8, else GB18030."""
    if isinstance(html, str):
        return html
    candidates: list[str] = []
    if declared_charset:
        candidates.append(declared_charset)
    meta = META_CHARSET.search(html[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii"))
    candidates += ["utf-8", "gb18030"]
    for charset in candidates:
        # GB2312/GBK pages routinely use characters beyond their declared charset.
        charset = "gb18030" if charset.lower() in {"gb2312", "gbk", "gb_2312-80"} else charset
        try:
            return html.decode(charset)
        except (UnicodeDecodeError, LookupError):
            continue
    return html.decode("gb18030", errors="replace")


def parse_detail_page(html: bytes | str, url: str | None = None, *, article: str | None = None,
                      title: str | None = None, attachment: str | None = None) -> DetailPage:
    """`article`, `title`, `attachment`: a place's CSS selectors, tried before the generic rules."""
    source = decode_html(html)
    tree = LexborHTMLParser(source)
    for noise in tree.css("script, style, noscript, template"):
        noise.decompose()
    page_text = _clean(tree.body.text(separator="\n") if tree.body else "")
    links = attachment_links(tree, url, attachment)
    return DetailPage(
        title=_selected_text(tree, title) or _title(tree) or _title_line(page_text),
        minutes_no=find_minutes_no(page_text),
        published_at=_published_at(tree, _content_text(source)) or _published_at(tree, page_text),
        attachments=list(links),
        attachment_texts=links,
        article_paragraphs=_article_paragraphs(tree, article),
    )


def attachment_links(tree: LexborHTMLParser, url: str | None, selector: str | None = None) -> dict[str, str]:
    """Links that may be document files ({absolute URL: link text}), page order. With `selector`,
    only the links it selects (a place whose attachments the generic rule misses or over-reads)."""
    links: dict[str, str] = {}
    anchors = tree.css(selector) if selector else tree.css("a[href]")
    for anchor in anchors:
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        absolute = (urljoin(url, href) if url else href).split("#", 1)[0]
        text = " ".join(anchor.text().split()) or (anchor.attributes.get("title") or "").strip()
        if absolute not in links and (selector or is_candidate(absolute, text)):
            links[absolute] = text
    return links


def _selected_text(tree: LexborHTMLParser, selector: str | None) -> str | None:
    node = tree.css_first(selector) if selector else None
    return _one_line(node.text()) or None if node else None


def _title(tree: LexborHTMLParser) -> str | None:
    for name in TITLE_META_NAMES:
        meta = tree.css_first(f'meta[name="{name}"], meta[property="{name}"]')
        content = _one_line(meta.attributes.get("content") or "") if meta else ""
        if content:
            return content
    for selector in TITLE_SELECTORS:
        for node in tree.css(selector):
            if in_page_furniture(node):
                continue
            text = _one_line(node.text())
            if text:
                return text
    head_title = tree.css_first("title")
    if head_title:
        text = _one_line(head_title.text())
        return TITLE_SUFFIX.sub("", text) or text or None
    return None


def _title_line(page_text: str) -> str | None:
    """A page with no title element: the first short line naming minutes (…会议纪要)."""
    for line in page_text.split("\n"):
        line = line.strip()
        if 4 <= len(line) <= 60 and line.endswith("纪要"):
            return line
    return None


def _published_at(tree: LexborHTMLParser, page_text: str) -> datetime | None:
    found = find_published_at(page_text)
    if found:
        return found
    for name in DATE_META_NAMES:
        meta = tree.css_first(f'meta[name="{name}"], meta[property="{name}"]')
        iso = ISO_DATE.search(meta.attributes.get("content") or "") if meta else None
        if iso:
            return _to_datetime(iso.groups())
    return None


def _content_text(source: str) -> str:
    """The page's text without its furniture: a top bar printing today's `日期：…` is not the
    article's publication time."""
    tree = LexborHTMLParser(source)
    # Only the outermost furniture, all chosen before any is removed: a node inside a removed one
    # is freed with it and must not be touched again.
    outermost = [node for node in tree.css("body *")
                 if _is_furniture(node) and not any(_is_furniture(up) for up in _ancestors(node))]
    for node in outermost:
        node.decompose()
    return _clean(tree.body.text(separator="\n") if tree.body else "")


def _is_furniture(node: LexborNode) -> bool:
    """This node itself (not its ancestors) is furniture; a header inside an article is content."""
    if node.tag in ("script", "style", "noscript", "template") or node.tag in FURNITURE_TAGS:
        return True
    if node.tag == "header":
        return not any(ancestor.tag in ("article", "main") for ancestor in _ancestors(node))
    names = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
    return any(NOISE_NAME.match(name) for name in names.split())


def _ancestors(node: LexborNode) -> Iterator[LexborNode]:
    current = node.parent
    while current is not None and current.tag not in ("body", "html"):
        yield current
        current = current.parent


def _to_datetime(parts: tuple[str | None, ...]) -> datetime | None:
    numbers = [int(part) if part else 0 for part in parts]
    numbers += [0] * (6 - len(numbers))
    try:
        return datetime(*numbers[:6])
    except ValueError:  # 2024-13-45: not a date after all
        return None


def _article_paragraphs(tree: LexborHTMLParser, selector: str | None = None) -> list[str]:
    for noise in tree.css(NOISE_TAGS):
        noise.decompose()
    for line_break in tree.css("br"):
        line_break.replace_with("\n")
    body = (tree.css_first(selector) if selector else None) or _article_container(tree)
    if body is None:
        return []
    blocks = body.css("p") or _leaf_blocks(body) or [body]
    paragraphs: list[str] = []
    for block in blocks:
        for line in block.text().split("\n"):
            text = _clean(line)
            if text:
                paragraphs.append(text)
    return paragraphs


def _article_container(tree: LexborHTMLParser) -> LexborNode | None:
    for selector in ARTICLE_SELECTORS:
        for node in tree.css(selector):
            if not in_page_furniture(node) and _clean(node.text()):
                return node
    return _densest_container(tree)


def _densest_container(tree: LexborHTMLParser) -> LexborNode | None:
    """The element whose own paragraphs hold the most text (the classic readability heuristic)."""
    scores: dict[int, tuple[int, LexborNode]] = {}
    blocks = tree.css("p") or tree.css("td, div")
    for block in blocks:
        parent = block.parent
        if parent is None or in_page_furniture(block) or in_page_furniture(parent):
            continue
        length = len(_clean(block.text(deep=True)))
        key = parent.mem_id
        previous = scores.get(key, (0, parent))[0]
        scores[key] = (previous + length, parent)
    if not scores:
        return tree.body
    return max(scores.values(), key=lambda scored: scored[0])[1]


def _leaf_blocks(container: LexborNode) -> list[LexborNode]:
    """Block elements with text but no nested blocks: the paragraphs of a <p>-less article."""
    return [node for node in container.css("div, td, li")
            if not node.css_first("div, td, li, table") and _clean(node.text())]


def in_page_furniture(node: LexborNode) -> bool:
    """Inside navigation, header, footer, breadcrumbs… (by tag, class or id), not the content."""
    current: LexborNode | None = node
    while current is not None and current.tag not in ("body", "html"):
        if current.tag in FURNITURE_TAGS:
            return True
        names = f"{current.attributes.get('class') or ''} {current.attributes.get('id') or ''}"
        if any(NOISE_NAME.match(name) for name in names.split()):
            return True
        current = current.parent
    return False


def _clean(text: str) -> str:
    """Collapse runs of spaces (incl. &nbsp; and ideographic spaces) within one line."""
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


def _one_line(text: str) -> str:
    return " ".join(text.split())
