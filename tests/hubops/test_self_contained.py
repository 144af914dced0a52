"""A clone stands on its own: no code, test or benchmark reads a folder beside the checkout or
names a machine's absolute path. (.ci/run proves it for real by running `make test` in a clone
that has nothing beside it; this test says which line is at fault, early.)"""

from __future__ import annotations

import re

from tests.conftest import ROOT

FOLDERS = (
    "hubops",
    "workgroups",
    "complaints",
    "privacy",
    "governance",
    "reports",
    "tests",
    "bench",
    "scripts",
)
OUTSIDE = re.compile(
    r"""\.\./shared|parent\s*/\s*["']shared["']|["']/work/|["']/home/[a-z]|BASE_DIR\)?\.parent"""
)


def test_nothing_reads_outside_the_repository():
    offenders = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in {".py", ".sh", ".html", ".txt", ".json", ".toml", ".cfg"}:
                continue
            if "data" in path.relative_to(ROOT).parts or path.name == "test_self_contained.py":
                continue  # published data files are text, not code
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                if OUTSIDE.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "These lines reach outside the repository:\n" + "\n".join(offenders)
