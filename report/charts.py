"""The overview's charts, as self-contained SVG files.

Why matplotlib, writing SVG with the text as outlines (`svg.fonttype = "path"`):
- CJK labels (agency names, outcomes) must show on any machine that opens the site, offline. With the
  glyphs drawn as paths, the SVG needs no font at view time; matplotlib takes the outlines from a
  CJK font installed here (the Debian fonts of `make fonts`), and falls back glyph by glyph.
- Nothing runs in the browser: no JavaScript library to bundle, nothing to fetch, no console errors.
- It is a pure-wheel dependency of ~10 MB (with numpy). vl-convert-python (Vega-Lite → SVG) is a
  ~60 MB wheel embedding a JavaScript runtime, and its SVG keeps `<text>` elements, so Chinese would
  again depend on the viewer's fonts.

Charts are built on `matplotlib.figure.Figure` directly: no pyplot, no global figure state.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure

# Families tried in order for CJK glyphs; the first ones found are used, Latin from DejaVu Sans.
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
                "AR PL SungtiL GB", "AR PL UMing CN", "AR PL KaitiM GB", "Microsoft YaHei", "PingFang SC",
                "SimSun")
PALETTE = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c",
           "#ccb974", "#64b5cd")
WIDTH_INCHES = 7.5
# A CJK font with one weight (WenQuanYi's "Medium") makes matplotlib log a warning per chart.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


class NoCjkFont(RuntimeError):
    """No installed font has Chinese glyphs: the charts would show empty boxes."""


@dataclass(frozen=True)
class Chart:
    name: str     # file stem: charts/<name>.svg
    title: str
    svg: str


def cjk_families() -> list[str]:
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    found = [family for family in CJK_FAMILIES if family in installed]
    if not found:
        raise NoCjkFont("no Chinese font for the charts: install the Debian package fonts-arphic-gbsn00lp "
                        "(`make fonts`) or fonts-noto-cjk")
    return found


def _style() -> dict[str, object]:
    return {
        "svg.fonttype": "path",          # glyph outlines: no font needed to view the SVG
        "svg.hashsalt": "minutes-report",  # the same data gives the same file
        "font.family": ["DejaVu Sans", *cjk_families()],
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 12,
        "font.size": 9,
    }


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def _empty(figure: Figure, message: str) -> None:
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color="#666")


def vertical_bars(name: str, title: str, labels: Sequence[str], values: Sequence[int], *,
                  ylabel: str) -> Chart:
    """One bar per label, in the order given (e.g. months)."""
    with matplotlib.rc_context(_style()):
        figure = Figure(figsize=(WIDTH_INCHES, 3.2))
        if not labels:
            _empty(figure, "no data")
        else:
            axes = figure.add_subplot()
            positions = range(len(labels))
            axes.bar(positions, values, color=PALETTE[0])
            step = max(1, len(labels) // 24)  # at most ~24 tick labels
            axes.set_xticks(list(positions)[::step], list(labels)[::step], rotation=60, ha="right")
            axes.set_ylabel(ylabel)
            axes.yaxis.get_major_locator().set_params(integer=True)
        figure.suptitle(title, x=0.02, ha="left")
        return Chart(name, title, _svg(figure))


def stacked_bars(name: str, title: str, categories: Sequence[str], series: dict[str, Sequence[int]], *,
                 ylabel: str) -> Chart:
    """Bars per category (e.g. year), stacked by series (e.g. outcome), with a legend."""
    with matplotlib.rc_context(_style()):
        figure = Figure(figsize=(WIDTH_INCHES, 3.6))
        if not categories:
            _empty(figure, "no data")
        else:
            axes = figure.add_subplot()
            bottoms = [0] * len(categories)
            positions = range(len(categories))
            for index, (label, values) in enumerate(series.items()):
                axes.bar(positions, values, bottom=bottoms, label=label, color=PALETTE[index % len(PALETTE)])
                bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
            axes.set_xticks(list(positions), list(categories))
            axes.set_ylabel(ylabel)
            axes.yaxis.get_major_locator().set_params(integer=True)
            axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        figure.suptitle(title, x=0.02, ha="left")
        return Chart(name, title, _svg(figure))


def horizontal_bars(name: str, title: str, labels: Sequence[str], series: dict[str, Sequence[int]], *,
                    xlabel: str) -> Chart:
    """One row per label, largest first (labels are given in that order), stacked by series."""
    with matplotlib.rc_context(_style()):
        height = 1.0 + 0.28 * max(len(labels), 3)
        figure = Figure(figsize=(WIDTH_INCHES, height))
        if not labels:
            _empty(figure, "no data")
        else:
            axes = figure.add_subplot()
            positions = list(range(len(labels)))[::-1]  # the first label on top
            lefts = [0] * len(labels)
            for index, (label, values) in enumerate(series.items()):
                axes.barh(positions, values, left=lefts, label=label, color=PALETTE[index % len(PALETTE)])
                lefts = [a + v for a, v in zip(lefts, values, strict=True)]
            axes.set_yticks(positions, list(labels))
            axes.set_xlabel(xlabel)
            axes.xaxis.get_major_locator().set_params(integer=True)
            if len(series) > 1:
                axes.legend(loc="lower right", frameon=False)
        figure.suptitle(title, x=0.02, ha="left")
        return Chart(name, title, _svg(figure))
