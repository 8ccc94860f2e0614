"""Phone numbers at rest: encrypted like ID numbers, found through keyed hashes.

A person's phone is kept in three columns: ``phone_cipher`` (the authenticated encryption, ``shequ.core.crypto``),
``phone_hash`` (a keyed hash of the number's digits, for a search by the whole number) and ``phone_tail`` (a keyed
hash of its last four digits, cut to 16 hex characters, for a search by the last four). The digits hashed are the
number without spaces, dashes, brackets, a +86/0086 prefix or an extension, so 010-12345678, (010)12345678 and
01012345678 are one number. ``Person.phone`` reads and writes the plain number through these columns; bulk writers
(the import, the demo) compute them batched with :func:`columns_many`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from shequ.core import crypto

CONTEXT = "residents.person.phone"
TAIL_CONTEXT = "residents.person.phone_tail"
TAIL_DIGITS = 4
TAIL_HEX = 16
COLUMNS = ("phone_cipher", "phone_hash", "phone_tail")
EMPTY = {"phone_cipher": "", "phone_hash": "", "phone_tail": ""}

_SEPARATORS = re.compile(r"[\s()（）.\u3000]")
_EXTENSION_WORD = re.compile(r"(?:转|ext\.?|#)\s*\d{1,6}$", re.IGNORECASE)
_LANDLINE_EXTENSION = re.compile(r"^(0\d{2,3})-(\d{7,8})-\d{1,6}$")  # 010-12345678-123
_FULLWIDTH = str.maketrans("０１２３４５６７８９＋－", "0123456789+-")


def digits(phone: str | None) -> str:
    """The digits that identify a number: no separators, no country prefix, no extension ("" for none)."""
    if phone and phone.isascii() and phone.isdigit() and len(phone) != 13:
        return phone[4:] if phone.startswith("0086") else phone  # the common case: a number as stored
    text = _EXTENSION_WORD.sub("", (phone or "").translate(_FULLWIDTH).strip())
    compact = _SEPARATORS.sub("", text)
    landline = _LANDLINE_EXTENSION.match(compact)
    out = (landline[1] + landline[2]) if landline else compact.replace("-", "")
    if out.startswith("+86"):
        out = out[3:]
    elif out.startswith("0086"):
        out = out[4:]
    elif out.startswith("86") and len(out) == 13:
        out = out[2:]
    return out if out.isdigit() else ""


def columns(phone: str | None) -> dict[str, str]:
    """The stored columns of one number (all empty for none)."""
    return columns_many([phone])[0]


def columns_many(phones: Iterable[str | None]) -> list[dict[str, str]]:
    """The stored columns of many numbers at once: one key lookup, and each distinct last four hashed once."""
    values = [(p or "").strip() for p in phones]
    present = [i for i, v in enumerate(values) if v]
    out = [EMPTY for _ in values]
    if not present:
        return out
    texts = [values[i] for i in present]
    keys = [digits(t) or t for t in texts]
    ciphers = crypto.encrypt_many(texts, context=CONTEXT)
    hashes = crypto.keyed_hash_many(keys, context=CONTEXT)
    distinct = sorted({k[-TAIL_DIGITS:] for k in keys})
    tail_hashes = crypto.keyed_hash_many(distinct, context=TAIL_CONTEXT)
    tail_of = {t: h[:TAIL_HEX] for t, h in zip(distinct, tail_hashes, strict=True)}
    for i, cipher, hash_, key in zip(present, ciphers, hashes, keys, strict=True):
        out[i] = {"phone_cipher": cipher, "phone_hash": hash_, "phone_tail": tail_of[key[-TAIL_DIGITS:]]}
    return out


def decrypt(cipher: str) -> str:
    return crypto.decrypt(cipher, context=CONTEXT) if cipher else ""


def lookup_hashes(phone: str) -> list[str]:
    """The whole number's hash under every configured key ([] when the text has no digits)."""
    key = digits(phone)
    return crypto.lookup_hashes(key, context=CONTEXT) if key else []


def tail_lookup_hashes(last4: str) -> list[str]:
    """The hash of the last four digits under every configured key."""
    return [h[:TAIL_HEX] for h in crypto.lookup_hashes(last4, context=TAIL_CONTEXT)]


def same_number(phone: str | None, stored_hash: str) -> bool:
    """Whether ``phone`` is the number whose current-key hash is ``stored_hash``."""
    key = digits(phone) or (phone or "").strip()
    if not key:
        return not stored_hash
    return crypto.keyed_hash(key, context=CONTEXT) == stored_hash
