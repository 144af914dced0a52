"""Shared fixtures: factories for the core models, "today", and the browser with axe-core."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The W3C Nu HTML Checker, from npm (package-lock.json); HUBOPS_VNU_JAR points elsewhere.
VNU_JAR = Path(
    os.environ.get("HUBOPS_VNU_JAR")
    or ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
# Pages anyone can reach: they must reflow at 320 CSS px (WCAG 1.4.10). Staff pages and the
# Django admin are desktop tools and are not held to it.
NOT_PUBLIC = ("/staff/", "/admin/")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be
# usable from it with live_server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need real row locks: skip them on SQLite, saying why."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL (set DATABASE_URL=postgres://...); CI runs it there"
    )
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Unit tests run tasks in-process; the integration tests start a real worker."""
    from hubops.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's cost is for production; tests would spend most of their time in it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shared_dir() -> Path:
    return SHARED


# -- browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as an inline script, which the site's Content-Security-Policy
    # (rightly) blocks; the CSP itself is asserted on the response headers in
    # tests/hubops/test_pages.py.
    return {**browser_context_args, "bypass_csp": True}


class AxeViolations(AssertionError):
    """axe-core found accessibility violations on the page."""


def check_axe(page) -> None:
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA) on the page and fail on any violation."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                             'wcag22aa', 'best-practice']}
        })"""
    )
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
    if violations:
        raise AxeViolations(f"{page.url}: {json.dumps(violations, indent=1)}")


class HtmlErrors(AssertionError):
    """The W3C Nu HTML Checker found errors in a page."""


class ReflowError(AssertionError):
    """A public page is wider than a 320 px window."""


def check_reflow(page) -> None:
    """At 320 CSS px wide the page must not scroll sideways (a table may, inside its own
    scrolling region)."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        width, culprits = page.evaluate(
            """() => {
                const doc = document.documentElement;
                const wide = [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > doc.clientWidth + 1)
                    .filter(e => !e.closest('.hub-table-wrapper'))
                    .slice(0, 5)
                    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                              + ' ' + (e.textContent || '').trim().slice(0, 40));
                return [doc.scrollWidth, wide];
            }"""
        )
    finally:
        page.set_viewport_size(size)
    if width > 320:
        raise ReflowError(f"{page.url} is {width} px wide at 320 px: {culprits}")


def nu_check(documents: list[tuple[str, str]], folder: Path) -> list[str]:
    """Run the Nu HTML Checker once over ``documents`` ((url, html) pairs); its errors."""
    from urllib.parse import unquote, urlsplit

    if not VNU_JAR.exists():
        raise HtmlErrors(f"{VNU_JAR} is missing: run `npm ci` (package-lock.json has vnu-jar)")
    java = shutil.which("java")
    if java is None:
        raise HtmlErrors("java is missing: run `scripts/ensure-system-deps.sh test`")
    pages = {}
    for n, (url, html) in enumerate(documents):
        path = (folder / f"page-{n}.html").resolve()
        path.write_text(html, encoding="utf-8")
        pages[str(path)] = url
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    return [
        f"{pages.get(unquote(urlsplit(m.get('url', '')).path), m.get('url'))}: "
        f"line {m.get('lastLine')}: {m['message']} [{(m.get('extract') or '').strip()[:80]}]"
        for m in report["messages"]
        if m.get("type") in ("error", "non-document-error")
    ]


class PageChecks:
    """``axe(page)``: axe-core on the page now, the 320 px reflow check on public pages, and
    the page's HTML kept for the Nu HTML Checker, run once over every page when the test ends."""

    def __init__(self) -> None:
        self.documents: list[tuple[str, str]] = []

    def __call__(self, page) -> None:
        self.documents.append((page.url, page.content()))
        if not urlsplit(page.url).path.startswith(NOT_PUBLIC):
            check_reflow(page)
        check_axe(page)


@pytest.fixture
def axe(tmp_path):
    """``axe(page)`` fails the test on any accessibility violation on the current page, on a
    public page wider than 320 px, and (when the test ends) on any error the W3C Nu HTML
    Checker finds in the pages checked."""
    checks = PageChecks()
    yield checks
    if checks.documents:
        errors = nu_check(checks.documents, tmp_path)
        if errors:
            raise HtmlErrors("\n".join(errors))
