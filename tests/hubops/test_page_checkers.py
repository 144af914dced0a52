"""The checks the browser journeys run on every page can fail: the Nu HTML Checker reports a
real error, and passes a valid page."""

from __future__ import annotations

from tests.conftest import nu_check

VALID = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Fine</title></head>'
    "<body><main><h1>Fine</h1></main></body></html>"
)


def test_nu_checker_passes_a_valid_page_and_reports_an_invalid_one(tmp_path):
    assert nu_check([("http://hub.example/ok/", VALID)], tmp_path) == []
    broken = VALID.replace("<h1>Fine</h1>", '<input type="text" type="tel"><li>stray</li>')
    errors = nu_check([("http://hub.example/bad/", broken)], tmp_path)
    assert errors and all(e.startswith("http://hub.example/bad/") for e in errors)
    assert any("Duplicate attribute" in e for e in errors)
    assert any("li" in e for e in errors)
