"""The S3 media storage, with links handed out on the public address.

django-storages signs a link for the endpoint it talks to (``AWS_S3_ENDPOINT_URL``). In
docker-compose that is ``http://minio:9000``, which only the containers can reach; browsers
reach the hub's own address, where the proxy forwards ``/<bucket>/...`` to MinIO with the
``Host`` the link was signed for. So the link keeps its path and signature and gets the
public scheme and host (``HUBOPS_MEDIA_PUBLIC_URL``). With Amazon S3, leave that unset.

Imported only when the settings choose it (it imports boto3).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from storages.backends.s3 import S3Storage


class MediaStorage(S3Storage):
    def __init__(self, *, public_url: str | None = None, **kwargs: Any) -> None:
        self.public_url = public_url or None
        super().__init__(**kwargs)

    def url(
        self,
        name: str,
        parameters: Any = None,
        expire: Any = None,
        http_method: Any = None,
    ) -> str:
        signed = super().url(name, parameters, expire, http_method)
        if not self.public_url:
            return signed
        public, link = urlsplit(self.public_url), urlsplit(signed)
        return urlunsplit((public.scheme, public.netloc, link.path, link.query, link.fragment))
