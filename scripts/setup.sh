#!/usr/bin/env bash
# Installs what building the web app needs, all pinned; run by serve.sh and test.sh, idempotent.
#   wasm32 target · wasm-opt (npm binaryen@132)
# The JS glue comes from crates/bindgen, which scripts/build-site.py builds with the wasm-bindgen
# version Cargo.lock pins; nothing else is compiled or downloaded for the build.
# Source it (`. scripts/setup.sh`) to get the tools on PATH.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown

# wasm-opt 132 from npm (Debian's wasm-opt 108 produces a broken page).
if [ ! -x "$root/.tools/node_modules/.bin/wasm-opt" ]; then
  command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm; }
  npm install --prefix "$root/.tools" --no-audit --no-fund --silent binaryen@132
fi
export PATH="$root/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
