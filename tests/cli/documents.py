"""Real documents for the CLI tests (a module, not a conftest): a minutes PDF rendered with the
demo corpus' CJK fonts, the way the publisher's Word export lays it out."""

from __future__ import annotations

import functools

from demo.corpus import seed_docs
from demo.render import render_pdf


@functools.cache
def seed_minutes_pdf(index: int = 0) -> bytes:
    """A seed as a text-layer PDF; the first is 市政府第107次常务会议 (2020-08-10, 李亚平)."""
    return render_pdf(seed_docs()[index], "word_embedded")
