"""One PDF renderer over WeasyPrint.

Templates extend ``pdf/base.html``, which links the print stylesheet (``@page`` rules, running
header and footer, page numbers). Static files are read from disk through the staticfiles
finders; nothing is fetched over the network.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

# Relative and root-relative URLs in a template resolve against this base, so "/static/x.css"
# arrives at the fetcher as "file:///static/x.css" and is looked up on disk.
_BASE_URL = "file:///"


class StaticFileFetcher(URLFetcher):
    """Serves ``/static/...`` from the staticfiles finders (or STATIC_ROOT) and ``data:`` URLs;
    refuses everything else, HTTP included."""

    def fetch(self, url: str, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if parts.scheme == "file" and parts.path.startswith(static_prefix):
            relative = unquote(parts.path[len(static_prefix) :])
            found = finders.find(relative)
            if not found and settings.STATIC_ROOT:
                candidate = Path(settings.STATIC_ROOT, relative).resolve()
                if candidate.is_relative_to(Path(settings.STATIC_ROOT).resolve()):
                    found = str(candidate) if candidate.exists() else None
            if found:
                return super().fetch(Path(found).resolve().as_uri(), headers)
        raise ValueError(f"PDFs may only use static files from disk, not {url!r}")


def render_pdf(
    template_name: str, context: dict[str, Any] | None = None, *, variant: str | None = None
) -> bytes:
    """Render a Django template to PDF bytes. ``variant="pdf/ua-1"`` declares PDF/UA
    (accessible, tagged PDF; the template must give the document a language and a title)."""
    html = render_to_string(template_name, context or {})
    return html_to_pdf(html, variant=variant)


def html_to_pdf(html: str, *, variant: str | None = None) -> bytes:
    document = HTML(string=html, base_url=_BASE_URL, url_fetcher=StaticFileFetcher())
    if variant:
        return document.write_pdf(pdf_variant=variant)
    return document.write_pdf(pdf_tags=True)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
