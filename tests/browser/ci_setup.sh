#!/usr/bin/env bash
# Prerequisites of the browser tests (tests/browser): Debian's chromium and a local copy of Leaflet.
#
# Run it (do not source it) before pytest:  bash tests/browser/ci_setup.sh
# Idempotent: does nothing when /usr/bin/chromium and $LEAFLET_DIR/leaflet.{js,css} are already there.
# LEAFLET_DIR defaults to <project root>/.cache/leaflet, where tests/browser/conftest.py looks too.
# Exits non-zero when anything fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LEAFLET_VERSION="1.9.3"  # the version dashboard/maps.py loads (LEAFLET_JS, LEAFLET_CSS)
LEAFLET_DIR="${LEAFLET_DIR:-$ROOT/.cache/leaflet}"
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

if [ ! -s "$LEAFLET_DIR/leaflet.js" ] || [ ! -s "$LEAFLET_DIR/leaflet.css" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "ci_setup: installing npm (Debian package)"
        apt_install npm
    fi
    echo "ci_setup: fetching leaflet@$LEAFLET_VERSION into $LEAFLET_DIR"
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    (cd "$tmp" && npm pack --silent "leaflet@$LEAFLET_VERSION" >/dev/null)
    tarball="$(ls "$tmp"/leaflet-*.tgz)"
    tar -xzf "$tarball" -C "$tmp" package/dist
    [ -s "$tmp/package/dist/leaflet.js" ] && [ -s "$tmp/package/dist/leaflet.css" ] \
        || { echo "ci_setup: the leaflet@$LEAFLET_VERSION package has no dist/leaflet.js or dist/leaflet.css" >&2; exit 1; }
    mkdir -p "$LEAFLET_DIR"
    cp -R "$tmp/package/dist/." "$LEAFLET_DIR/"
fi

echo "ci_setup: browser test prerequisites ready (chromium: $CHROMIUM, leaflet: $LEAFLET_DIR)"
