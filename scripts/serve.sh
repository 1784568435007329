#!/usr/bin/env bash
# Installs the build tools if missing, then serves Wyvern on http://127.0.0.1:8080 (offline mode).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
# No live-reload script: the page is for using, and its CSP allows no extra scripts.
exec trunk serve --release --no-autoreload true "$@"
