"""The text of an uploaded plan: .docx, .txt (UTF-8 or GBK), .pdf with a text layer.

Old Word （.doc） and WPS files and scanned PDFs are refused with a message that says what to do instead.
"""

from __future__ import annotations

import io
import zipfile

MAX_BYTES = 10 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ExtractError(ValueError):
    """A document that cannot be read; the message is for the person who uploaded it."""


def _docx(data: bytes) -> str:
    import docx  # python-docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractError("无法读取该Word文件，文件可能已损坏。请另存为.docx后重试，或直接粘贴计划文字。") from exc
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iterchildren():
                        if cell.tag.endswith("}tc"):
                            cells.append("".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t")).strip())
                    lines.append(";".join(c for c in cells if c))
    return "\n".join(lines)


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractError("无法识别文本文件的编码，请保存为UTF-8或GBK编码后重试，或直接粘贴计划文字。")


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractError("该PDF文件已加密，无法读取文字。请提供未加密的文件，或直接粘贴计划文字。")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as exc:
        raise ExtractError("无法读取该PDF文件，文件可能已损坏。请直接粘贴计划文字。") from exc
    text = "\n".join(pages)
    if sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or ch.isalnum()) < 20:
        raise ExtractError(
            "该PDF没有可读取的文字层（可能是扫描件或图片）。请上传Word（.docx）版本，或直接粘贴计划文字。"
        )
    return text


def read_document(name: str, data: bytes) -> str:
    """The text of the uploaded file ``name``; :class:`ExtractError` with a Chinese message if it cannot be read."""
    lower = name.lower()
    if len(data) > MAX_BYTES:
        raise ExtractError("文件不能超过10MB。")
    if not data:
        raise ExtractError("文件是空的。")
    if lower.endswith((".doc", ".wps", ".et", ".dps")) or data.startswith(OLE_MAGIC):
        raise ExtractError("不支持旧版Word（.doc）或WPS格式。请在Word或WPS中“另存为”.docx后上传，或直接粘贴计划文字。")
    if lower.endswith(".docx"):
        return _docx(data)
    if lower.endswith(".pdf") or data.startswith(b"%PDF"):
        return _pdf(data)
    if lower.endswith((".txt", ".text", ".md")):
        return _text(data)
    raise ExtractError("只支持.docx、.txt、.pdf文件，或直接粘贴计划文字。")
