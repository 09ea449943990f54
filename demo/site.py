"""A static copy of a publication site shaped like the real one (苏州市人民政府 › 政府会议), built on demand.

Layout (TRS-CMS-like, as www.suzhou.gov.cn serves it):
    /szsrmzf/zfhy/index.shtml, index_1.shtml, …      listing, newest first, 10 entries a page, pager
    /szsrmzf/zfhy/YYYYMM/<32 hex>.shtml             detail page: title, number line, time/source, body
    /szsrmzf/zfhy/YYYYMM/P0<20 digits>.pdf          the attachment
    /corpus.json                                    the answer key: one entry per document
Every document is a PDF in one of the layout families, except one published as HTML paragraphs only
(no PDF) and one whose PDF is a scan with no text layer (read by OCR; a short excerpt, see scanned.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import shutil
import tempfile
from pathlib import Path

from demo.corpus import CORPUS_VERSION, DemoDoc, demo_docs, expected_with_hints
from demo.render import render_pdf
from demo.scanned import SCAN_STYLES, excerpt, scan_bytes

LISTING_DIR = "/szsrmzf/zfhy"
LISTING_PATH = f"{LISTING_DIR}/index.shtml"
PAGE_SIZE = 10
SOURCE = "苏州市人民政府办公室"
BEIJING = dt.timezone(dt.timedelta(hours=8))
_GENERATOR_SOURCES = ("corpus.py", "phrases.py", "layout.py", "render.py", "scan.py", "scanned.py", "site.py")
SITE_SCAN_STYLE = "office"
# Which synthetic documents (by position) are published without a PDF, and as a scan.
HTML_ONLY_INDEX, SCAN_INDEX = 4, 9


def detail_path(doc: DemoDoc) -> str:
    digest = hashlib.md5(doc.slug.encode()).hexdigest()
    return f"{LISTING_DIR}/{doc.published_at:%Y%m}/{digest}.shtml"


def pdf_path(doc: DemoDoc) -> str:
    digits = int(hashlib.sha1(doc.slug.encode()).hexdigest(), 16) % 10**12
    return f"{LISTING_DIR}/{doc.published_at:%Y%m}/P0{doc.published_at:%Y%m%d}{digits:012d}.pdf"


def listing_path(page: int) -> str:
    return LISTING_PATH if page == 0 else f"{LISTING_DIR}/index_{page}.shtml"


def _kind(doc: DemoDoc, synthetic_position: dict[str, int]) -> str:
    position = synthetic_position.get(doc.slug)
    if position == HTML_ONLY_INDEX:
        return "html"
    if position == SCAN_INDEX:
        return "scan"
    return "pdf"


def build_site(out_dir: Path, n_synthetic: int = 24, seed: int = 2024) -> Path:
    """Write the site (HTML, PDFs, corpus.json) under out_dir; returns out_dir."""
    out_dir = Path(out_dir)
    docs = demo_docs(n_synthetic, seed)
    synthetic_position = {d.slug: i for i, d in enumerate(d for d in docs if d.synthetic)}
    newest_first = sorted(docs, key=lambda d: d.published_at, reverse=True)
    entries = []
    for doc in docs:
        kind = _kind(doc, synthetic_position)
        if kind == "scan":
            doc = excerpt(doc)  # OCR takes seconds a page: the scan is a short excerpt
        attachment = None
        if kind == "pdf":
            attachment = pdf_path(doc)
            _write(out_dir, attachment, render_pdf(doc, doc.family), doc.published_at)
        elif kind == "scan":
            attachment = pdf_path(doc)
            _write(out_dir, attachment, scan_bytes(doc, SCAN_STYLES[SITE_SCAN_STYLE]), doc.published_at)
        _write(out_dir, detail_path(doc), _detail_html(doc, attachment, kind).encode(), doc.published_at)
        entries.append({
            "slug": doc.slug,
            "family": None if kind == "html" else ("scan" if kind == "scan" else doc.family),
            "synthetic": doc.synthetic,
            "title": doc.title,
            "minutes_no": doc.minutes_no,
            "meeting_date": doc.meeting_date.isoformat(),
            "published_at": doc.published_at.isoformat(timespec="minutes"),
            "detail_path": detail_path(doc),
            "pdf_path": attachment,
            "kind": kind,
            "scan_style": SITE_SCAN_STYLE if kind == "scan" else None,
            "expected_status": "parsed",
            "expected_quarantine_code": None,
            "expected": doc.expected,
            "expected_with_hints": expected_with_hints(doc),
            "normalized_text": doc.normalized_text,
        })
    pages = [newest_first[i:i + PAGE_SIZE] for i in range(0, len(newest_first), PAGE_SIZE)] or [[]]
    for number, page_docs in enumerate(pages):
        newest = page_docs[0].published_at if page_docs else dt.datetime(2020, 1, 1)
        _write(out_dir, listing_path(number), _listing_html(page_docs, number, len(pages)).encode(), newest)
    _write(out_dir, "/szsrmzf/css/common.css", _CSS.encode(), dt.datetime(2020, 1, 1))
    manifest = {"corpus_version": CORPUS_VERSION, "listing": LISTING_PATH, "page_size": PAGE_SIZE,
                "documents": entries}
    (out_dir / "corpus.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return out_dir


def site_version() -> str:
    """CORPUS_VERSION plus a digest of the generator's sources: a changed generator never reuses a
    cached site built by an older one, even when nobody remembered to bump CORPUS_VERSION."""
    digest = hashlib.sha256(CORPUS_VERSION.encode())
    for name in _GENERATOR_SOURCES:
        digest.update(Path(__file__).with_name(name).read_bytes())
    return f"{CORPUS_VERSION}-{digest.hexdigest()[:10]}"


def ensure_demo_site(root: Path | None = None, n_synthetic: int = 24) -> Path:
    """The demo site, built once: into root, else $MINUTES_DEMO_DIR, else
    ~/.cache/minutes-etl/demo-site-<version>. Built in a temporary sibling folder and renamed into
    place, so a crash never leaves half a site; an existing site (its corpus.json) is reused as is."""
    if root is None:
        configured = os.environ.get("MINUTES_DEMO_DIR")
        size = "" if n_synthetic == 24 else f"-n{n_synthetic}"
        root = Path(configured) if configured else (
            Path.home() / ".cache" / "minutes-etl" / f"demo-site-{site_version()}{size}")
    root = Path(root)
    if (root / "corpus.json").is_file():
        return root
    root.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{root.name}-building-", dir=root.parent))
    try:
        build_site(building, n_synthetic=n_synthetic)
        try:
            building.rename(root)
        except OSError as exists:
            if not (root / "corpus.json").is_file():  # not a concurrent build that won the race
                raise RuntimeError(f"{root} exists and is not a demo site: remove it or choose another "
                                   "folder (MINUTES_DEMO_DIR)") from exists
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    return root


def _write(out_dir: Path, site_path: str, data: bytes, published: dt.datetime) -> None:
    """Write a file and date it like the CMS did, so Last-Modified means something."""
    target = out_dir / site_path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    stamp = published.replace(tzinfo=BEIJING).timestamp()
    os.utime(target, (stamp, stamp))


# ------------------------------------------------------------------------------------------- markup

_CSS = "body{font-family:'Microsoft YaHei',sans-serif;margin:0}.article{width:1000px;margin:0 auto}\n"

_HEAD = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="SiteName" content="苏州市人民政府">
<meta name="ColumnName" content="政府会议">
{meta}<title>{title}</title>
<link rel="stylesheet" href="/szsrmzf/css/common.css">
<script src="/szsrmzf/js/jquery.min.js"></script>
</head>
<body>
<div class="header">
  <div class="top-bar"><a href="/szsrmzf/index.shtml">苏州市人民政府</a>
  <a href="/szsrmzf/wza/index.shtml">无障碍</a> <a href="/szsrmzf/english/index.shtml">English</a></div>
  <div class="logo"><img src="/szsrmzf/images/logo.png" alt="苏州市人民政府"></div>
</div>
<div class="nav"><ul>
  <li><a href="/szsrmzf/index.shtml">首页</a></li>
  <li><a href="/szsrmzf/szyw/index.shtml">苏州要闻</a></li>
  <li><a href="/szsrmzf/zwgk/index.shtml">政务公开</a></li>
  <li><a href="/szsrmzf/zfhy/index.shtml">政府会议</a></li>
  <li><a href="/szsrmzf/hdjl/index.shtml">互动交流</a></li>
</ul></div>
<div class="position">当前位置：<a href="/szsrmzf/index.shtml">首页</a>
  &gt; <a href="/szsrmzf/zfhy/index.shtml">政府会议</a>{crumb}</div>
"""

_FOOT = """<div class="footer">
  <p><a href="/szsrmzf/wzdt/index.shtml">网站地图</a> | <a href="/szsrmzf/lxwm/index.shtml">联系我们</a></p>
  <p>主办：苏州市人民政府办公室　承办：苏州市大数据管理局</p>
  <p>网站标识码：3205000001　苏ICP备05009250号　苏公网安备32050802010517号</p>
</div>
</body>
</html>
"""


def _detail_html(doc: DemoDoc, attachment: str | None, kind: str) -> str:
    esc = html.escape
    stamp = f"{doc.published_at:%Y-%m-%d %H:%M}"
    meta = (f'<meta name="ArticleTitle" content="{esc(doc.title)}">\n'
            f'<meta name="PubDate" content="{stamp}">\n'
            f'<meta name="ContentSource" content="{SOURCE}">\n')
    parts = [_HEAD.format(meta=meta, title=f"{esc(doc.title)}_政府会议_苏州市人民政府", crumb=" &gt; 正文"),
             '<div class="main">\n<div class="article">\n',
             f'<h1 class="article-title">{esc(doc.title)}</h1>\n']
    if doc.minutes_no:
        parts.append(f'<div class="article-no">常务会议纪要{esc(doc.minutes_no)}</div>\n')
    parts.append(f'<div class="article-info"><span>时间: {stamp}</span>　<span>来源: {SOURCE}</span>'
                 '　<span class="font-size">【字体：<a href="javascript:doZoom(18)">大</a> '
                 '<a href="javascript:doZoom(16)">中</a> '
                 '<a href="javascript:doZoom(14)">小</a>】</span></div>\n')
    parts.append('<div class="article-content" id="zoom">\n<div class="TRS_Editor">\n')
    if kind == "html":
        parts += [f'<p style="text-indent:2em">{esc(text)}</p>\n' for text in doc.paragraphs]
    else:
        name = attachment.rsplit("/", 1)[1] if attachment else ""
        parts.append(f'<p>{esc(doc.title)}</p>\n<p class="fujian"><a href="./{name}" target="_blank" '
                     f'oldsrc="W0{name[2:]}">附件：{esc(doc.title)}.pdf</a></p>\n')
    parts.append('</div>\n</div>\n<div class="share">分享到：<a href="javascript:void(0)">微信</a> '
                 '<a href="javascript:void(0)">微博</a> <a href="javascript:window.print()">打印本页</a>'
                 ' <a href="javascript:window.close()">关闭窗口</a></div>\n</div>\n</div>\n')
    parts.append(_FOOT)
    return "".join(parts)


def _listing_html(docs: list[DemoDoc], page: int, page_count: int) -> str:
    esc = html.escape
    parts = [_HEAD.format(meta="", title="政府会议_苏州市人民政府", crumb=""),
             '<div class="main">\n<div class="list-box">\n<h2 class="column-title">政府会议</h2>\n'
             '<ul class="news-list">\n']
    for doc in docs:
        relative = "./" + detail_path(doc).removeprefix(LISTING_DIR + "/")
        parts.append(f'<li><a href="{relative}" target="_blank" title="{esc(doc.title)}">{esc(doc.title)}</a>'
                     f'<span class="date">{doc.published_at:%Y-%m-%d}</span></li>\n')
    parts.append("</ul>\n")
    parts.append(_pager(page, page_count))
    parts.append("</div>\n</div>\n")
    parts.append(_FOOT)
    return "".join(parts)


def _pager(page: int, page_count: int) -> str:
    """TRS's pager: the createPageHTML call plus the links it would write."""
    def href(n: int) -> str:
        return listing_path(n).rsplit("/", 1)[1]

    links = [f'<a href="{href(0)}">首页</a>']
    if page > 0:
        links.append(f'<a href="{href(page - 1)}">上一页</a>')
    for n in range(page_count):
        current = f'<span class="current">{n + 1}</span>'
        links.append(current if n == page else f'<a href="{href(n)}">{n + 1}</a>')
    if page < page_count - 1:
        links.append(f'<a href="{href(page + 1)}">下一页</a>')
    links.append(f'<a href="{href(page_count - 1)}">尾页</a>')
    script = f'<script>createPageHTML({page_count}, {page}, "index", "shtml");</script>'
    return (f'<div class="pager" id="page_div">\n{script}\n{" ".join(links)}\n'
            f"<span>共{page_count}页</span>\n</div>\n")
