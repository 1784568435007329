#!/usr/bin/env bash
# Installs the build tools if missing, builds the site into dist/ and serves it on
# http://127.0.0.1:8080 (offline mode). Port: WYVERN_PORT (8080). Ctrl+C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${WYVERN_PORT:-8080}"
. scripts/setup.sh
python3 scripts/build-site.py --dist dist
echo
echo "Wyvern: http://127.0.0.1:$port/"
echo
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory dist
