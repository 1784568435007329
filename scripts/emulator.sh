#!/usr/bin/env bash
# Starts the local AWS emulator on 127.0.0.1 (port 5005, or $WYVERN_EMULATOR_PORT), seeded and
# enforcing SigV4; Ctrl+C stops it. Installs its Python packages and builds s3select if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash emulator/setup.sh
cargo build --quiet --release --bin s3select
exec emulator/.venv/bin/python emulator/wyvern_emulator.py "$@"
