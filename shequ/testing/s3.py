"""Media on an S3-compatible store in tests: moto's S3 server on a free loopback port, spoken to over real HTTP by
django-storages with the storage settings production uses (``shequ.settings.s3_media_storage``), in place of the
MinIO, Ceph or cloud store of a deployment.

The ``s3_media`` fixture (conftest.py) gives each test a bucket of its own and points the default storage at it;
``MEDIA_ROOT`` is set to an empty folder so that a test can check that nothing was written to the local disk.
"""

from __future__ import annotations

import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REGION = "us-east-1"
# moto accepts any key; these keep boto3 from looking for real ones.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "shequ-test", "AWS_SECRET_ACCESS_KEY": "shequ-test-secret"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server() -> Iterator[str]:
    """moto's S3 server in a thread of this process; its endpoint URL."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        moto.stop()


@dataclass
class S3Media:
    endpoint: str
    bucket: str
    media_root: Path

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )

    def create(self) -> None:
        self.client().create_bucket(Bucket=self.bucket)

    def storage(self) -> dict:
        from shequ.settings import s3_media_storage

        return s3_media_storage(self.bucket, endpoint_url=self.endpoint, region=REGION, addressing_style="path")

    def env(self) -> dict[str, str]:
        """The environment a child process (``manage.py``, the kill -9 tests' child) needs to use the bucket."""
        return {
            **CREDENTIALS,
            "MEDIA_S3_BUCKET": self.bucket,
            "MEDIA_S3_ENDPOINT_URL": self.endpoint,
            "MEDIA_S3_REGION": REGION,
            "MEDIA_S3_ADDRESSING_STYLE": "path",
        }

    def object_keys(self, prefix: str = "") -> list[str]:
        """Every object's key under ``prefix``, read from the server itself."""
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        return sorted(o["Key"] for page in pages for o in page.get("Contents", ()))

    def body(self, key: str) -> bytes:
        return self.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def local_files(self) -> list[Path]:
        """Whatever was written under ``MEDIA_ROOT`` (nothing should be, media being on the store)."""
        return sorted(p for p in self.media_root.rglob("*") if p.is_file()) if self.media_root.exists() else []


def new_bucket(endpoint: str, media_root: Path) -> S3Media:
    media = S3Media(endpoint=endpoint, bucket=f"shequ-{secrets.token_hex(6)}", media_root=media_root)
    media.create()
    return media
