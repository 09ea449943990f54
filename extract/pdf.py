"""PDF → its text layer: positioned lines in reading order, page furniture kept apart.

Lines are built from pdfplumber's `page.chars` (position, font, size of every glyph) rather than
from `extract_text()`: the layout (indents, short lines, gaps inside attendance grids) is what
tells paragraphs and attendance entries apart downstream. Anything pdfminer cannot read becomes
a `Quarantine` with a stable code, never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import logging
import signal
import statistics
import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

from extract.document_number import is_minutes_no
from extract.errors import (
    BROKEN_TEXT,
    CORRUPT_PDF,
    EMPTY_FILE,
    ENCRYPTED,
    NO_TEXT_LAYER,
    NOT_PDF,
    OCR_LOW_CONFIDENCE,
    TIMEOUT,
    TOO_LARGE,
    Quarantine,
)
from extract.furniture import split_furniture, squeeze
from extract.isolation import extend_deadline, use_extra_memory
from extract.sniff import is_html, is_pdf
from extract.textlayer import FurnitureLine, LayerKind, TextLayer, TextLine

# pdfminer logs a warning for every oddity of every malformed file; our verdict is the Quarantine.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

# A glyph gap wider than this fraction of the font size is a space in the text.
_SPACE_GAP = 0.15
# Each half em of gap is one space: a one-em padding reads `王  翔`, a wider separator more spaces.
_SPACE_UNIT = 0.5
# Glyphs whose baselines differ by less than this fraction of the font size share a line.
_SAME_LINE = 0.5
# Share of `(cid:NN)` glyphs above which the text layer is unusable.
_BROKEN_SHARE = 0.05


def read_pdf(data: bytes, *, time_limit: float | None = 60.0, ocr: bool = True) -> TextLayer:
    """Read a PDF's text layer; pages that are only images are read by OCR (extract.ocr) unless
    `ocr` is off. Raises Quarantine for anything that is not a readable PDF.

    `time_limit` bounds the reading of the text layer; each page given to OCR adds its own budget
    (extract.ocr.PAGE_SECONDS) to it."""
    _check_bytes(data)
    clock = _Clock(time_limit)
    try:
        with _deadline(clock):
            return _read(data, clock, ocr=ocr)
    except _TimeUp:
        raise Quarantine(TIMEOUT, f"text extraction exceeded the {clock.limit:g} s limit") from None


def _check_bytes(data: bytes) -> None:
    if not data or not data.strip():
        raise Quarantine(EMPTY_FILE, "the file is empty")
    if is_pdf(data):
        return
    if is_html(data):
        raise Quarantine(NOT_PDF, "an HTML page saved as .pdf (no %PDF header)")
    raise Quarantine(NOT_PDF, f"no %PDF header; the file starts with {data[:16]!r}")


# --- time limit ----------------------------------------------------------------------------------


class _TimeUp(BaseException):
    """Raised by the timer. A BaseException so pdfminer's broad `except Exception` cannot swallow it."""


class _Clock:
    """A document's time limit, which OCR may extend page by page; `check()` between pages."""

    def __init__(self, seconds: float | None) -> None:
        self.limit = seconds if seconds and seconds > 0 else None
        self.started = time.monotonic()
        self.on_extend: Any = None  # set by _deadline when a timer must follow the limit

    def check(self) -> None:
        if self.limit is not None and time.monotonic() - self.started > self.limit:
            raise _TimeUp

    __call__ = check

    def extend(self, seconds: float) -> None:
        if self.limit is None:
            return
        self.limit += seconds
        extend_deadline(seconds)  # in the extraction worker, the parent's kill follows
        if self.on_extend is not None:
            self.on_extend()


@contextlib.contextmanager
def _deadline(clock: _Clock) -> Iterator[_Clock]:
    """Bound the time spent on one document; the clock's `check()` is called between pages.

    In the main thread a SIGALRM interval timer interrupts pdfminer (or OCR) wherever it spins.
    Signals can only be handled in the main thread, so elsewhere (Prefect runs tasks in worker
    threads) the limit is checked between pages: a single pathological page can then overrun it,
    but a long document still stops at the next page boundary.
    """
    if clock.limit is None or threading.current_thread() is not threading.main_thread():
        yield clock
        return
    started = clock.started
    cleaning_up = False

    def on_alarm(signum: int, frame: object) -> None:
        # Python runs this at the next bytecode boundary, which can fall inside the clean-up
        # when check() stopped the reading first: raising there would skip the restore.
        if not cleaning_up:
            raise _TimeUp

    def rearm() -> None:  # the limit grew (a page for OCR): the timer follows
        assert clock.limit is not None
        signal.setitimer(signal.ITIMER_REAL, max(clock.limit - (time.monotonic() - started), 0.001))

    # SIGALRM stays blocked while the handler and the timer are swapped: a limit shorter than
    # these lines take then fires inside the `try`, whose clean-up is sure to run.
    alarm = {signal.SIGALRM}
    caller_mask = signal.pthread_sigmask(signal.SIG_BLOCK, alarm)
    previous = signal.signal(signal.SIGALRM, on_alarm)
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, clock.limit)
    clock.on_extend = rearm
    try:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, alarm)
        yield clock
    finally:
        cleaning_up = True
        clock.on_extend = None
        signal.pthread_sigmask(signal.SIG_BLOCK, alarm)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay:  # someone else's timer (pytest-timeout, a caller's own limit): re-arm what is left
            left = outer_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), outer_interval)
        signal.pthread_sigmask(signal.SIG_SETMASK, caller_mask)


# --- reading -------------------------------------------------------------------------------------


def _read(data: bytes, clock: _Clock, *, ocr: bool) -> TextLayer:
    import pdfplumber  # heavy import, only where PDFs are read

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except MemoryError:  # over the extraction worker's memory cap: too_large, not corrupt
        raise
    except Exception as error:  # pdfminer raises many unrelated types for bad files
        _raise_if_out_of_memory(error)
        raise _quarantine_for(error) from None
    with pdf:
        try:
            pages = pdf.pages
            if not pages:
                raise Quarantine(CORRUPT_PDF, "the PDF has no pages")
            width, height = float(pages[0].width), float(pages[0].height)
            raw_lines: list[TextLine] = []
            glyphs = broken = images = 0
            scans = _PageImages(data, clock) if ocr else None
            for number, page in enumerate(pages, start=1):
                clock.check()
                chars = page.chars
                page_images = len(page.images)
                images += page_images
                glyphs += len(chars)
                broken += sum(1 for char in chars if char["text"].startswith("(cid:"))
                lines = _page_lines(chars, number, float(page.height))
                if not lines and page_images and scans is not None:
                    lines = scans.read(number - 1, float(page.height))
                raw_lines.extend(lines)
                page.close()  # drop pdfplumber's per-page caches: memory stays flat on long documents
        except (Quarantine, _TimeUp, MemoryError):
            raise
        except Exception as error:
            _raise_if_out_of_memory(error)
            raise _quarantine_for(error) from None
    if not any(line.text.strip() for line in raw_lines):
        what = f"{images} image(s), no text: a scan" if images else "no text on any page"
        how = "OCR found no text either" if images and ocr else "OCR is turned off (--no-ocr)" if images \
            else "nothing to OCR"
        raise Quarantine(NO_TEXT_LAYER, f"no text layer ({what}); {how}")
    _check_ocr_confidence(raw_lines)
    if glyphs and broken / glyphs > _BROKEN_SHARE:
        raise Quarantine(
            BROKEN_TEXT,
            f"{broken} of {glyphs} glyphs have no Unicode mapping ((cid:NN)): broken ToUnicode map",
        )
    kind: LayerKind = "ocr" if any(line.confidence is not None for line in raw_lines) else "pdf"
    return positioned_layer(kind, raw_lines, len(pages), width, height)


class _PageImages:
    """OCR of the pages that are only images, through one pypdfium2 handle per document."""

    def __init__(self, data: bytes, clock: _Clock) -> None:
        self.data, self.clock = data, clock
        self.document: Any = None

    def read(self, index: int, page_height: float) -> list[TextLine]:
        from extract import ocr  # the OCR engine loads only when a document needs it

        if self.document is None:
            import pypdfium2

            self.document = pypdfium2.PdfDocument(self.data)
            use_extra_memory()  # the engine's need is the page image's, not the document's
        self.clock.extend(ocr.PAGE_SECONDS)
        try:
            return ocr.read_page(self.document, index, page_height)
        except Exception as error:  # onnxruntime reports its out-of-memory as its own RuntimeException
            if "bad_alloc" not in str(error):
                raise
            raise Quarantine(TOO_LARGE, f"OCR of page {index + 1} needed more memory than the "
                                        "extraction worker may have") from None


def _check_ocr_confidence(lines: list[TextLine]) -> None:
    """A scan OCR could barely read is quarantined with its figure, never parsed into a wrong record."""
    from extract.ocr import MIN_MEAN_CONFIDENCE, mean_confidence

    mean = mean_confidence(lines)
    if mean is not None and mean < MIN_MEAN_CONFIDENCE:
        raise Quarantine(OCR_LOW_CONFIDENCE,
                         f"mean confidence {mean:.2f} below {MIN_MEAN_CONFIDENCE:.2f}")


def _raise_if_out_of_memory(error: BaseException) -> None:
    """zlib's "Unable to allocate output buffer" (a compressed stream inflating past the memory cap)
    arrives wrapped as a pdfminer error: it is the document being too large, not corrupt."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, MemoryError) or "unable to allocate" in str(cause).lower():
            raise MemoryError(str(cause)) from None
        cause = cause.__cause__ or cause.__context__


def _quarantine_for(error: BaseException) -> Quarantine:
    """Map whatever pdfminer raised (often wrapped by pdfplumber) to a reason code and one line."""
    from pdfminer.pdfdocument import PDFEncryptionError

    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, PDFEncryptionError):
            return Quarantine(ENCRYPTED, "the PDF is encrypted and cannot be opened without a password")
        cause = cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else cause.__cause__
    detail = " ".join(str(error).split())[:160] or type(error).__name__
    return Quarantine(CORRUPT_PDF, f"unreadable PDF ({type(error).__name__}: {detail})")


def _page_lines(chars: list[dict[str, Any]], page: int, height: float) -> list[TextLine]:
    """Group a page's glyphs into lines by baseline, then order each line left to right."""
    glyphs = []
    for char in chars:
        text = char["text"]
        if not text:
            continue
        size = float(char["size"]) or 1.0
        matrix = char.get("matrix")
        # The baseline, not top/bottom: Times digits and CJK glyphs of one line differ in height.
        baseline = height - float(matrix[5]) if matrix else float(char["bottom"])
        glyphs.append((baseline, float(char["x0"]), float(char["x1"]), size, char))
    glyphs.sort(key=lambda glyph: (glyph[0], glyph[1]))
    lines: list[TextLine] = []
    start = 0
    for i in range(1, len(glyphs) + 1):
        if i == len(glyphs) or glyphs[i][0] - glyphs[start][0] > _SAME_LINE * glyphs[start][3]:
            line = _line(glyphs[start:i], page)
            if line is not None:
                lines.append(line)
            start = i
    return lines


def _line(glyphs: list[tuple[float, float, float, float, dict[str, Any]]], page: int) -> TextLine | None:
    """One line's text. Space glyphs (ASCII or U+3000 padding) are not copied: the gaps they
    leave are, one space per half em, so `王　翔` reads `王  翔` and wider separators read wider.
    Space glyphs before the first or after the last visible glyph show as leading/trailing
    spaces: a trailing pad tells that an attendance entry ended with the line."""
    glyphs.sort(key=lambda glyph: glyph[1])
    visible = [glyph for glyph in glyphs if not glyph[4]["text"].isspace()]
    if not visible:
        return None
    size = statistics.median(glyph[3] for glyph in visible)
    parts: list[str] = [spaces_for_gap(visible[0][1] - glyphs[0][1], size)]
    previous_x1 = visible[0][1]
    for _, x0, x1, glyph_size, char in visible:
        parts.append(spaces_for_gap(x0 - previous_x1, glyph_size))
        parts.append(char["text"])
        previous_x1 = max(x1, previous_x1)
    parts.append(spaces_for_gap(max(glyph[2] for glyph in glyphs) - previous_x1, size))
    fonts = Counter(glyph[4]["fontname"] for glyph in visible)
    return TextLine(
        page=page,
        x0=visible[0][1],
        x1=max(glyph[2] for glyph in visible),
        top=min(float(glyph[4]["top"]) for glyph in visible),
        bottom=max(float(glyph[4]["bottom"]) for glyph in visible),
        text="".join(parts),
        size=size,
        fontname=fonts.most_common(1)[0][0],
        baseline=statistics.median(glyph[0] for glyph in visible),
        glyphs=tuple((char["text"], x0, x1) for _, x0, x1, _, char in visible),
    )


def spaces_for_gap(gap: float, size: float) -> str:
    """A gap between glyphs as text: nothing below 0.15 em, else one space per half em."""
    if gap <= _SPACE_GAP * size:
        return ""
    return " " * max(1, round(gap / (_SPACE_UNIT * size)))


# --- page furniture and body geometry -----------------------------------------------------------


def positioned_layer(kind: LayerKind, lines: list[TextLine], page_count: int, width: float,
                     height: float) -> TextLayer:
    """Positioned lines (a PDF's glyphs or OCR boxes) → a text layer: furniture apart, the body's
    font size and text block measured."""
    body, furniture = split_furniture(lines, height)
    body_size = _mode([round(line.size, 1) for line in body]) if body else 0.0
    masthead = _masthead(body, body_size, height)
    furniture.extend(
        FurnitureLine(1, "masthead", squeeze(line.text), line.top, line.bottom) for line in masthead
    )
    furniture.sort(key=lambda item: (item.page, item.top))  # reading order: page, then top to bottom
    body = body[len(masthead) :]  # the masthead is where page 1 begins
    left = _left_margin(body)
    right = _right_margin(body)
    return TextLayer(
        kind=kind,
        page_count=page_count,
        page_width=width,
        page_height=height,
        lines=body,
        furniture=furniture,
        left_margin=float(left),
        right_margin=right,
        body_size=float(body_size),
    )


def _masthead(body: list[TextLine], body_size: float, height: float) -> list[TextLine]:
    """Page 1's masthead (版头): a title in a much larger font at the top, then the document
    number `〔2024〕7号`. It names the document; it is not part of the minutes' text."""
    head: list[TextLine] = []
    for line in body:
        if line.page != 1 or line.top > height * 0.4:
            break
        if line.size >= 1.3 * body_size or (head and is_minutes_no(line.text)):
            head.append(line)
        else:
            break
    return head


def _left_margin(body: list[TextLine]) -> float:
    """The leftmost edge at least three lines share: where continuation lines start. (The most
    frequent edge would be the hanging indent of a long attendance list in a short document.)"""
    if not body:
        return 0.0
    counts = Counter(round(line.x0) for line in body)
    shared = [edge for edge, count in counts.items() if count >= 3]
    return float(min(shared) if shared else min(counts))


def _right_margin(body: list[TextLine]) -> float:
    """The right edge full lines reach: the most frequent right edge among the wider half."""
    if not body:
        return 0.0
    edges = sorted(line.x1 for line in body)
    wide = edges[len(edges) // 2 :]
    return float(_mode([round(edge) for edge in wide]))


def _mode(values: list[Any]) -> Any:
    return Counter(values).most_common(1)[0][0]
