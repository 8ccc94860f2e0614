"""Punctuation as people type it: half- and full-width forms of the same mark mean the same."""

from __future__ import annotations

import re

# A list typed into one field: 无烟，控烟、戒烟 or 3,6,9 or 3、6、9 are all lists of three.
LIST_SEPARATORS = re.compile(r"[,，、;；]")


def split_list(text: str | None) -> list[str]:
    """The non-empty items of a typed list, stripped, whichever comma or enumeration mark separates them."""
    return [part.strip() for part in LIST_SEPARATORS.split(text or "") if part.strip()]
