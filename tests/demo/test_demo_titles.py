"""Generated titles read like real ones: a topic ending in a word the template repeats
(人防工程管理 + {topic}管理规定) says it once, and the answer keys carry the same title."""

from __future__ import annotations

import re

from demo.corpus import demo_docs, synthetic_docs

DOUBLED = re.compile(r"([\u4e00-\u9fff]{2})\1")  # 管理管理


def test_no_generated_text_doubles_a_word() -> None:
    docs = [*demo_docs(), *synthetic_docs(200)]
    doubled = [(doc.slug, match.group(0)) for doc in docs for text in (doc.title, *doc.paragraphs)
               for match in DOUBLED.finditer(text)]
    assert doubled == []


def test_the_once_doubled_title_is_in_text_and_answer_key() -> None:
    doc = next(d for d in demo_docs() if any("《苏州市人防工程管理规定》" in p for p in d.paragraphs))
    titles = [r["title"] for r in doc.expected["reviewed_documents"]]
    assert "苏州市人防工程管理规定" in titles
