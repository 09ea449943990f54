"""The benchmark behind `make bench`: how fast minutes-etl is next to bare pdfplumber (issue 8).

Run it with `python -m benchmarks.bench [--docs N] [--out FILE]`; see `bench.py`.
"""
