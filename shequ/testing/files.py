"""Files made in memory for the upload tests: real documents of each kind, and impostors that only carry the name."""

from __future__ import annotations

import functools
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

W = "application/vnd.openxmlformats-officedocument"
MAIN_TYPES = {
    "docx": f"{W}.wordprocessingml.document.main+xml",
    "xlsx": f"{W}.spreadsheetml.sheet.main+xml",
    "pptx": f"{W}.presentationml.presentation.main+xml",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>'
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def ooxml(kind: str) -> bytes:
    """A minimal Word/Excel/PowerPoint package: a zip whose [Content_Types].xml names the main part of ``kind``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/main.xml" ContentType="{MAIN_TYPES[kind]}"/></Types>',
        )
        z.writestr("main.xml", "<x/>")
    return buf.getvalue()


def plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    return buf.getvalue()


def image_bytes(size=(64, 48), fmt: str = "JPEG", gps: bool = False, mode: str = "RGB") -> bytes:
    img = Image.new(mode, size, (200, 60, 60) if mode == "RGB" else None)
    kwargs = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (30.0, 35.0, 0.0), 3: "E", 4: (104.0, 4.0, 0.0)}  # GPS IFD
        kwargs["exif"] = exif
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kwargs)
    return buf.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@functools.lru_cache(maxsize=2)
def huge_png(width: int = 10_000, height: int = 10_000) -> bytes:
    """A valid black-and-white PNG of ``width`` × ``height`` pixels that weighs a few kilobytes (all zeros
    compress to nothing): the decompression bomb of a post full of 100-megapixel images."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" * (1 + (width + 7) // 8)
    raw = zlib.compress(row * height, 9)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, grayscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
