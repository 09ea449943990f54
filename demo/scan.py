"""A laid-out document as a scanner and an office make it: page images, stamped, skewed, noisy, JPEG.

`scan_pages(pages, style)` rasterizes the typesetter's pages (layout.py) in colour, stamps the
issuing office's red seal over the last page's `…整理` line and date (where offices stamp it), then
degrades each page the way a flat-bed scan of a paper copy does: a small rotation, grain, specks and
JPEG compression. `image_only_pdf(images)` wraps the JPEGs in a PDF with no text layer at all.
Everything is deterministic in the style's seed.
"""

from __future__ import annotations

import functools
import io
import math
import random
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from demo.layout import PAGE_H, PAGE_W, Page, Rule, Text

PAPER = (246, 244, 239)
INK = (28, 28, 30)
SEAL_RED = (214, 38, 44)
SEAL_RADIUS = 58.0  # points: a 42 mm office seal


@dataclass(frozen=True)
class ScanStyle:
    """How rough the scan is. The defaults are a typical office scan of a stamped copy."""

    dpi: int = 150
    skew_degrees: float = 0.6  # positive: counter-clockwise
    grain: float = 10.0  # standard deviation of the grey noise, in 0-255 levels
    specks: int = 400  # dust specks per page
    jpeg_quality: int = 55
    seal: bool = True
    seed: int = 0


@functools.cache
def _font(path: str, pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, pixels)


def scan_pages(pages: list[Page], style: ScanStyle, font_path: str, seal_text: str) -> list[bytes]:
    """One JPEG per page."""
    rng = random.Random(f"scan:{style.seed}")
    scale = style.dpi / 72
    images = [_rasterize(page, scale, font_path) for page in pages]
    if style.seal and images:
        anchor = _seal_anchor(pages[-1])
        if anchor is not None:
            images[-1] = _stamp(images[-1], anchor, scale, font_path, seal_text)
    return [_degrade(image, style, rng) for image in images]


def image_only_pdf(jpegs: list[bytes], creator: str = "Scanner") -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    canvas.setCreator(creator)
    for jpeg in jpegs:
        canvas.drawImage(ImageReader(io.BytesIO(jpeg)), 0, 0, PAGE_W, PAGE_H)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _colour(rgb: tuple[float, float, float]) -> tuple[int, int, int]:
    return INK if rgb == (0.0, 0.0, 0.0) else tuple(round(255 * c) for c in rgb)  # type: ignore[return-value]


def _rasterize(page: Page, scale: float, font_path: str) -> Image.Image:
    image = Image.new("RGB", (round(PAGE_W * scale), round(PAGE_H * scale)), PAPER)
    draw = ImageDraw.Draw(image)
    for op in page.ops:
        if isinstance(op, Rule):
            ends = [(op.x1 * scale, (PAGE_H - op.y1) * scale), (op.x2 * scale, (PAGE_H - op.y2) * scale)]
            draw.line(ends, fill=_colour(op.color), width=max(1, round(op.width * scale)))
        else:
            _text(draw, op, scale, font_path)
    return image


def _text(draw: ImageDraw.ImageDraw, op: Text, scale: float, font_path: str) -> None:
    font = _font(font_path, max(6, round(op.size * scale)))
    fill = _colour(op.color)
    top = (PAGE_H - op.y - op.size * 0.86) * scale
    if op.font == "latin":
        draw.text((op.x * scale, top), op.text, font=font, fill=fill)
        return
    advance = (op.size + op.char_space) * scale
    for k, ch in enumerate(op.text):
        draw.text((op.x * scale + k * advance, top), ch, font=font, fill=fill)


def _seal_anchor(page: Page) -> tuple[float, float] | None:
    """The seal's centre, in points from the top-left: over the right half of the `…整理` line,
    reaching down over the date under it."""
    for op in page.ops:
        if isinstance(op, Text) and op.text.endswith("整理"):
            return op.x + len(op.text) * op.size * 0.55, PAGE_H - op.y + op.size
    return None


def _stamp(image: Image.Image, centre: tuple[float, float], scale: float, font_path: str,
           text: str) -> Image.Image:
    """A round office seal: ring, star, the office's name along the upper arc; multiplied onto the
    page like ink, so the black text under it stays black and the paper turns red."""
    layer = Image.new("RGB", image.size, (255, 255, 255))
    draw = ImageDraw.Draw(layer)
    cx, cy = centre[0] * scale, centre[1] * scale
    radius = SEAL_RADIUS * scale
    ring = max(2, round(3.2 * scale))
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=SEAL_RED, width=ring)
    star = [(cx + radius * 0.28 * math.cos(math.pi / 2 + k * 4 * math.pi / 5),
             cy - radius * 0.28 * math.sin(math.pi / 2 + k * 4 * math.pi / 5)) for k in range(5)]
    draw.polygon(star, fill=SEAL_RED)
    glyph = max(8, round(radius * 0.3))
    font = _font(font_path, glyph)
    span = math.radians(230)
    for k, ch in enumerate(text):
        angle = math.pi / 2 + span / 2 - span * (k + 0.5) / len(text)
        tile = Image.new("L", (glyph * 2, glyph * 2), 0)
        ImageDraw.Draw(tile).text((glyph // 2, glyph // 2), ch, font=font, fill=255)
        tile = tile.rotate(math.degrees(angle - math.pi / 2), resample=Image.Resampling.BICUBIC)
        x = cx + (radius - ring - glyph * 0.75) * math.cos(angle) - glyph
        y = cy - (radius - ring - glyph * 0.75) * math.sin(angle) - glyph
        layer.paste(SEAL_RED, (round(x), round(y)), tile)
    return ImageChops.multiply(image, layer)


def _degrade(image: Image.Image, style: ScanStyle, rng: random.Random) -> bytes:
    import numpy as np  # a dependency of the OCR engine, needed only to build scans

    if style.skew_degrees:
        image = image.rotate(style.skew_degrees, resample=Image.Resampling.BICUBIC, fillcolor=PAPER)
    pixels = np.asarray(image, dtype=np.float32)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0.0, style.grain, pixels.shape[:2])
    pixels = np.clip(pixels + noise[..., None], 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels)
    draw = ImageDraw.Draw(image)
    for _ in range(style.specks):
        x, y = rng.uniform(0, image.width), rng.uniform(0, image.height)
        r = rng.uniform(0.4, 1.6) * style.dpi / 150
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(60, 60, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=style.jpeg_quality)
    return out.getvalue()
