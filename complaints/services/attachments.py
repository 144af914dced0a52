"""Files people send: the real type read from the content, stored under a random name."""

from __future__ import annotations

import io
import re
import secrets
import zipfile

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from hubops.pdf import sha256_hex

from ..models import Attachment, Complaint
from ..workflow import ComplaintError

SNIFFED_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain",
}
_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
)


def _docx(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    return "docx" if "word/document.xml" in names and "[Content_Types].xml" in names else None


def _text(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\x00" in text or any(ord(ch) < 9 for ch in text):
        return None
    return "txt"


def sniff(data: bytes) -> str | None:
    """The file's real type from its content (the name and the browser's word are ignored)."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        return _docx(data)
    return _text(data) if data else None


def attachment_store(
    *, data: bytes, original_name: str, complaint: Complaint | None = None, draft_key: str = ""
) -> Attachment:
    """Keep a file for a complaint (or for a form not yet sent, under ``draft_key``)."""
    kind = sniff(data)
    if kind is None:
        raise ComplaintError("The file must be a PDF, PNG, JPEG, Word (.docx) or text file.")
    name = default_storage.save(
        f"complaints/attachments/{secrets.token_hex(16)}.{kind}", ContentFile(data)
    )
    safe_name = re.sub(r"[^\w .()-]", "_", (original_name or "file").rsplit("/", 1)[-1])[:200]
    return Attachment.objects.create(
        complaint=complaint,
        draft_key=draft_key,
        file=name,
        original_name=safe_name or "file",
        content_type=SNIFFED_TYPES[kind],
        size=len(data),
        sha256=sha256_hex(data),
    )


#: The name other apps' tests and the access matrix use.
store_attachment = attachment_store
