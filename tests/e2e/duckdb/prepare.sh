#!/usr/bin/env bash
# Prepares DuckDB-wasm (npm @duckdb/duckdb-wasm, the speed peer in the browser) for
# engine.bench.mjs: installs it with esbuild into target/bench-duckdb and bundles entry.mjs, so
# the benchmark page can load it offline. Prints the folder to pass as DUCKDB_WASM_DIR.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../../target/bench-duckdb"
mkdir -p "$out"
if [ ! -d "$out/node_modules/@duckdb/duckdb-wasm" ] || [ ! -x "$out/node_modules/.bin/esbuild" ]; then
  npm install --prefix "$out" --no-audit --no-fund --silent @duckdb/duckdb-wasm@1.32 esbuild >&2
fi
dist="$out/node_modules/@duckdb/duckdb-wasm/dist"
cp "$here/entry.mjs" "$out/entry.mjs"
(cd "$out" && ./node_modules/.bin/esbuild entry.mjs --bundle --format=iife --outfile=duck-bundle.js --log-level=warning)
cp "$dist/duckdb-browser-eh.worker.js" "$dist/duckdb-eh.wasm" "$out/"
cd "$out" && pwd
