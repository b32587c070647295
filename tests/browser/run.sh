#!/usr/bin/env bash
# The browser suite's single entry: bash tests/browser/run.sh <site-dir>
#
# <site-dir> is an already built site (kvalitet build). Installs what is missing (Debian's
# Chromium and a Java runtime with apt-get, the pinned npm packages with npm ci), then runs
# run.mjs: axe-core and the Nu HTML checker on every page, keyboard, reflow, zoom, print and
# screenshots. Ends with "N passed, M failed" on a line of its own; exits non-zero on any failure.
#
#   bash tests/browser/run.sh output
#   bash tests/browser/run.sh --self-test        only prove the checks bite (fixtures/broken)
#   A11Y_FULL=1 bash tests/browser/run.sh output  keyboard and axe at 320 px on every page too
#   bash tests/browser/run.sh --install-only       only install what is missing
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ $# -lt 1 ]; then
  echo "usage: bash tests/browser/run.sh <site-dir> | --self-test" >&2
  exit 2
fi
args=()
for a in "$@"; do
  if [ "${a#--}" = "$a" ]; then
    if [ ! -d "$a" ]; then
      echo "run.sh: no such folder: $a (build the site first: kvalitet build)" >&2
      exit 2
    fi
    args+=("$(cd "$a" && pwd)")
  else
    args+=("$a")
  fi
done

apt_updated=0
apt_install() {
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
    echo "run.sh: need root to apt-get install $*" >&2
    exit 2
  fi
  local sudo=""
  [ "$(id -u)" != 0 ] && sudo=sudo
  if [ $apt_updated = 0 ]; then
    $sudo apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ ! -x /usr/bin/chromium ]; then
  echo "run.sh: installing Debian's chromium"
  apt_install chromium fonts-liberation fonts-dejavu-core
fi
if ! command -v pdftotext >/dev/null; then
  echo "run.sh: installing poppler-utils (pdftotext reads the printed page numbers back)"
  apt_install poppler-utils
fi
if ! command -v java >/dev/null; then
  echo "run.sh: installing a Java runtime for the Nu HTML checker"
  apt_install default-jre-headless
fi
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "run.sh: Node.js 20 or newer is needed (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 2
fi

cd "$here"
# npm ci when the packages are missing or the lockfile changed since they were installed.
# --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime; we use Debian's.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "run.sh: npm ci (tests/browser)"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

if [ "${args[0]}" = "--install-only" ]; then
  exit 0
fi
exec node run.mjs "${args[@]}"
