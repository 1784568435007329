#!/usr/bin/env bash
# Live mode without an AWS account: starts the local AWS emulator (seeded with the class's
# bucket, parameters, user pool and Dragon API) and serves Wyvern connected to it on
# http://127.0.0.1:8080. Ctrl+C stops both. Ports: WYVERN_PORT (8080), WYVERN_EMULATOR_PORT (5005).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${WYVERN_PORT:-8080}"
emulator_port="${WYVERN_EMULATOR_PORT:-5005}"

. scripts/setup.sh
bash emulator/setup.sh
cargo build --quiet --release --bin s3select
python3 scripts/build-site.py

site="target/live-site"
rm -rf "$site" && cp -r dist "$site"
rm -f "$site/config.emulator.json"
emulator/.venv/bin/python emulator/wyvern_emulator.py --port "$emulator_port" \
  --config "$site/config.emulator.json" &
emulator=$!
trap 'kill "$emulator" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 300); do
  [ -s "$site/config.emulator.json" ] && break
  kill -0 "$emulator" 2>/dev/null || { echo "the emulator did not start" >&2; exit 1; }
  sleep 0.2
done
python3 scripts/site-config.py "$site" "$site/config.emulator.json"
echo
echo "Wyvern, live against the local emulator: http://127.0.0.1:$port/"
echo "  Connect as guest, or sign in as learner / Dragon-rider-1! (newcomer / Temp-pass-2! must pick a new password)."
echo
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site"
