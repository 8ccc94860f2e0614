"""Phone numbers at rest: encrypted like ID numbers, found through keyed hashes.

Every phone number a model keeps about a person (a resident's, an account's, a case reporter's or party's, a
guardian's, a landlord's, a lecturer's) is declared as ``phone = EncryptedPhone("联系电话")`` and kept in three
columns: ``<name>_cipher`` (the authenticated encryption, ``shequ.core.crypto``), ``<name>_hash`` (a keyed hash of
the number's digits, for a search by the whole number) and ``<name>_tail`` (a keyed hash of its last four digits, cut
to 16 hex characters, for a search by the last four). The digits hashed are the number without spaces, dashes,
brackets, a +86/0086 prefix or an extension, so 010-12345678, (010)12345678 and 01012345678 are one number. All
phones share one context, so a number hashes alike in every table (an account is found by its resident's number).
The attribute reads and writes the plain number through these columns; bulk writers (the import, the demo) compute
them batched with :func:`columns_many`. ``rotate_field_keys`` re-encrypts every declared phone (:func:`declared`);
migrations move a plain column in and out with :func:`encrypt_column` and :func:`decrypt_column`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models

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


def names(prefix: str = "phone") -> tuple[str, str, str]:
    """The three stored columns of the phone attribute ``prefix``: cipher, whole-number hash, last-four hash."""
    return (f"{prefix}_cipher", f"{prefix}_hash", f"{prefix}_tail")


def empty(prefix: str = "phone") -> dict[str, str]:
    return dict.fromkeys(names(prefix), "")


def columns(phone: str | None, prefix: str = "phone") -> dict[str, str]:
    """The stored columns of one number (all empty for none)."""
    return columns_many([phone], prefix)[0]


def columns_many(phones: Iterable[str | None], prefix: str = "phone") -> list[dict[str, str]]:
    """The stored columns of many numbers at once: one key lookup, and each distinct last four hashed once."""
    if prefix != "phone":
        keys = names(prefix)
        return [dict(zip(keys, c.values(), strict=True)) for c in columns_many(phones)]
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


def hash_q(field: str, phone: str | None) -> models.Q:
    """Rows whose phone attribute ``field`` is this number, however written (nobody for no number)."""
    hashes = lookup_hashes(phone or "")
    return models.Q(**{f"{field}_hash__in": hashes}) if hashes else models.Q(pk__in=[])


def masked(phone: str | None) -> str:
    """139****5678: what a list shows of a number to a reader who may not see it whole."""
    phone = phone or ""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else ("****" if phone else "")


# --- the model attribute -------------------------------------------------------------------------------------------

_DECLARED: list[tuple[type[models.Model], str]] = []


class EncryptedPhone(property):
    """A model attribute holding a plain phone number, kept in ``<name>_cipher``, ``<name>_hash`` and ``<name>_tail``
    (added to the model here). Reading decrypts once per stored value; writing an unchanged number keeps the stored
    cipher (a new nonce would look like a change); ``Model(name=…)`` works as for any property."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.name = ""
        super().__init__(self._get, self._set, doc=f"{label}（明文，经加密列读写）")

    def contribute_to_class(self, cls: type[models.Model], name: str) -> None:
        self.name = name
        cipher, hash_, tail = names(name)
        cls.add_to_class(cipher, models.TextField(f"{self.label}（密文）", blank=True, editable=False))
        cls.add_to_class(hash_, models.CharField(f"{self.label}（散列）", max_length=64, blank=True, editable=False))
        cls.add_to_class(
            tail, models.CharField(f"{self.label}末四位（散列）", max_length=16, blank=True, editable=False)
        )
        setattr(cls, name, self)
        if not cls._meta.abstract:
            _DECLARED.append((cls, name))

    def _get(self, instance: models.Model) -> str:
        cipher = instance.__dict__.get(f"{self.name}_cipher", "")
        cached = instance.__dict__.get(f"_{self.name}_plain")
        if cached is None or cached[0] != cipher:
            cached = (cipher, decrypt(cipher))
            instance.__dict__[f"_{self.name}_plain"] = cached
        return cached[1]

    def _set(self, instance: models.Model, value: str | None) -> None:
        value = (value or "").strip()
        if f"{self.name}_cipher" in instance.__dict__ and self._get(instance) == value:
            return
        for key, column in columns(value, self.name).items():
            setattr(instance, key, column)
        instance.__dict__[f"_{self.name}_plain"] = (getattr(instance, f"{self.name}_cipher"), value)


def declared() -> list[tuple[type[models.Model], str]]:
    """Every model attribute declared as an :class:`EncryptedPhone` (model, attribute name)."""
    return list(_DECLARED)


# --- migrations: a plain column in and out ---------------------------------------------------------------------------

BATCH = 2000


def encrypt_column(app_label: str, model_name: str, plain: str, prefix: str) -> Callable[..., None]:
    """A RunPython step: the plain column ``plain`` encrypted into ``prefix``'s three columns, in batches."""

    def run(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        last = 0
        while True:
            rows = list(
                model.objects.filter(pk__gt=last)
                .exclude(**{plain: ""})
                .exclude(**{f"{plain}__isnull": True})
                .order_by("pk")
                .values_list("pk", plain)[:BATCH]
            )
            if not rows:
                return
            last = rows[-1][0]
            filled = columns_many([p for _, p in rows], prefix)
            objs = [model(pk=pk, **cols) for (pk, _), cols in zip(rows, filled, strict=True)]
            model.objects.bulk_update(objs, list(names(prefix)), batch_size=500)

    return run


def decrypt_column(
    app_label: str, model_name: str, plain: str, prefix: str, *, max_length: int, empty_value: str | None = ""
) -> Callable[..., None]:
    """The reverse RunPython step: the numbers decrypted back into ``plain`` (cut to its length)."""

    def run(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        cipher = f"{prefix}_cipher"
        last = 0
        while True:
            rows = list(
                model.objects.filter(pk__gt=last)
                .exclude(**{cipher: ""})
                .order_by("pk")
                .values_list("pk", cipher)[:BATCH]
            )
            if not rows:
                return
            last = rows[-1][0]
            objs = [model(pk=pk, **{plain: decrypt(c)[:max_length] or empty_value}) for pk, c in rows]
            model.objects.bulk_update(objs, [plain], batch_size=500)

    return run
