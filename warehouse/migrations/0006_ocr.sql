-- Version 6: paragraphs read by OCR from a scan (issue 18).
-- ocr:            true when the paragraph was read from a page image, false from a text layer,
--                 HTML or TXT.
-- ocr_confidence: the OCR engine's character-weighted mean confidence over the paragraph's lines,
--                 0-1; null where ocr is false.
ALTER TABLE paragraphs ADD COLUMN ocr BOOLEAN;
ALTER TABLE paragraphs ADD COLUMN ocr_confidence DOUBLE;
