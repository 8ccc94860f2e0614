"""Uploaded photos: checked by content (not by name), resized, stripped of EXIF (and so of location).

Every app that accepts photos (records, cases, residents' posts) calls :func:`clean_image`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_SIDE = 1920
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
Image.MAX_IMAGE_PIXELS = 60_000_000  # refuse decompression bombs


@dataclass
class CleanImage:
    content: ContentFile
    width: int
    height: int


def clean_image(upload, *, max_side: int = MAX_SIDE) -> CleanImage:
    """Return a re-encoded JPEG/PNG without metadata, or raise a ValidationError in Chinese."""
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"图片“{upload.name}”超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB。")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        img = Image.open(upload)
        fmt = img.format
        img.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(f"“{upload.name}”不是有效的图片文件。") from exc
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(f"“{upload.name}”的图片格式（{fmt}）不受支持，请上传JPG或PNG。")
    img = ImageOps.exif_transpose(img)  # keep the orientation, then drop every tag
    img.thumbnail((max_side, max_side))
    keep_alpha = img.mode in {"RGBA", "LA", "P"} and fmt in {"PNG", "GIF", "WEBP"}
    out = io.BytesIO()
    if keep_alpha:
        img = img.convert("RGBA")
        img.save(out, format="PNG", optimize=True)
        ext = "png"
    else:
        img = img.convert("RGB")
        img.save(out, format="JPEG", quality=85, optimize=True)
        ext = "jpg"
    stem = (upload.name or "photo").rsplit(".", 1)[0][:60] or "photo"
    return CleanImage(content=ContentFile(out.getvalue(), name=f"{stem}.{ext}"), width=img.width, height=img.height)
