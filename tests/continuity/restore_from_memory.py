"""Restore from a bucket in a fresh hubops process (``python -m
tests.continuity.restore_from_memory ARCHIVE_FILE``), as an operator on a new server would.

There is no S3 server here (and a hand-written stand-in would prove nothing), so Django's
InMemoryStorage plays both buckets: the archive's bytes are put into it as
``STORAGES["backups"]``, ``restore <its reference>`` reads it from there, and the media are
restored into another InMemoryStorage as ``STORAGES["default"]``. Prints the snapshot as JSON,
with what ``restore`` printed."""

from __future__ import annotations

import json
import sys
from io import StringIO
from pathlib import Path

MEMORY = {"BACKEND": "django.core.files.storage.InMemoryStorage"}

if __name__ == "__main__":
    import django

    django.setup()

    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from django.core.management import call_command
    from django.test.utils import override_settings

    from continuity import storage

    from .snapshot import snapshot

    override_settings(STORAGES={**settings.STORAGES, "default": MEMORY, "backups": MEMORY}).enable()
    archive = Path(sys.argv[1])
    backups = storages["backups"]
    backups.save(archive.name, ContentFile(archive.read_bytes()))
    out = StringIO()
    call_command("restore", storage.reference(backups, archive.name), stdout=out)
    json.dump({"restore": out.getvalue(), **snapshot()}, sys.stdout)
