"""Every kind of unreadable PDF becomes a Quarantine with its code; no pdfminer traceback escapes.

Each test makes a real file: rendered with reportlab and the installed CJK fonts, then damaged.
"""

from __future__ import annotations

import io
import signal
import threading
import time

import pytest
from PIL import Image, ImageDraw
from reportlab.lib import pdfencrypt
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from extract.errors import Quarantine
from extract.pdf import read_pdf
from tests.extract.minutes_pdf_fixture import render_minutes

PARAGRAPHS = [
    "2020年8月10日上午，李亚平市长主持召开市政府第107次常务会议，审议《苏州市养殖水域滩涂规划（2020～2030年）》。",
    "会议议定以下意见：",
    "出席：李亚平 王翔 洪宗明",
]


def _code(data: bytes, **options: object) -> Quarantine:
    with pytest.raises(Quarantine) as caught:
        read_pdf(data, **options)  # type: ignore[arg-type]
    assert "\n" not in caught.value.reason  # one clear line
    return caught.value


def test_empty_file() -> None:
    assert _code(b"").code == "empty_file"


def test_html_page_saved_as_pdf() -> None:
    page = "<!DOCTYPE html>\n<html><head><title>纪要</title></head><body>页面不存在</body></html>"
    bad = _code(page.encode())
    assert bad.code == "not_pdf"
    assert "HTML" in bad.message


def test_truncated_pdf_is_corrupt() -> None:
    data = render_minutes(PARAGRAPHS * 20)
    assert _code(data[: len(data) // 3]).code == "corrupt_pdf"


def test_garbage_after_pdf_header_is_corrupt() -> None:
    assert _code(b"%PDF-1.7\n" + bytes(range(256)) * 40).code == "corrupt_pdf"


def test_encrypted_pdf() -> None:
    data = render_minutes(PARAGRAPHS, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    assert _code(data).code == "encrypted"


def test_pdf_with_only_an_owner_password_is_read() -> None:
    """Permissions without a user password: every viewer opens it, so do we."""
    data = render_minutes(PARAGRAPHS, encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner"))
    assert "会议议定以下意见：" in [line.text for line in read_pdf(data).lines]


def test_scan_without_text_layer() -> None:
    image = Image.new("L", (420, 594), 250)
    ImageDraw.Draw(image).rectangle([40, 40, 380, 70], fill=20)  # a "line of text", as pixels
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawImage(ImageReader(image), 0, 0, 595, 842)
    pdf.showPage()
    pdf.save()
    bad = _code(out.getvalue())
    assert bad.code == "no_text_layer"
    assert "image" in bad.message


def test_broken_tounicode_map_gives_cid_garbage() -> None:
    data = render_minutes(PARAGRAPHS, compress=False)
    assert b"/ToUnicode" in data
    bad = _code(data.replace(b"/ToUnicode", b"/ToUnicodX"))  # same length: offsets stay valid
    assert bad.code == "broken_text"
    assert "(cid:NN)" in bad.message


# A limit that is over before the first page is read, on any machine: opening a PDF alone takes
# far longer than a microsecond. (A limit the reading merely outlasts would depend on speed.)
EXPIRED = 1e-6


def test_time_limit_in_the_main_thread_interrupts_extraction() -> None:
    data = render_minutes(PARAGRAPHS * 60)
    before = signal.getsignal(signal.SIGALRM)
    assert _code(data, time_limit=EXPIRED).code == "timeout"
    assert signal.getsignal(signal.SIGALRM) is before  # the clean-up ran although the limit fired at once


def test_time_limit_in_a_worker_thread_stops_between_pages() -> None:
    data = render_minutes(PARAGRAPHS * 60)
    outcome: list[BaseException | object] = []

    def work() -> None:
        try:
            outcome.append(read_pdf(data, time_limit=EXPIRED))
        except Quarantine as bad:
            outcome.append(bad)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert isinstance(outcome[0], Quarantine)
    assert outcome[0].code == "timeout"


def test_a_good_pdf_reads_within_its_limit_and_leaves_no_timer_behind() -> None:
    """The interval timer afterwards is the one before, run down by the time spent: none when
    none was armed, else what was left of it (pytest-timeout arms one for the whole test)."""
    data = render_minutes(PARAGRAPHS)
    before = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    delay_before, interval_before = signal.getitimer(signal.ITIMER_REAL)
    text = read_pdf(data, time_limit=30)
    delay_after, interval_after = signal.getitimer(signal.ITIMER_REAL)
    elapsed = time.monotonic() - started
    assert text.page_count == 1
    assert signal.getsignal(signal.SIGALRM) is before
    assert interval_after == interval_before
    if delay_before == 0.0:
        assert delay_after == 0.0
    else:  # re-armed, not left at our 30 s limit; the slack covers the timer's granularity
        assert delay_before - elapsed - 0.05 <= delay_after <= delay_before


def test_an_outer_alarm_timer_is_re_armed_after_reading() -> None:
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        read_pdf(render_minutes(PARAGRAPHS), time_limit=10)
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < remaining <= 30
        assert fired == []
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
