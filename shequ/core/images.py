"""Uploaded images: checked by content (not by name), their size read from the header before anything is decoded,
resized, and re-encoded without EXIF (and so without location).

Every stored image goes through :func:`clean_image` (``shequ.core.uploads`` calls it for every field that takes
images: record photos and attachments, case files, residents' posts, plan attachments). Pillow reads an image's
width and height from its header when it is opened and decodes the pixels only when asked, so an image above
``IMAGE_MAX_PIXELS`` is refused before its pixels cost any memory, and a request may not bring more than
``IMAGE_MAX_PIXELS_PER_REQUEST`` pixels in all (:class:`PixelBudget`).
"""

from __future__ import annotations

import io
import threading
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_SIDE = 1920
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
DEFAULT_MAX_PIXELS = 50_000_000
# Pillow's own guard for any image opened anywhere (ledgers, charts): a warning above it, an error above twice it.
Image.MAX_IMAGE_PIXELS = DEFAULT_MAX_PIXELS


def max_pixels() -> int:
    return int(getattr(settings, "IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS))


def max_pixels_per_request() -> int:
    return int(getattr(settings, "IMAGE_MAX_PIXELS_PER_REQUEST", 160_000_000))


def _pixels_text(n: int) -> str:
    """Pixels as people say them: 5000万像素, 1.6亿像素."""
    return f"{n / 100_000_000:g}亿像素" if n >= 100_000_000 else f"{n // 10_000}万像素"


class PixelBudget:
    """The pixels the images of one request may have altogether: counted per thread while a request is served
    (:class:`PixelBudgetMiddleware`); outside a request only each image's own limit holds."""

    _local = threading.local()

    @classmethod
    def start(cls) -> None:
        cls._local.used = 0

    @classmethod
    def stop(cls) -> None:
        cls._local.used = None

    @classmethod
    def spend(cls, pixels: int, name: str) -> None:
        used = getattr(cls._local, "used", None)
        if used is None:
            return
        limit = max_pixels_per_request()
        if used + pixels > limit:
            raise ValidationError(
                f"“{name}”未能处理：本次上传的图片合计超过{_pixels_text(limit)}，请分几次上传或先缩小图片。"
            )
        cls._local.used = used + pixels


class PixelBudgetMiddleware:
    """Gives every request a fresh pixel budget."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        PixelBudget.start()
        try:
            return self.get_response(request)
        finally:
            PixelBudget.stop()


def header_pixels(upload) -> int:
    """The pixels of an image as its header says (0 when it is not an image Pillow knows); nothing is decoded."""
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as img:
                return img.width * img.height
    except Image.DecompressionBombError:
        return max_pixels() + 1
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return 0
    finally:
        upload.seek(0)


def check_total_pixels(uploads) -> None:
    """Refuse a batch of images whose headers add up to more than what is left of the request's budget, before any
    of them is decoded."""
    used = getattr(PixelBudget._local, "used", None)
    if used is None:
        return
    each = max_pixels()
    total = sum(p for p in (header_pixels(u) for u in uploads) if p <= each)  # larger ones are refused one by one
    limit = max_pixels_per_request()
    if used + total > limit:
        raise ValidationError(
            f"本次上传的图片合计有{_pixels_text(total)}，超过了每次{_pixels_text(limit)}的上限，"
            "请分几次上传或先缩小图片。"
        )


@dataclass
class CleanImage:
    content: ContentFile
    width: int
    height: int
    ext: str = "jpg"
    thumb: ContentFile | None = None


def clean_image(upload, *, max_side: int | None = MAX_SIDE, thumb_side: int | None = None) -> CleanImage:
    """Return a re-encoded JPEG/PNG without metadata (and, with ``thumb_side``, its thumbnail made from the same
    decoding), or raise a ValidationError in Chinese. ``max_side`` None keeps the image's size."""
    name = upload.name or "图片"
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"图片“{name}”超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB。")
    limit = max_pixels()

    def too_big(pixels: int | None = None) -> ValidationError:
        has = f"有{_pixels_text(pixels)}，" if pixels else ""
        return ValidationError(f"图片“{name}”{has}超过了{_pixels_text(limit)}的上限，请缩小后再上传。")

    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the limit is checked just below
            img = Image.open(upload)  # reads the header only: the size is known, no pixel is decoded yet
        fmt = img.format
    except Image.DecompressionBombError as exc:
        raise too_big() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(f"“{name}”不是有效的图片文件。") from exc
    try:
        if fmt not in ALLOWED_FORMATS:
            raise ValidationError(f"“{name}”的图片格式（{fmt}）不受支持，请上传JPG或PNG。")
        pixels = img.width * img.height
        if pixels > limit:
            raise too_big(pixels)
        PixelBudget.spend(pixels, name)
        try:
            img.verify()  # the structure, without decoding; verify() leaves the image unusable, so open again
            upload.seek(0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                img = Image.open(upload)
            if max_side and fmt == "JPEG":
                img.draft("RGB", (max_side, max_side))  # a JPEG decodes at a reduced scale when it will shrink
            img.load()
        except (OSError, SyntaxError, Image.DecompressionBombError, ValueError) as exc:
            raise ValidationError(f"“{name}”不是有效的图片文件。") from exc
        img = ImageOps.exif_transpose(img)  # keep the orientation, then drop every tag
        if max_side:
            img.thumbnail((max_side, max_side))
        keep_alpha = img.mode in {"RGBA", "LA", "P"} and fmt in {"PNG", "GIF", "WEBP"}
        img = img.convert("RGBA" if keep_alpha else "RGB")
        ext = "png" if keep_alpha else "jpg"
        stem = (upload.name or "photo").rsplit(".", 1)[0][:60] or "photo"
        content = ContentFile(_encode(img, keep_alpha), name=f"{stem}.{ext}")
        thumb = None
        if thumb_side:
            small = img.copy()
            small.thumbnail((thumb_side, thumb_side))
            thumb = ContentFile(_encode(small, keep_alpha), name=f"{stem}.{ext}")
        return CleanImage(content=content, width=img.width, height=img.height, ext=ext, thumb=thumb)
    finally:
        del img  # not close(): that would close the upload itself
        upload.seek(0)


def _encode(img: Image.Image, keep_alpha: bool) -> bytes:
    out = io.BytesIO()
    if keep_alpha:
        img.save(out, format="PNG", optimize=True)  # no exif=, no pnginfo=: nothing but the pixels is written
    else:
        img.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()
