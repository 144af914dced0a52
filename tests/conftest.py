"""Shared fixtures: factories for the core models, "today", and the browser with axe-core."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from email import message_from_bytes, policy
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"  # public data the tests read; see tests/data/README.md
DEMO_GIAS = ROOT / "hubops" / "demo_data" / "gias"  # the GIAS samples the demo loads
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
def _catalogue_version_read_every_time(settings):
    """Tests change the catalogue behind its cache's back (``cache.clear()``, bulk loads), so
    each request reads the version; tests/workgroups/test_local_copies.py covers the second
    of trust a process gives it in production."""
    settings.HUBOPS_CATALOGUE_LOCAL_SECONDS = 0


@pytest.fixture(autouse=True)
def _account_read_every_time(settings):
    """Query counts must not depend on whether an earlier request left the account in the
    cache (on by default with Redis, off with the database cache): each request reads it.
    tests/hubops/test_account_cache.py turns the account cache on and covers it."""
    settings.HUBOPS_ACCOUNT_CACHE_SECONDS = 0


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


DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(scope="session", autouse=True)
def _a_redis_cache_database_per_xdist_worker(worker_id):
    """Under ``pytest -n``, with the cache in Redis (``CACHE_URL=redis://.../N``), worker
    ``gwK`` uses database N + K: tests empty the cache (``FLUSHDB``), and one worker's must not
    empty another's rate limits and pages mid-test. Serial runs (``make test``, ``.ci/run``)
    keep the configured database."""
    from django.conf import settings
    from django.test.utils import override_settings

    default = settings.CACHES["default"]
    location = str(default.get("LOCATION", ""))
    if worker_id == "master" or not location.startswith("redis://"):
        yield
        return
    server, _, number = location.rpartition("/")
    own = f"{server}/{(int(number or 0) + int(worker_id.removeprefix('gw'))) % 16}"
    with override_settings(CACHES={**settings.CACHES, "default": {**default, "LOCATION": own}}):
        yield


@pytest.fixture(autouse=True)
def _clear_cache(request):
    """The cache is the database cache (as in production without Redis): start each test that
    uses the database with it empty. Tests without the database cannot touch it."""
    from django.core.cache import cache

    if not (
        request.node.get_closest_marker("django_db") or DB_FIXTURES & set(request.fixturenames)
    ):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    cache.clear()
    yield
    cache.clear()


def _page_queries(captured: list[dict]) -> list[str]:
    """The queries a page made, without the cache's own (the embedded default cache is the
    database: its reads and writes, and the savepoints around them, are not the page's)."""
    from django.conf import settings

    table = settings.CACHES["default"].get("LOCATION", "")
    return [
        q["sql"]
        for q in captured
        if not (table and table in q["sql"])
        and not q["sql"].lstrip().upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


@contextmanager
def _assert_queries(config, num: int, exact: bool = True, info: str | None = None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        yield context
    queries = _page_queries(context.captured_queries)
    failed = len(queries) != num if exact else len(queries) > num
    if failed:
        msg = f"Expected to perform {num} queries {'' if exact else 'or less '}"
        msg += f"but {len(queries)} were done"
        if info:
            msg += f"\n{info}"
        if config.getoption("verbose") > 0:
            msg += "\n\nQueries:\n========\n\n" + "\n\n".join(queries)
        pytest.fail(msg)


@pytest.fixture
def django_assert_num_queries(pytestconfig):
    """pytest-django's, counting the page's queries and not the database cache's."""
    return partial(_assert_queries, pytestconfig)


@pytest.fixture
def django_assert_max_num_queries(pytestconfig):
    """pytest-django's, counting the page's queries and not the database cache's."""
    return partial(_assert_queries, pytestconfig, exact=False)


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
    page.wait_for_load_state("load")  # stylesheets applied: measure the page as it is shown
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


# -- a real SMTP server ----------------------------------------------------------------------


class SMTPCapture:
    """An aiosmtpd server on 127.0.0.1 that keeps every message it accepts. ``delay`` (seconds)
    slows each DATA reply, to catch a sender in the middle of a batch."""

    def __init__(self) -> None:
        self.messages: list = []
        self.delay = 0.0
        self._lock = threading.Lock()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    @property
    def host(self) -> str:
        return self.controller.hostname

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def wait_for(self, count: int, timeout: float = 30.0, check=None) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check is not None:
                check()
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.1)
        with self._lock:
            return list(self.messages)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server inside the suite (aiosmtpd, in a thread): ``smtp_server.messages`` are
    the parsed ``email.message.EmailMessage`` objects it accepted."""
    capture = SMTPCapture()
    capture.controller = Controller(capture, hostname="127.0.0.1", port=_free_port())
    capture.controller.start()
    try:
        yield capture
    finally:
        capture.controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    """Django's own SMTP backend pointed at the suite's SMTP server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    return smtp_server
