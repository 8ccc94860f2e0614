"""Media storage, whether a local folder (``MEDIA_ROOT``) or an S3-compatible object store (``MEDIA_S3_BUCKET``).

Code that stores or reads media goes through the storage API (``default_storage`` or a file field's storage), never
through ``MEDIA_ROOT`` paths, so that it works the same on both. Two things the storage API does not say:

* :func:`local_path`: where a name lies on this machine's disk, for the few writers that publish a finished file by
  renaming it into place; None on an object store, which stores a whole object in one step itself.
* :func:`open_stream`: a stored file opened to be sent, as a stream. django-storages' ``S3File`` copies the whole
  object into memory or a temporary file at its first read; a dossier of several gigabytes would be copied before
  its first byte went out, so an object's body is read as it arrives instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from django.core.files.storage import Storage


def local_path(storage: Storage, name: str) -> Path | None:
    """The path of ``name`` on this machine's disk, or None when ``storage`` keeps its files elsewhere."""
    try:
        return Path(storage.path(name))
    except NotImplementedError:
        return None


def open_stream(storage: Storage, name: str) -> tuple[IO[bytes], int]:
    """``name`` opened for reading from its start, and its size; FileNotFoundError when it is not stored."""
    if local_path(storage, name) is None:
        # boto3 is imported only where media lives on an object store.
        from storages.backends.s3 import S3Storage

        if isinstance(storage, S3Storage):
            return _s3_body(storage, name)
    return storage.open(name, "rb"), storage.size(name)


def _s3_body(storage, name: str) -> tuple[IO[bytes], int]:
    from botocore.exceptions import ClientError
    from storages.utils import clean_name

    try:
        got = storage.bucket.Object(storage._normalize_name(clean_name(name))).get()
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            raise FileNotFoundError(name) from exc
        raise
    return got["Body"], int(got["ContentLength"])
