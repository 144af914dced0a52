"""The runbook as the person on call reads it: the page renders docs/RUNBOOK.md, escaped."""

from continuity import runbook


def test_the_markdown_subset_renders_and_escapes():
    html = runbook.render(
        "# Title\n\nSome **bold** and `code` <script>alert(1)</script>.\n\n"
        "1. First\n   continued\n2. Second\n\n- a\n- b\n\n```\nmanage.py restore <PATH>\n```\n"
    )
    assert '<h1 class="hub-heading-xl">Title</h1>' in html
    assert "<strong>bold</strong>" in html and "<code>code</code>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<li>First continued</li>" in html and "<ol" in html and "<ul" in html
    assert "<pre><code>manage.py restore &lt;PATH&gt;</code></pre>" in html


def test_the_runbook_covers_what_the_person_on_call_needs():
    text = runbook.path().read_text()
    for needle in (
        "72 hours",
        "Information Commissioner",
        "python manage.py backup --verify",
        "python manage.py restore",
        "SECRET_KEY",
        "HUBOPS_BACKUP_KEY",
        "HUBOPS_BACKUP_PREVIOUS_KEYS",
        "continuity/crypto.py decrypt",
        "handover_import",
    ):
        assert needle in text, needle
