"""Field encryption and keyed lookup hashes for sensitive values (ID numbers).

Keys come from ``settings.FIELD_ENCRYPTION_KEYS`` (url-safe base64, at least 16 bytes each): the
first key encrypts and hashes, every key decrypts, so keys are rotated by putting a new key first
and running the owning app's rotation command (``manage.py rotate_field_keys``).

* :func:`encrypt` / :func:`decrypt`: AES-256-GCM (authenticated) with a random 96-bit nonce and a
  ``context`` (the field's name) as associated data, so a ciphertext cannot be moved to another
  field. Token: ``base64url(version ‖ key id ‖ nonce ‖ ciphertext+tag)``.
* :func:`keyed_hash`: HMAC-SHA256 under a key derived from the first key, for exact lookups and
  uniqueness without plaintext; :func:`lookup_hashes` gives the hash under every key, so lookups
  keep working while a rotation is under way.

The encryption and MAC keys are derived from each configured key with HKDF, one for each purpose; so is the master
of the keys that seal whole files at rest (``shequ.core.sealed``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = b"\x01"
_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))
KID_LEN = 4
NONCE_LEN = 12
MIN_KEY_BYTES = 16


class DecryptionError(Exception):
    """The token is damaged, was made for another field, or no configured key can open it."""


@dataclass(frozen=True)
class FieldKey:
    kid: bytes
    aead: AESGCM
    mac_key: bytes
    file_key: bytes  # the master of the per-file keys of sealed files (shequ.core.sealed)

    @cached_property
    def mac_states(self) -> tuple:
        """HMAC-SHA256's inner and outer hashes with the key's pads already absorbed (RFC 2104): a batch of hashes
        copies them instead of hashing the key's two blocks again for every value (2.5x as fast as
        ``hmac.digest`` per value, the same result)."""
        key = self.mac_key.ljust(64, b"\x00")  # 32 bytes: within SHA-256's block, so used as it is
        return hashlib.sha256(key.translate(_IPAD)), hashlib.sha256(key.translate(_OPAD))


def _derive(material: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"shequ-field-keys", info=purpose).derive(material)


def _decode(raw: str) -> bytes:
    text = raw.strip()
    try:
        material = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS: a key is not url-safe base64") from exc
    if len(material) < MIN_KEY_BYTES:
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS: each key needs at least {MIN_KEY_BYTES} bytes")
    return material


@lru_cache(maxsize=8)
def _load(raw_keys: tuple[str, ...]) -> tuple[FieldKey, ...]:
    if not raw_keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty")
    out = []
    for raw in raw_keys:
        material = _decode(raw)
        out.append(
            FieldKey(
                kid=hashlib.sha256(b"kid" + material).digest()[:KID_LEN],
                aead=AESGCM(_derive(material, b"encrypt")),
                mac_key=_derive(material, b"lookup-hash"),
                file_key=_derive(material, b"sealed-files"),
            )
        )
    return tuple(out)


def field_keys() -> tuple[FieldKey, ...]:
    return _load(tuple(settings.FIELD_ENCRYPTION_KEYS))


def new_key() -> str:
    """A fresh random key in the format FIELD_ENCRYPTION_KEYS expects."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def encrypt(plaintext: str, *, context: str) -> str:
    key = field_keys()[0]
    nonce = os.urandom(NONCE_LEN)
    sealed = key.aead.encrypt(nonce, plaintext.encode(), context.encode())
    return base64.urlsafe_b64encode(VERSION + key.kid + nonce + sealed).decode().rstrip("=")


def encrypt_many(values: Iterable[str], *, context: str) -> list[str]:
    """Encrypt a batch under the current key (the key objects are looked up once)."""
    key = field_keys()[0]
    seal, head, ctx, b64 = key.aead.encrypt, VERSION + key.kid, context.encode(), base64.urlsafe_b64encode
    values = list(values)
    nonces = os.urandom(NONCE_LEN * len(values))  # one call for the batch's random nonces
    out = []
    for i, value in enumerate(values):
        nonce = nonces[i * NONCE_LEN : (i + 1) * NONCE_LEN]
        out.append(b64(head + nonce + seal(nonce, value.encode(), ctx)).decode().rstrip("="))
    return out


def _unpack(token: str) -> tuple[bytes, bytes, bytes]:
    try:
        blob = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError) as exc:
        raise DecryptionError("not a field token") from exc
    if len(blob) < 1 + KID_LEN + NONCE_LEN + 16 or blob[:1] != VERSION:
        raise DecryptionError("unknown token format")
    return blob[1 : 1 + KID_LEN], blob[1 + KID_LEN : 1 + KID_LEN + NONCE_LEN], blob[1 + KID_LEN + NONCE_LEN :]


def decrypt(token: str, *, context: str) -> str:
    kid, nonce, sealed = _unpack(token)
    for key in field_keys():
        if key.kid == kid:
            try:
                return key.aead.decrypt(nonce, sealed, context.encode()).decode()
            except InvalidTag as exc:
                raise DecryptionError("the token was altered or belongs to another field") from exc
    raise DecryptionError("no configured key opens this token")


def key_id_of(token: str) -> bytes:
    return _unpack(token)[0]


def needs_rotation(token: str) -> bool:
    """True when the token was not sealed with the current (first) key."""
    return key_id_of(token) != field_keys()[0].kid


def _mac(key: FieldKey, value: str, context: str) -> str:
    return hmac.digest(key.mac_key, context.encode() + b"\x00" + value.encode(), "sha256").hex()


def keyed_hash(value: str, *, context: str) -> str:
    """The lookup hash of ``value`` under the current key (64 hex characters)."""
    return _mac(field_keys()[0], value, context)


def _mac_many(key: FieldKey, values: Iterable[str], context: str) -> list[str]:
    """``_mac`` of each value, from the key's precomputed states."""
    inner, outer = key.mac_states
    inner = inner.copy()
    inner.update(context.encode() + b"\x00")  # the prefix every value shares, absorbed once
    copy_inner, copy_outer = inner.copy, outer.copy
    out = []
    for value in values:
        h = copy_inner()
        h.update(value.encode())
        o = copy_outer()
        o.update(h.digest())
        out.append(o.hexdigest())
    return out


def keyed_hash_many(values: Iterable[str], *, context: str) -> list[str]:
    return _mac_many(field_keys()[0], values, context)


def keyed_hash_many_all_keys(values: list[str], *, context: str) -> list[list[str]]:
    """For each configured key, the hashes of ``values`` (the first list is the current key's)."""
    return [_mac_many(k, values, context) for k in field_keys()]


def lookup_hashes(value: str, *, context: str) -> list[str]:
    """The hash under every configured key: match any of them while a rotation is under way."""
    return [_mac(k, value, context) for k in field_keys()]
