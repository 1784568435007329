#!/usr/bin/env bash
# Installs the build tools if missing, then serves Wyvern on http://127.0.0.1:8080 (offline mode).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
exec trunk serve --release "$@"
