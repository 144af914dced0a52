"""Run the hub: the web server (gunicorn), a Celery worker and Celery beat, as children of this
process. Ctrl-C (SIGINT) or SIGTERM stops all three; if one of them exits, the others are
stopped too and the exit status says so.

Used by ``make run``; run it with the virtualenv's Python from the repository root:

    .venv/bin/python scripts/runhub.py [--host 127.0.0.1] [--port 8000]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEMO_PASSWORD = "demo-password-1"  # noqa: S105 - the demo hub's published password
STOP_GRACE_SECONDS = 15


def commands(host: str, port: int) -> dict[str, list[str]]:
    return {
        "web": [
            str(BIN / "gunicorn"),
            "hubops.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            os.environ.get("WEB_CONCURRENCY", "2"),
            "--access-logfile",
            "-",
            # One socket per user's home would clash between two hubs on one machine.
            "--no-control-socket",
        ],
        "worker": [
            str(BIN / "celery"),
            "-A",
            "hubops",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            os.environ.get("CELERY_CONCURRENCY", "2"),
        ],
        "beat": [str(BIN / "celery"), "-A", "hubops", "beat", "--loglevel", "INFO"],
    }


def site_url(host: str, port: int) -> str:
    """The address links in mail point at: the one this hub listens on (a wildcard bind is
    reached on 127.0.0.1). An explicit SITE_URL in the environment wins."""
    shown = "127.0.0.1" if host in {"0.0.0.0", "::", "[::]", ""} else host  # noqa: S104
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def demo_logins() -> list[str]:
    """The accounts load_demo creates (read from the command so the two never disagree)."""
    sys.path.insert(0, str(ROOT))
    # Imported here: the module needs ROOT on sys.path, which only main() can promise.
    from hubops.demo_accounts import demo_accounts  # noqa: PLC0415

    return [f"  {email:<42} {label}" for email, label in demo_accounts()]


def banner(*, no_logins: bool) -> str:
    """What the terminal shows once everything has started: the address, the demo logins
    (DEBUG only) and where mail goes."""
    url = os.environ["SITE_URL"].rstrip("/") + "/"
    lines = [
        "",
        f"hubops is running at {url}  (web: gunicorn, worker and beat: Celery)",
    ]
    debug = os.environ.get("DEBUG", "true").strip().lower() not in {"false", "0", "no", "off"}
    if debug and not no_logins:
        lines += [f"Demo logins (password: {DEMO_PASSWORD}):", *demo_logins()]
    if os.environ.get("EMAIL_URL"):
        mail = "Mail is sent through EMAIL_URL."
    else:
        data_dir = os.environ.get("HUBOPS_DATA_DIR", "var")
        mail = f"Mail is written to {data_dir.rstrip('/')}/mail/."
    lines += [f"{mail}  Press Ctrl-C to stop everything.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--no-logins", action="store_true", help="don't print the demo logins")
    args = parser.parse_args(argv)

    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubops.settings")
    # The web server, the worker and beat all build links on it (mail, calendar files, PDFs).
    os.environ.setdefault("SITE_URL", site_url(args.host, args.port))
    children: dict[str, subprocess.Popen] = {}
    stopping = False

    def stop(signum=None, frame=None) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        print("\nStopping the web server, the worker and beat...", flush=True)
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    for name, command in commands(args.host, args.port).items():
        # Each child gets its own process group, so a Ctrl-C in the terminal reaches only
        # this supervisor, which then stops the children in order.
        children[name] = subprocess.Popen(command, start_new_session=True)  # noqa: S603

    print(banner(no_logins=args.no_logins), flush=True)

    failed = None
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                failed = failed or name
                print(f"The {name} process exited with status {child.returncode}.", flush=True)
                stop()
                break
        time.sleep(0.5)

    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    print("Stopped.", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
