"""The PDF base template: running header, footer page numbers, DejaVu fonts."""

from __future__ import annotations

import subprocess

import pytest
from django.template import engines

from hubops import pdf


def pdf_text(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    pages = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout.split("\f")
    return [p for p in pages if p.strip()]


def test_two_page_document_has_header_footer_and_page_numbers(tmp_path, monkeypatch):
    template = engines["django"].from_string(
        """{% extends "pdf/base.html" %}
        {% block title %}Certificate list{% endblock %}
        {% block content %}<h1>Certificate list</h1>
        <table><thead><tr><th>Row</th><th>Name</th></tr></thead><tbody>
        {% for i in rows %}<tr><td>{{ i }}</td><td>Alex Fictional {{ i }}</td></tr>{% endfor %}
        </tbody></table>{% endblock %}"""
    )
    html = template.render({"hub": {"name": "Fictional Valley Maths Hub"}, "rows": range(80)})
    monkeypatch.setattr(pdf, "render_to_string", lambda name, ctx: html)
    data = pdf.render_pdf("unused.html", {})
    assert data.startswith(b"%PDF")
    pages = pdf_text(data, tmp_path)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Fictional Valley Maths Hub" in text
    # The title runs in the header from page 2, and the table header repeats.
    assert "Certificate list" in pages[1]
    assert "Row" in pages[1] and "Name" in pages[1]
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "out.pdf")], check=True, capture_output=True, text=True
    ).stdout
    assert "DejaVu" in fonts


@pytest.mark.django_db
def test_hub_name_comes_from_the_database_when_not_in_context(tmp_path):
    from tests.factories import HubFactory

    HubFactory(name="Fictional Coast Maths Hub")
    template = engines["django"].from_string(
        '{% extends "pdf/base.html" %}{% block content %}<h1>Letter</h1>{% endblock %}'
    )
    text = pdf_text(pdf.html_to_pdf(template.render({})), tmp_path)[0]
    assert "Fictional Coast Maths Hub" in text and "Page 1 of 1" in text


def test_every_pdf_is_pdf_ua_and_table_headers_carry_their_scope(tmp_path):
    import io

    import pikepdf

    from tests.pdfcheck import assert_accessible, structure_elements

    template = engines["django"].from_string(
        """{% extends "pdf/base.html" %}{% block title %}Scopes{% endblock %}
        {% block content %}<h1>Scopes</h1>
        <table><thead><tr><th>Phase</th><th>Schools</th></tr></thead>
        <tbody><tr><th>Primary</th><td>22</td></tr></tbody></table>
        <table><tr><th></th><th>On time</th><th>Late</th></tr>
        <tr><th>Acknowledged</th><td>1</td><td>0</td></tr></table>{% endblock %}"""
    )
    data = pdf.html_to_pdf(template.render({"hub": {"name": "Fictional Hub"}}))
    found = assert_accessible(data, title="Scopes")
    assert found["scopes"] == [
        "/Column", "/Column", "/Row",  # thead, then a body row's header
        "/Column", "/Column", "/Column", "/Row",  # a first row of headers only, then a row header
    ]  # fmt: skip
    with pikepdf.open(io.BytesIO(data)) as doc:
        names = doc.Root.StructTreeRoot.IDTree.Names
        ids = {bytes(names[i]) for i in range(0, len(names), 2)}
        for element in structure_elements(doc):
            if element.S == "/TD":
                for ref in element.A.Headers:
                    assert bytes(ref) in ids, "a cell's headers resolve through the ID tree"


def test_a_letter_never_hyphenates_a_reference(tmp_path):
    """Auto-hyphenation is for reports' narrative: a reference in a letter's text stays whole
    however the line falls (a reader copies it)."""
    import re
    import subprocess

    from hubops.pdf import html_to_pdf

    reference = "CMP-DEMO0006"
    words = " ".join(["Thank you for your complaint, which reached us."] * 3)
    html = (
        '<html lang="en-GB"><head><title>Letter</title><link rel="stylesheet" '
        'href="/static/hubops/css/print.css"></head><body>'
        + "".join(f"<p>{words[:n]} Your reference is {reference}.</p>" for n in range(40, 140, 7))
        + "</body></html>"
    )
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(html_to_pdf(html))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    # A line may break at the reference's own hyphen ("CMP-" / "DEMO0006"; pdftotext then
    # drops that hyphen as it joins the lines), never inside the code: "DE-" / "MO0006".
    assert not re.search(r"DE\w*-\n", text), "a reference was hyphenated"
    assert text.count("DEMO0006") == len(range(40, 140, 7))
