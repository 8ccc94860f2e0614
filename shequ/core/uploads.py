"""Uploaded files: checked by content against the allow-list of the field they are given to, stored under random
names, and served only by views that found the object through its model's ``visible_to`` door.

* :func:`check_uploads` tells each file's kind from its bytes (images through Pillow, PDF by its header, Word,
  Excel and PowerPoint files as zip packages whose ``[Content_Types].xml`` names the right main part, the old
  Office and WPS formats as OLE compound files, text as text …), never from its name alone: a file is accepted
  only when its name's extension is on the field's list and its content is of that kind. Images are re-encoded
  without metadata (``shequ.core.images``). Errors are Chinese and name the file.
* :func:`random_name` is the ``upload_to`` of every file field: ``<prefix>/2026/03/<32 random hex>.<ext>``, the
  extension being the kind the content was found to be. The name the user gave is kept on the row for display.
* :func:`serve` answers a stored file: images (which Shequ re-encoded) inline, everything else as an attachment
  under its Chinese name (RFC 5987), always with ``X-Content-Type-Options: nosniff``, streamed from the storage
  (``shequ.core.media.open_stream``). Media has no URL of its own, on a local folder or in a private bucket.
"""

from __future__ import annotations

import codecs
import secrets
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.http import FileResponse
from django.utils import timezone

from shequ.core.images import MAX_SIDE, CleanImage, check_total_pixels, clean_image
from shequ.core.media import open_stream

HEAD_BYTES = 64 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_ZIP_MEMBERS = 10_000
MAX_CONTENT_TYPES_BYTES = 1024 * 1024


# --- kinds ------------------------------------------------------------------------------------------------------


def _ooxml(main_type: str) -> Callable[[bytes, Any], bool]:
    """A zip package whose ``[Content_Types].xml`` declares ``main_type`` (the main part of a docx, xlsx, pptx)."""

    def check(head: bytes, fh) -> bool:
        return head.startswith(ZIP_MAGIC) and main_type.encode() in _zip_member(fh, "[Content_Types].xml")

    return check


def _zip_member(fh, name: str) -> bytes:
    try:
        fh.seek(0)
        with zipfile.ZipFile(fh) as package:
            infos = package.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                return b""
            for info in infos:
                if info.filename == name and info.file_size <= MAX_CONTENT_TYPES_BYTES:
                    return package.read(info)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return b""
    finally:
        fh.seek(0)
    return b""


def _zip_has(name: str) -> Callable[[bytes, Any], bool]:
    def check(head: bytes, fh) -> bool:
        if not head.startswith(ZIP_MAGIC):
            return False
        try:
            fh.seek(0)
            with zipfile.ZipFile(fh) as package:
                return name in package.namelist()[:MAX_ZIP_MEMBERS]
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            fh.seek(0)

    return check


def _ole(head: bytes, fh) -> bool:
    return head.startswith(OLE_MAGIC)


def _pdf(head: bytes, fh) -> bool:
    return head.startswith(b"%PDF-")


def _text(head: bytes, fh) -> bool:
    """Plain text in UTF-8 (with or without BOM), UTF-16 with its BOM, or GB18030: no control bytes but blanks."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            codecs.getincrementaldecoder("utf-16")().decode(head, final=False)
        except UnicodeDecodeError:
            return False
        return True
    if any(b < 0x20 and b not in (0x09, 0x0A, 0x0D, 0x0C) for b in head):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _mp3(head: bytes, fh) -> bool:
    return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


def _mp4(head: bytes, fh) -> bool:
    return head[4:8] == b"ftyp"


@dataclass(frozen=True)
class Kind:
    """A kind of file: the extension it is stored under, the names users give it, how its content is recognised."""

    ext: str
    label: str
    content_type: str
    check: Callable[[bytes, Any], bool] | None  # None: an image, recognised (and re-encoded) by Pillow
    aliases: tuple[str, ...] = ()

    @property
    def image(self) -> bool:
        return self.check is None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.ext, *self.aliases)


_W = "application/vnd.openxmlformats-officedocument"
_P = f"{_W}.presentationml"
KINDS: dict[str, Kind] = {
    k.ext: k
    for k in (
        Kind("jpg", "JPG图片", "image/jpeg", None, ("jpeg",)),
        Kind("png", "PNG图片", "image/png", None),
        Kind("gif", "GIF图片", "image/gif", None),
        Kind("webp", "WebP图片", "image/webp", None),
        Kind("pdf", "PDF", "application/pdf", _pdf),
        Kind("docx", "Word", f"{_W}.wordprocessingml.document", _ooxml(f"{_W}.wordprocessingml.document.main+xml")),
        Kind("xlsx", "Excel", f"{_W}.spreadsheetml.sheet", _ooxml(f"{_W}.spreadsheetml.sheet.main+xml")),
        Kind("pptx", "PowerPoint", f"{_P}.presentation", _ooxml(f"{_P}.presentation.main+xml")),
        Kind("doc", "Word（97-2003）", "application/msword", _ole),
        Kind("xls", "Excel（97-2003）", "application/vnd.ms-excel", _ole),
        Kind("ppt", "PowerPoint（97-2003）", "application/vnd.ms-powerpoint", _ole),
        Kind("wps", "WPS文字", "application/vnd.ms-works", _ole),
        Kind("et", "WPS表格", "application/vnd.ms-excel", _ole),
        Kind("dps", "WPS演示", "application/vnd.ms-powerpoint", _ole),
        Kind("ofd", "OFD", "application/ofd", _zip_has("OFD.xml")),
        Kind("txt", "文本", "text/plain; charset=utf-8", _text),
        Kind("csv", "CSV", "text/csv; charset=utf-8", _text),
        Kind("mp3", "MP3音频", "audio/mpeg", _mp3),
        Kind("mp4", "MP4视频", "video/mp4", _mp4),
    )
}
BY_NAME: dict[str, Kind] = {name: k for k in KINDS.values() for name in k.names}
IMAGES = frozenset({"jpg", "png", "gif", "webp"})
OFFICE = frozenset({"pdf", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "wps", "et", "dps", "ofd", "txt"})
# The kinds a browser may show inline: images Shequ re-encoded itself. Everything else is an attachment.
INLINE = frozenset({"jpg", "png", "gif", "webp"})
FALLBACK_TYPE = "application/octet-stream"


def _allowed_text(allowed: Iterable[str]) -> str:
    return "、".join(name for ext in sorted(allowed) for name in KINDS[ext].names)


def extension_of(name: str) -> str:
    return PurePosixPath(name or "").suffix.lower().lstrip(".")


# --- checking ---------------------------------------------------------------------------------------------------


@dataclass
class Checked:
    """An upload that passed: what to store (the file itself, or the re-encoded image), under which extension, and
    the name the user gave it (for display and download)."""

    name: str
    kind: Kind
    content: File
    size: int
    image: CleanImage | None = None

    @property
    def stored_name(self) -> str:
        """The name handed to the storage: only its extension is kept (see :func:`random_name`)."""
        return f"upload.{self.image.ext if self.image else self.kind.ext}"


def display_name(name: str, limit: int = 200) -> str:
    """The user's own file name without any folder part, cut to ``limit`` keeping its extension."""
    base = PurePosixPath((name or "").replace("\\", "/")).name.strip() or "附件"
    if len(base) <= limit:
        return base
    suffix = PurePosixPath(base).suffix[:12]
    return base[: limit - len(suffix)] + suffix


def check_upload(
    upload,
    *,
    allowed: frozenset[str],
    max_bytes: int,
    image_side: int | None = MAX_SIDE,
    thumb_side: int | None = None,
) -> Checked:
    """Check one upload against ``allowed`` (extensions of :data:`KINDS`); raise a Chinese ValidationError.

    An image is re-encoded without metadata (``image_side`` bounds its longer side; with ``thumb_side`` a thumbnail
    is made from the same decoding)."""
    name = display_name(upload.name)
    size = upload.size or 0
    kind = BY_NAME.get(extension_of(name))
    if kind is None or kind.ext not in allowed:
        raise ValidationError(f"“{name}”的文件类型不允许上传（允许：{_allowed_text(allowed)}）。")
    if size == 0:
        raise ValidationError(f"“{name}”是空文件。")
    if size > max_bytes:
        raise ValidationError(f"“{name}”超过{max_bytes // 1024 // 1024}MB。")
    if kind.image:
        image = clean_image(upload, max_side=image_side, thumb_side=thumb_side)
        found = KINDS[image.ext]
        return Checked(name=name, kind=found, content=image.content, size=image.content.size, image=image)
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if kind.check is None or not kind.check(head, upload):
        raise ValidationError(f"“{name}”的内容不是{kind.label}文件（与扩展名不符），请检查后重新上传。")
    upload.seek(0)
    return Checked(name=name, kind=kind, content=upload, size=size)


def check_uploads(
    uploads: Sequence,
    *,
    allowed: frozenset[str],
    max_bytes: int,
    max_count: int | None = None,
    field: str | None = None,
    image_side: int | None = MAX_SIDE,
    thumb_side: int | None = None,
) -> list[Checked]:
    """Check every upload before anything is written; all problems are reported at once, by file."""
    uploads = [u for u in uploads or () if u]

    def fail(messages: list[str]) -> ValidationError:
        return ValidationError({field: messages}) if field else ValidationError(messages)

    if max_count is not None and len(uploads) > max_count:
        raise fail([f"一次最多上传{max_count}个文件。"])
    images = [u for u in uploads if (k := BY_NAME.get(extension_of(u.name))) is not None and k.image]
    try:
        check_total_pixels(images)
    except ValidationError as exc:
        raise fail(exc.messages) from exc
    out, errors = [], []
    for upload in uploads:
        try:
            out.append(
                check_upload(upload, allowed=allowed, max_bytes=max_bytes, image_side=image_side, thumb_side=thumb_side)
            )
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise fail(errors)
    return out


# --- naming -----------------------------------------------------------------------------------------------------


def random_name(prefix: str, filename: str) -> str:
    """``<prefix>/2026/03/<128 random bits in hex>.<ext>``: nothing of the user's name, nothing to guess."""
    ext = "".join(c for c in extension_of(filename) if c.isascii() and c.isalnum())[:8] or "bin"
    return f"{prefix}/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}.{ext}"


# --- serving ----------------------------------------------------------------------------------------------------


def content_disposition(disposition: str, name: str) -> str:
    """``attachment; filename="ascii fallback"; filename*=UTF-8''<the Chinese name>`` (RFC 6266 and RFC 5987)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in name) or "file"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def serve(file, *, name: str, inline_images: bool = True, cache: str = "private, max-age=3600") -> FileResponse:
    """The stored ``file`` as a response. Only images go inline; every other kind (and any file stored before the
    checks existed, whatever its name says) is an attachment under ``name`` with its extension, never sniffed."""
    ext = extension_of(file.name)
    kind = KINDS.get(ext)
    inline = inline_images and ext in INLINE
    download = display_name(name)
    if ext and extension_of(download) != ext:
        download = f"{download}.{ext}"
    stream, size = open_stream(file.storage, file.name)
    response = FileResponse(stream, content_type=kind.content_type if kind else FALLBACK_TYPE)
    response["Content-Length"] = str(size)
    response["Content-Disposition"] = content_disposition("inline" if inline else "attachment", download)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    if not inline:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
