#!/usr/bin/env bash
# Prerequisites of the browser tests (tests/browser) and the deployment tests (tests/deploy) that pip does
# not install: Debian's chromium, and Debian's nginx (the deployment tests run it unprivileged on loopback,
# from a config in a temporary folder; the package's own service is not started here).
#
# Run it (do not source it) before pytest:  bash tests/browser/ci_setup.sh
# Idempotent: installs only what is missing. Exits non-zero when anything fails.
# Leaflet needs no step here: the app serves it from the XStatic-Leaflet package that pip installs.
set -euo pipefail

CHROMIUM="/usr/bin/chromium"
NGINX="/usr/sbin/nginx"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# one apt-get update and one install for whatever is missing (each update reads every package list again)
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
[ -x "$NGINX" ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
    echo "ci_setup: installing ${missing[*]} (Debian packages)"
    apt_install "${missing[@]}"
fi
[ -x "$CHROMIUM" ] || { echo "ci_setup: $CHROMIUM still missing after apt-get install chromium" >&2; exit 1; }
[ -x "$NGINX" ] || { echo "ci_setup: $NGINX still missing after apt-get install nginx" >&2; exit 1; }

echo "ci_setup: browser and deployment test prerequisites ready (chromium: $CHROMIUM, nginx: $NGINX)"
