"""Independent checks of a PDF the hub makes: PDF/UA properties read from the file itself
(pikepdf for the catalogue and structure tree, pdffonts for the fonts) and its text read in
order with pdftotext, page by page."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import pikepdf


def structure_elements(pdf: pikepdf.Pdf) -> list:
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        element = stack.pop()
        kids = element.get("/K")
        if kids is None:
            continue
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        kids = [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]
        found.extend(kids)
        stack.extend(reversed(kids))
    return found


def _attribute(element, key: str):
    attributes = element.get("/A")
    if attributes is None:
        return None
    for a in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
        if isinstance(a, pikepdf.Dictionary) and key in a:
            return a[key]
    return None


def assert_accessible(data: bytes, *, title: str) -> dict:
    """Assert the PDF/UA properties a checker (and a screen reader) relies on; returns what it
    read (``scopes``: the scope of every table header cell, in order)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        assert bool(root.MarkInfo.Marked)
        assert str(root.Lang) == "en-GB"
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        assert title in str(pdf.docinfo.Title)
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
        elements = structure_elements(pdf)
        tags = [str(e.S) for e in elements]
        assert "/H1" in tags, "a document has a first-level heading"
        scopes = []
        for th in (e for e in elements if e.S == "/TH"):
            scope = _attribute(th, "/Scope")
            assert scope in (pikepdf.Name.Column, pikepdf.Name.Row, pikepdf.Name.Both), th
            scopes.append(str(scope))
        for figure in (e for e in elements if e.S == "/Figure"):
            assert str(figure.get("/Alt", "")).strip(), "every figure has a text alternative"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "doc.pdf")
        path.write_bytes(data)
        fonts = subprocess.run(
            ["pdffonts", str(path)], check=True, capture_output=True, text=True
        ).stdout.splitlines()[2:]
    assert fonts, "the text is in real fonts"
    for line in fonts:
        assert line.split()[-5] == "yes", f"font not embedded: {line}"
    return {"tags": tags, "scopes": scopes}


def page_texts(data: bytes, *, layout: bool = False) -> list[str]:
    """The text of each page, read in order (``pdftotext -f N -l N``)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "doc.pdf")
        path.write_bytes(data)
        info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
        pages = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
        texts = []
        for n in range(1, pages + 1):
            args = ["pdftotext", "-f", str(n), "-l", str(n)]
            if layout:
                args.append("-layout")
            texts.append(
                subprocess.run(
                    [*args, str(path), "-"], check=True, capture_output=True, text=True
                ).stdout
            )
        return texts


def in_order(text: str, *phrases: str) -> bool:
    """Whether ``phrases`` occur in ``text`` in this order (the reading order)."""
    position = 0
    for phrase in phrases:
        found = text.find(phrase, position)
        if found < 0:
            return False
        position = found + len(phrase)
    return True
