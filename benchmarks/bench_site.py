"""A publication site of the benchmark's own PDFs, shaped like the demo site (listing pages →
detail pages → PDF attachment, at the demo's paths), so the fetch stage crawls exactly the files
the other stages read, through the `demo` source's rules and loopback politeness."""

from __future__ import annotations

import html
import os
import shutil
from pathlib import Path

from benchmarks.pdfset import PdfSet

_DONE = "site-complete"  # written last


def bench_site(pdf_set: PdfSet, seed: int) -> Path:
    """The site next to the cached PDFs (built once, PDFs hard-linked); returns its root folder."""
    from demo import corpus
    from demo.site import LISTING_DIR, PAGE_SIZE, detail_path, listing_path, pdf_path

    root = pdf_set.directory.with_name(pdf_set.directory.name + "-site")
    if (root / _DONE).exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    docs = corpus.synthetic_docs(len(pdf_set.files), seed)
    for doc, pdf in zip(docs, pdf_set.files, strict=True):
        attachment = pdf_path(doc)
        _link(pdf, root / attachment.lstrip("/"))
        _write(root, detail_path(doc), _detail_html(doc.title, f"{doc.published_at:%Y-%m-%d %H:%M}",
                                                     attachment.rsplit("/", 1)[1]))
    newest_first = sorted(docs, key=lambda doc: doc.published_at, reverse=True)
    pages = [newest_first[i:i + PAGE_SIZE] for i in range(0, len(newest_first), PAGE_SIZE)]
    for number, page_docs in enumerate(pages):
        entries = [(doc.title, "./" + detail_path(doc).removeprefix(LISTING_DIR + "/"),
                    f"{doc.published_at:%Y-%m-%d}") for doc in page_docs]
        pager = [listing_path(n).rsplit("/", 1)[1] for n in range(len(pages))]
        _write(root, listing_path(number), _listing_html(entries, pager, number))
    (root / _DONE).write_text("")
    return root


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system
        shutil.copyfile(source, target)


def _write(root: Path, site_path: str, text: str) -> None:
    target = root / site_path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _detail_html(title: str, stamp: str, pdf_name: str) -> str:
    title = html.escape(title)
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">\n'
            f'<meta name="ArticleTitle" content="{title}">\n'
            f'<meta name="PubDate" content="{stamp}">\n'
            f"<title>{title}</title></head>\n<body><div class=\"article\">\n"
            f'<h1 class="article-title">{title}</h1>\n'
            f'<div class="article-info"><span>时间: {stamp}</span></div>\n'
            f'<div class="article-content" id="zoom"><p>{title}</p>\n'
            f'<p><a href="./{pdf_name}">附件：{title}.pdf</a></p></div>\n</div></body></html>\n')


def _listing_html(entries: list[tuple[str, str, str]], pager: list[str], page: int) -> str:
    items = "".join(f'<li><a href="{href}">{html.escape(title)}</a><span class="date">{day}</span></li>\n'
                    for title, href, day in entries)
    links = " ".join(f'<a href="{name}">{number + 1}</a>'
                     for number, name in enumerate(pager) if number != page)
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>政府会议</title></head>\n'
            f'<body><div class="list-box"><ul class="news-list">\n{items}</ul>\n'
            f'<div class="pager">{links}<span>共{len(pager)}页</span></div></div></body></html>\n')
