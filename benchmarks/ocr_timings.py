"""OCR seconds per page: the pipeline's read of a scan vs the bare engine call on the same pages.

The scan is the demo site's (demo.scanned, style `office`: 150 dpi, skewed, grainy, JPEG, a red
seal; 3 pages). The reference is RapidOCR alone on each page image rendered at OCR_DPI; the
pipeline adds PDF reading, rendering, seal removal, the page numbers the detector missed, geometry,
paragraphs and the grammar.
"""

from __future__ import annotations

import os
import time

from benchmarks.stage_timings import Figure


def ocr_pages() -> Figure:
    import pypdfium2

    from demo.scanned import scan_bytes, scanned_docs
    from extract import ocr
    from pipeline.document import process_document

    doc, style = scanned_docs()[0]
    data = scan_bytes(doc, style)
    pdf = pypdfium2.PdfDocument(data)
    images = [ocr.render_page(pdf, index) for index in range(len(pdf))]
    # Neither figure pays the models' loading nor onnxruntime's first run of each input shape
    # (measured: a cold pass takes about twice a warm one): one untimed pass over the same pages.
    for image in images:
        ocr.recognize(image)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    for image in images:
        ocr.recognize(image)
    bare = (time.perf_counter() - started) / len(images)
    started = time.perf_counter()
    record = process_document(data, ".pdf")
    pipeline = (time.perf_counter() - started) / len(images)
    return Figure(seconds=pipeline, extra={
        "engine": ocr.ENGINE, "pages": len(images), "dpi": ocr.OCR_DPI, "status": record.status,
        "bare_engine_s_per_page": round(bare, 3), "pipeline_over_bare": round(pipeline / bare, 3),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    })
