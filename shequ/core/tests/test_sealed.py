"""Files sealed at rest: the plaintext comes back only whole and unaltered, under the context it was sealed for."""

from __future__ import annotations

import io
import os

import pytest

from shequ.core import crypto, sealed


def _seal(data: bytes, context: str = "residents.import", chunk: int = 1024) -> bytes:
    out = io.BytesIO()
    assert sealed.seal(io.BytesIO(data), out, context=context, chunk=chunk) == len(data)
    return out.getvalue()


def _open(blob: bytes, context: str = "residents.import") -> io.BufferedReader:
    return sealed.open_sealed(io.BytesIO(blob), context=context)


@pytest.mark.parametrize("size", [0, 1, 1023, 1024, 1025, 4096, 10_000])
def test_what_was_sealed_reads_back_whole_and_by_seeking(size):
    data = os.urandom(size)
    blob = _seal(data)
    assert size < 64 or data[:64] not in blob
    reader = _open(blob)
    assert reader.raw.size == size and reader.read() == data
    reader.seek(size // 3)
    assert reader.read(700) == data[size // 3 : size // 3 + 700]


def test_two_seals_of_one_file_differ():
    data = b"110105194912310021" * 100
    assert _seal(data) != _seal(data)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-1],  # cut short
        lambda b: b[: sealed.HEADER_LEN + 1040],  # a whole chunk dropped at the end
        lambda b: b[:100] + bytes([b[100] ^ 1]) + b[101:],  # a bit flipped
        lambda b: (
            b[: sealed.HEADER_LEN] + b[sealed.HEADER_LEN + 1040 : sealed.HEADER_LEN + 2080] + b[sealed.HEADER_LEN :]
        ),
    ],
)
def test_an_altered_file_does_not_open(damage):
    blob = damage(_seal(os.urandom(3000)))
    with pytest.raises(crypto.DecryptionError):
        _open(blob).read()


def test_a_file_sealed_for_another_purpose_does_not_open():
    with pytest.raises(crypto.DecryptionError):
        _open(_seal(b"secret"), context="cases.files").read()


def test_a_file_sealed_under_an_old_key_opens_while_that_key_is_kept(settings):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    blob = _seal(b"roster")
    settings.FIELD_ENCRYPTION_KEYS = [crypto.new_key(), old]
    assert _open(blob).read() == b"roster"
    settings.FIELD_ENCRYPTION_KEYS = [crypto.new_key()]
    with pytest.raises(crypto.DecryptionError):
        _open(blob)
