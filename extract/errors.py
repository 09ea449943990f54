"""Quarantine: a document that cannot be read or is not minutes, with a stable reason code."""

from __future__ import annotations

# Stable codes: users filter on these in SQL, so never rename one.
CORRUPT_PDF = "corrupt_pdf"
ENCRYPTED = "encrypted"
NO_TEXT_LAYER = "no_text_layer"
BROKEN_TEXT = "broken_text"  # (cid:NN) garbage: a font without a usable ToUnicode map
NOT_PDF = "not_pdf"
EMPTY_FILE = "empty_file"
TIMEOUT = "timeout"
TOO_LARGE = "too_large"  # over a size or memory limit: the bytes are kept, the document is not read
UNSUPPORTED_TYPE = "unsupported_type"
NOT_MINUTES = "not_minutes"
OCR_LOW_CONFIDENCE = "ocr_low_confidence"  # a scan OCR read too poorly to trust (extract.ocr)
# Every code a document's reading or parsing gives it (parser_error, a bug of ours, is pipeline's).
QUARANTINE_CODES = (CORRUPT_PDF, ENCRYPTED, NO_TEXT_LAYER, BROKEN_TEXT, NOT_PDF, EMPTY_FILE, TIMEOUT,
                    TOO_LARGE, UNSUPPORTED_TYPE, NOT_MINUTES, OCR_LOW_CONFIDENCE)


class Quarantine(Exception):
    """Raised by any stage that must give up on one document; the run goes on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # Pickled across the extraction worker's pipe: rebuilt from code and message, not str(self).
        return (Quarantine, (self.code, self.message))

    @property
    def reason(self) -> str:
        """The `quarantine_reason` column: `<code>: <one line>`."""
        return f"{self.code}: {' '.join(self.message.split())}"
