"""Whole files sealed at rest with the field key ring (``shequ.core.crypto``): an uploaded file that holds personal
data (a residents roster) is stored only in this form and opened only into memory, a chunk at a time.

The format is a streaming AEAD in the manner of Tink's and age's: a header ``MAGIC ‖ key id ‖ salt ‖ chunk size``,
then the file in chunks of ``chunk size`` bytes, each sealed with AES-256-GCM under a key of its own file (HKDF of
the key ring's file master, the random salt and the ``context``), its nonce being the chunk's number and a flag on
the last chunk, and the header as associated data. A changed, reordered, truncated or extended file, or one sealed
for another context, fails to open. :func:`open_sealed` gives a seekable, buffered binary file that decrypts the
chunk a read needs: spreadsheets are read through it as they would be from disk, a csv as a stream at any size.

The key that sealed a file must stay in ``FIELD_ENCRYPTION_KEYS`` while the file is kept (sealed import files are
kept for days, see ``RESIDENTS_IMPORT_RETENTION_DAYS``).
"""

from __future__ import annotations

import io
import os
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from shequ.core.crypto import KID_LEN, DecryptionError, field_keys

MAGIC = b"SHQSEAL1"
SALT_LEN = 16
TAG_LEN = 16
CHUNK = 64 * 1024
HEADER_LEN = len(MAGIC) + KID_LEN + SALT_LEN + 4


def _file_aead(file_key: bytes, salt: bytes, context: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"shequ-sealed-file\x00" + context.encode())
    return AESGCM(key.derive(file_key))


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def seal(src: BinaryIO, dst: BinaryIO, *, context: str, chunk: int = CHUNK) -> int:
    """Write ``src`` (read to its end) sealed to ``dst``; return the number of plaintext bytes."""
    key = field_keys()[0]
    salt = os.urandom(SALT_LEN)
    header = MAGIC + key.kid + salt + chunk.to_bytes(4, "big")
    aead = _file_aead(key.file_key, salt, context)
    dst.write(header)
    index, total = 0, 0
    current = src.read(chunk)
    while True:
        following = src.read(chunk) if len(current) == chunk else b""
        last = not following
        dst.write(aead.encrypt(_nonce(index, last), current, header))
        total += len(current)
        if last:
            return total
        index, current = index + 1, following


def is_sealed(fh: BinaryIO) -> bool:
    """True when ``fh`` (at its start) is a sealed file; the position is left at the start."""
    head = fh.read(len(MAGIC))
    fh.seek(0)
    return head == MAGIC


class SealedReader(io.RawIOBase):
    """The plaintext of a sealed file, read and sought like any binary file; ``size`` is its length."""

    def __init__(self, fh: BinaryIO, *, context: str):
        super().__init__()
        self._fh = fh
        fh.seek(0)
        header = fh.read(HEADER_LEN)
        if len(header) != HEADER_LEN or not header.startswith(MAGIC):
            raise DecryptionError("not a sealed file")
        kid = header[len(MAGIC) : len(MAGIC) + KID_LEN]
        salt = header[len(MAGIC) + KID_LEN : len(MAGIC) + KID_LEN + SALT_LEN]
        self._chunk = int.from_bytes(header[-4:], "big")
        key = next((k for k in field_keys() if k.kid == kid), None)
        if key is None or self._chunk <= 0:
            raise DecryptionError("no configured key opens this file")
        self._aead = _file_aead(key.file_key, salt, context)
        self._header = header
        fh.seek(0, io.SEEK_END)
        body = fh.tell() - HEADER_LEN
        step = self._chunk + TAG_LEN
        self._count = -(-body // step)
        if self._count == 0 or body - (self._count - 1) * step < TAG_LEN:
            raise DecryptionError("the sealed file was cut short")
        self.size = body - self._count * TAG_LEN
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None

    def _plain(self, index: int) -> bytes:
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        step = self._chunk + TAG_LEN
        self._fh.seek(HEADER_LEN + index * step)
        sealed = self._fh.read(step)
        try:
            plain = self._aead.decrypt(_nonce(index, index == self._count - 1), sealed, self._header)
        except InvalidTag as exc:
            raise DecryptionError("the sealed file was altered, or belongs to another context") from exc
        self._cached = (index, plain)
        return plain

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._pos >= self.size:
            return 0
        index, offset = divmod(self._pos, self._chunk)
        plain = self._plain(index)
        n = min(len(buffer), len(plain) - offset)
        buffer[:n] = plain[offset : offset + n]
        self._pos += n
        return n

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        if not self.closed:
            self._cached = None
            self._fh.close()
        super().close()


def open_sealed(fh: BinaryIO, *, context: str) -> io.BufferedReader:
    """A buffered binary file over the plaintext of the sealed ``fh`` (closing it closes ``fh``)."""
    return io.BufferedReader(SealedReader(fh, context=context), buffer_size=CHUNK)
