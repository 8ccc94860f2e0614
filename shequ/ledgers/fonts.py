"""Is there a Chinese font for the PDF? Without one, WeasyPrint prints boxes and raises nothing.

:func:`missing_cjk_glyphs` renders a probe line with the PDF's font stack and reads, in the fonts
WeasyPrint actually chose, whether each character has a glyph. The answer is kept for the process.
"""

from __future__ import annotations

import functools
import io

PDF_FONTS = '"Noto Serif CJK SC", "Source Han Serif SC", "Noto Sans CJK SC", "Source Han Sans SC", serif'
PDF_TITLE_FONTS = '"Noto Sans CJK SC", "Source Han Sans SC", "Noto Serif CJK SC", sans-serif'
PROBE = "填报单位条线台账第页共制表审核负责人年月日"
INSTALL_HINT = "apt-get install fonts-noto-cjk"


class PdfUnavailable(RuntimeError):
    """The server cannot print a Chinese PDF; the message says what to install."""


def missing_cjk_glyphs(probe: str = PROBE, fonts: str = PDF_FONTS) -> set[str]:
    """The characters of ``probe`` that the PDF fonts cannot draw (empty when all is well)."""
    import weasyprint
    from fontTools.ttLib import TTFont

    document = weasyprint.HTML(string=f"<p style='font-family: {fonts}'>{probe}</p>").render()
    document.write_pdf()  # fills document.fonts with the faces used
    missing = set(probe)
    for font in document.fonts.values():
        cmap = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True).getBestCmap() or {}
        for text in font.to_unicode.values():
            missing -= {ch for ch in text if ord(ch) in cmap}
    return missing


@functools.cache
def check_pdf_fonts() -> None:
    """Raise :class:`PdfUnavailable` with a clear Chinese message when PDFs cannot be printed here."""
    try:
        missing = missing_cjk_glyphs()
    except OSError as exc:  # WeasyPrint could not load pango
        raise PdfUnavailable(
            f"服务器缺少生成PDF所需的系统库（pango），暂时无法导出PDF，请联系管理员安装（{exc}）。"
        ) from exc
    if missing:
        raise PdfUnavailable(
            f"服务器没有安装中文字体，PDF中的汉字会显示为方框，暂时无法导出PDF。"
            f"请联系管理员安装中文字体（{INSTALL_HINT}）后重试；Excel和Word格式不受影响。"
        )
