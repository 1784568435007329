#!/usr/bin/env bash
# Runs every check: formatting, clippy, native tests (engine, CLI, fixture corpus).
# Idempotent; installs the Rust components it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain components"
rustup component add rustfmt clippy >/dev/null 2>&1 || true

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "native tests"
cargo test --workspace

echo
echo "all checks passed"
