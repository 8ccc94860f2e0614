"""A chart per question, drawn on the server: SVG for the page, PNG (Pillow, with the CJK font the ledgers
print with) for the docx and PDF report. Horizontal bars, one per option: the count and the share; the right
(knowledge), healthy (behaviour) or satisfied (rating 4–5) options in green."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from django.utils.html import escape
from PIL import Image, ImageDraw, ImageFont

from shequ.ledgers.fonts import INSTALL_HINT
from shequ.surveys.results import QuestionResult

BAR_H, GAP, LABEL_W, BAR_W, NUM_W = 22, 8, 190, 260, 90
GREEN, GREY, TEXT = "#2e7d32", "#90a4ae", "#263238"


def _label(text: str, limit: int = 14) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def svg(qr: QuestionResult) -> str:
    """The question's bars as an inline SVG (no script, no external reference; every text escaped)."""
    opts = qr.options
    if not opts:
        return ""
    width = LABEL_W + BAR_W + NUM_W
    height = len(opts) * (BAR_H + GAP) + GAP
    top = max((o.count for o in opts), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="第{qr.question.number}题各选项人数">'
    ]
    for i, o in enumerate(opts):
        y = GAP + i * (BAR_H + GAP)
        w = round(BAR_W * o.count / top)
        share = "" if o.share is None else f"（{o.share.normalize():f}%）"
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="13" fill="{TEXT}">{escape(o.letter)}. {escape(_label(o.text))}</text>'
            f'<rect x="{LABEL_W}" y="{y}" width="{max(w, 1)}" height="{BAR_H}" fill="{GREEN if o.right else GREY}"/>'
            f'<text x="{LABEL_W + max(w, 1) + 4}" y="{y + 15}" font-size="12" fill="{TEXT}">{o.count}{share}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)  # every text in it is escaped above


FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


@cache
def _font(size: int):
    """A CJK font for the PNG charts; without one, Chinese would print as boxes: fail clearly."""
    for path in FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    raise RuntimeError(f"没有找到中文字体，图表无法生成：{INSTALL_HINT}")


def png(qr: QuestionResult, scale: int = 2) -> bytes:
    """The same chart as a PNG, for the printed report."""
    opts = qr.options
    width = (LABEL_W + BAR_W + NUM_W) * scale
    height = (len(opts) * (BAR_H + GAP) + GAP) * scale
    img = Image.new("RGB", (width, max(height, 1)), "white")
    draw = ImageDraw.Draw(img)
    font = _font(13 * scale)
    top = max((o.count for o in opts), default=0) or 1
    for i, o in enumerate(opts):
        y = (GAP + i * (BAR_H + GAP)) * scale
        w = max(round(BAR_W * o.count / top), 1) * scale
        draw.text((0, y + 2 * scale), f"{o.letter}. {_label(o.text)}", fill=TEXT, font=font)
        draw.rectangle([LABEL_W * scale, y, LABEL_W * scale + w, y + BAR_H * scale], fill=GREEN if o.right else GREY)
        share = "" if o.share is None else f"（{o.share.normalize():f}%）"
        draw.text((LABEL_W * scale + w + 4 * scale, y + 2 * scale), f"{o.count}{share}", fill=TEXT, font=font)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()
