#!/usr/bin/env bash
# Make sure the system packages hubops needs are installed (Debian/Ubuntu).
#
#   scripts/ensure-system-deps.sh run    python3 venv + WeasyPrint's libraries and fonts
#   scripts/ensure-system-deps.sh test   the above + Chromium, the PDF tools, Java (for the Nu
#                                        HTML Checker), and Node/npm when axe-core or vnu-jar
#                                        is not yet in node_modules/
#
# Missing packages are installed with apt-get when we run as root; otherwise the script stops
# with one line naming exactly what to install. Nothing is installed when all is present.
set -euo pipefail

purpose="${1:-run}"
cd "$(dirname "$0")/.."

# Python 3.11 or newer, with venv and pip.
if ! command -v python3 >/dev/null 2>&1; then
  echo "hubops needs Python 3.11 or newer: install it with 'apt-get install -y python3 python3-venv python3-pip'." >&2
  exit 1
fi
if ! python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "hubops needs Python 3.11 or newer; python3 is $(python3 -V 2>&1 | cut -d' ' -f2)." >&2
  exit 1
fi

packages=()
# `python3 -m venv` needs ensurepip (Debian's python3-venv / python3.X-venv).
if [ ! -x .venv/bin/python ] && ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  packages+=("python3-venv")
fi
# WeasyPrint (PDFs): Pango, HarfBuzz's subsetter, and the DejaVu fonts the print CSS names.
packages+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [ "$purpose" = "test" ]; then
  # Browser journeys run Debian's Chromium; PDF tests read text with pdftotext; the W3C Nu
  # HTML Checker (vnu.jar, from npm) that checks the pages they visit runs on Java.
  packages+=(chromium poppler-utils default-jre-headless)
  # axe-core comes from npm (package-lock.json); Node is only needed to install it.
  if { [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]; } \
    && ! command -v npm >/dev/null 2>&1; then
    packages+=(nodejs npm)
  fi
fi

installed() {
  # A package is present when dpkg says so; without dpkg, look for the file it provides.
  if command -v dpkg-query >/dev/null 2>&1; then
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
    return
  fi
  case "$1" in
    chromium) command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 ;;
    poppler-utils) command -v pdftotext >/dev/null 2>&1 ;;
    default-jre-headless) command -v java >/dev/null 2>&1 ;;
    nodejs) command -v node >/dev/null 2>&1 ;;
    npm) command -v npm >/dev/null 2>&1 ;;
    python3-venv) python3 -c 'import ensurepip' >/dev/null 2>&1 ;;
    libpango-1.0-0) ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' ;;
    libpangoft2-1.0-0) ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' ;;
    libharfbuzz-subset0) ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0' ;;
    fonts-dejavu-core) fc-list 2>/dev/null | grep -qi 'DejaVu Sans' ;;
    *) return 1 ;;
  esac
}

missing=()
for package in "${packages[@]}"; do
  installed "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi

echo "Missing system packages: run 'sudo apt-get install -y ${missing[*]}' and try again." >&2
exit 1
