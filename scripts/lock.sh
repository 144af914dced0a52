#!/usr/bin/env bash
# Re-resolve the ranges in pyproject.toml (dependencies + the "test" extra) in a throw-away
# virtualenv and write the exact versions to requirements.lock.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${1:-python3}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$python" -m venv "$tmp/venv"
"$tmp/venv/bin/python" - > "$tmp/requirements.in" <<'PY'
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["test"]))
PY
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check -r "$tmp/requirements.in"
{
  echo "# Exact versions installed by 'make run', 'make test' and CI. Regenerate with 'make lock'."
  "$tmp/venv/bin/pip" freeze --exclude-editable | grep -v '^pip=='
} > requirements.lock
echo "Wrote requirements.lock ($(grep -vc '^#' requirements.lock) packages)."
