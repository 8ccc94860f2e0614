"""Photos on paper: scaled-down JPEGs, numbered as figures (图1, 图2 …) that the table cells refer to."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from shequ.ledgers.declare import Photo
from shequ.ledgers.values import cn_date

FORM_PHOTOS = 4  # photos printed on an office form's page (the rest stay with the record)
MAX_SIDE = 640  # pixels: sharp at the printed size (about 8 cm wide at 200 dpi)


@dataclass
class Figure:
    number: int
    photo: Photo

    @property
    def caption(self) -> str:
        parts = [f"图{self.number}", cn_date(self.photo.on), self.photo.title]
        return "　".join(p for p in parts if p)


@dataclass
class Picture:
    data: bytes
    width: int
    height: int


def load(photo: Photo, max_side: int = MAX_SIDE) -> Picture | None:
    """The photo as a JPEG no larger than ``max_side``; None when the file is missing or unreadable."""
    try:
        with photo.file.open("rb") as fh, Image.open(fh) as img:
            img.draft("RGB", (max_side, max_side))  # a JPEG decodes at a fraction of its size: much faster
            rgb = img.convert("RGB")
            rgb.thumbnail((max_side, max_side))
            out = io.BytesIO()
            rgb.save(out, format="JPEG", quality=82)
            return Picture(out.getvalue(), rgb.width, rgb.height)
    except (OSError, ValueError):
        return None


def fit(picture: Picture, box_w: float, box_h: float) -> tuple[float, float]:
    """The largest size (same units as the box) that keeps the picture's proportions inside the box."""
    scale = min(box_w / picture.width, box_h / picture.height)
    return picture.width * scale, picture.height * scale


class Figures:
    """Collects the photos of a table as it is written, numbering them in order."""

    def __init__(self) -> None:
        self.items: list[Figure] = []

    def add(self, photos: Sequence[Photo] | int) -> str:
        """Number the row's photos; the text for the cell (图3、图4 or 图3–图6)."""
        if isinstance(photos, int):
            return f"{photos}张" if photos else ""
        first = len(self.items) + 1
        for photo in photos:
            self.items.append(Figure(len(self.items) + 1, photo))
        last = len(self.items)
        if last < first:
            return ""
        if last == first:
            return f"见图{first}"
        if last == first + 1:
            return f"见图{first}、图{last}"
        return f"见图{first}–图{last}"


def rows_of(items: Sequence[Figure], per_row: int) -> list[list[Figure]]:
    return [list(items[i : i + per_row]) for i in range(0, len(items), per_row)]
