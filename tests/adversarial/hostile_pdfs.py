"""PDFs made to break readers, written byte by byte (no PDF library would write them)."""

from __future__ import annotations

import zlib


def assemble(objects: list[bytes]) -> bytes:
    """A PDF of `objects` (object i+1 is objects[i]) with a correct xref table; object 1 the catalog."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def self_referencing() -> bytes:
    """~450 bytes: the page's /Contents is object 4, and object 4 is a reference to itself."""
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"4 0 R",
    ])


def compressed_bomb(uncompressed_mib: int) -> bytes:
    """One page whose Flate content stream inflates ~1000:1 to `uncompressed_mib` MiB of operators."""
    block = b"0 0 m 1 1 l S\n" * 4096
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(block) for _ in range(uncompressed_mib * 1024 * 1024 // len(block))]
    stream = b"".join(parts) + compressor.flush()
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ])


def many_pages(count: int) -> bytes:
    """`count` pages sharing one tiny content stream (a line), in one flat page tree."""
    first_page = 4
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(count))
    content = b"0 0 m 10 10 l S"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << >> >>"]\
        * count
    return assemble(objects)
