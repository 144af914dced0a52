"""One PDF renderer over WeasyPrint.

Templates extend ``pdf/base.html``, which links the print stylesheet (``@page`` rules, running
header and footer, page numbers). Static files are read from disk through the staticfiles
finders; nothing is fetched over the network.

Every PDF is PDF/UA-1 (tagged, with a language, a title shown in the window's title bar, and
embedded fonts). WeasyPrint tags table header cells as TH but drops their scope, and writes
``/Headers`` references without the ID tree that resolves them; ``_complete_table_tags`` adds
both with pikepdf, so a screen reader can announce which header a cell belongs to.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pikepdf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

# Relative and root-relative URLs in a template resolve against this base, so "/static/x.css"
# arrives at the fetcher as "file:///static/x.css" and is looked up on disk.
_BASE_URL = "file:///"

PDF_UA = "pdf/ua-1"


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
    template_name: str, context: dict[str, Any] | None = None, *, variant: str = PDF_UA
) -> bytes:
    """Render a Django template to PDF bytes, PDF/UA by default (the template gives the document
    its language and a title; ``pdf/base.html`` does both)."""
    html = render_to_string(template_name, context or {})
    return html_to_pdf(html, variant=variant)


def html_to_pdf(html: str, *, variant: str = PDF_UA) -> bytes:
    document = HTML(string=html, base_url=_BASE_URL, url_fetcher=StaticFileFetcher())
    data = document.write_pdf(pdf_variant=variant) if variant else document.write_pdf(pdf_tags=True)
    return _complete_table_tags(data)


def _children(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    if isinstance(kids, pikepdf.Array):
        return [k for k in kids if isinstance(k, pikepdf.Dictionary)]
    return [kids] if isinstance(kids, pikepdf.Dictionary) else []


def _structure_elements(root) -> list:
    """Every structure element under ``root``, depth first (in reading order)."""
    found, stack = [], list(reversed(_children(root)))
    while stack:
        element = stack.pop()
        if "/S" not in element:
            continue  # a marked-content or object reference, not a structure element
        found.append(element)
        stack.extend(reversed(_children(element)))
    return found


def _scope_of(th) -> str:
    """Column for a header cell in THead or in a row made only of headers; Row otherwise
    (a header at the start of a body row, as ``<th scope="row">``)."""
    row = th.get("/P")
    section = row.get("/P") if row is not None else None
    if section is not None and section.get("/S") == "/THead":
        return "/Column"
    cells = _children(row) if row is not None else []
    if cells and all(cell.get("/S") == "/TH" for cell in cells):
        return "/Column"
    return "/Row"


def _complete_table_tags(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            return data
        ids = {}
        for element in _structure_elements(tree):
            if "/ID" in element:
                ids[bytes(element.ID)] = element
            if element.S != "/TH":
                continue
            attributes = element.get("/A")
            if isinstance(attributes, pikepdf.Array):
                table = next(
                    (
                        a
                        for a in attributes
                        if isinstance(a, pikepdf.Dictionary) and a.get("/O") == "/Table"
                    ),
                    None,
                )
                if table is None:
                    table = pikepdf.Dictionary(O=pikepdf.Name.Table)
                    attributes.append(table)
            elif isinstance(attributes, pikepdf.Dictionary) and attributes.get("/O") == "/Table":
                table = attributes
            else:
                table = pikepdf.Dictionary(O=pikepdf.Name.Table)
                element.A = table if attributes is None else pikepdf.Array([attributes, table])
            if "/Scope" not in table:
                table.Scope = pikepdf.Name(_scope_of(element))
        if ids and "/IDTree" not in tree:
            names = pikepdf.Array()
            for key in sorted(ids):
                names.append(pikepdf.String(key))
                names.append(ids[key])
            tree.IDTree = pdf.make_indirect(pikepdf.Dictionary(Names=names))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
