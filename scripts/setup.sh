#!/usr/bin/env bash
# Installs what building the web app needs, all pinned; run by serve.sh and test.sh, idempotent.
#   wasm32 target · trunk 0.21.14 · wasm-bindgen-cli = Cargo.lock's wasm-bindgen · wasm-opt (npm binaryen@132)
# Source it (`. scripts/setup.sh`) to get the tools on PATH.
set -euo pipefail
# Build tools need no peak speed: install them without their release profiles' fat LTO and single
# codegen unit, which tripled a fresh machine's first build on 2 cores.
tool_profile=(env CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=2)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown

wb_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' "$root/Cargo.lock")"
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb_version\$"; then
  echo "installing wasm-bindgen-cli $wb_version"
  # Not --locked: the registry lacks the lock file's newest webpki-roots.
  "${tool_profile[@]}" cargo install wasm-bindgen-cli --version "$wb_version"
fi

if ! trunk --version 2>/dev/null | grep -q "^trunk 0.21.14"; then
  echo "installing trunk 0.21.14"
  # trunk 0.22 needs a newer rustc than this toolchain.
  "${tool_profile[@]}" cargo install trunk --version 0.21.14 --locked
fi

# wasm-opt 132 from npm (Debian's wasm-opt 108 produces a broken page).
if [ ! -x "$root/.tools/node_modules/.bin/wasm-opt" ]; then
  command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm; }
  npm install --prefix "$root/.tools" --no-audit --no-fund --silent binaryen@132
fi
export PATH="$root/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
