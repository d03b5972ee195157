#!/usr/bin/env bash
# Prerequisite of the browser tests (tests/browser) that pip does not install: Debian's chromium.
#
# Run it (do not source it) before pytest:  bash tests/browser/ci_setup.sh
# Idempotent: does nothing when /usr/bin/chromium is already there. Exits non-zero when anything fails.
# Leaflet needs no step here: the app serves it from the XStatic-Leaflet package that pip installs.
set -euo pipefail

CHROMIUM="/usr/bin/chromium"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if [ ! -x "$CHROMIUM" ]; then
    echo "ci_setup: installing chromium (Debian package)"
    apt_install chromium
    [ -x "$CHROMIUM" ] || { echo "ci_setup: $CHROMIUM still missing after apt-get install chromium" >&2; exit 1; }
fi

echo "ci_setup: browser test prerequisites ready (chromium: $CHROMIUM)"
