"""The bundled demo source: a synthetic minutes corpus, its PDFs, and a local copy of a publication site.

    corpus.py   DemoDoc, seed_docs(), synthetic_docs(n, seed), FAMILIES, expected_with_hints()
    phrases.py  the phrase banks the synthetic minutes are written from
    layout.py   the GB/T 9704 character-grid typesetter (pages of drawing operations)
    render.py   render_pdf(doc, family) -> bytes, render_scan_pdf(doc) -> bytes
    site.py     build_site(out_dir), ensure_demo_site() -> Path
    docx_layout.py  the second, independent toolchain: render_docx(doc) -> DOCX bytes (python-docx)
    office.py   office_pdfs(docs) -> {slug: PDF}: DOCX → PDF by LibreOffice headless, cached per machine
                (tests only: python-docx is a dev dependency and `minutes run` never needs LibreOffice)
    server.py   serve_site(root) -> base URL (context manager); serve_handler(handler) for any handler
    seeds/      the two real seed documents (text, normalized text, expected record)

`python -m demo build OUT` / `python -m demo serve`.
"""
