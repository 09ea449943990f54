"""Stage 1: get documents and their text — fetch from a source, keep raw bytes, read PDF/HTML/TXT."""
