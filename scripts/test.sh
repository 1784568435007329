#!/usr/bin/env bash
# Runs every check: formatting, clippy, native tests (engine, CLI, fixture corpus, app model,
# AWS client core), the client against the local AWS emulator, the release build of the web
# app, and the browser tests in headless Chromium (the offline playground, and live mode against
# the emulator).
# Idempotent: installs what it needs (build tools via setup.sh, Debian chromium, npm test driver).
set -euo pipefail
cd "$(dirname "$0")/.."
# The tests build and use a site of their own, so a `serve.sh` running from the same checkout
# (which serves dist/) is left alone.
export WYVERN_SITE="$PWD/target/test-site"

step() { printf '\n==> %s\n' "$*"; }

step "toolchain components"
rustup component add rustfmt clippy >/dev/null 2>&1 || true

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -D warnings (native and wasm32)"
cargo clippy --workspace --all-targets -- -D warnings
. scripts/setup.sh
cargo clippy --target wasm32-unknown-unknown -p wyvern -p wyvern-worker -p wyvern-live -p wyvern-practice -- -D warnings
# The fuzz targets are a workspace of their own (fuzz/): the same checks, so an API change shows
# up here rather than when the fuzz smoke compiles them.
(cd fuzz && cargo fmt -- --check && cargo clippy --bins -- -D warnings)

step "native tests"
# crates/bindgen has no tests of its own (the browser tests run the site it builds): no
# test build of its large dependencies.
cargo test --workspace --exclude wyvern-bindgen
# The deep-expression tests again, optimised, on a browser worker's 1 MiB stack.
cargo test --release -p wyvern-select --test hardening

step "fuzz smoke (libFuzzer on stable, 2000 inputs a target; scripts/fuzz.sh runs 1.5 M)"
bash scripts/fuzz.sh --smoke

step "AWS client core against the local emulator (moto + patches)"
bash emulator/setup.sh
cargo build --quiet --release --bin s3select
cargo test -p wyvern-aws --test emulator -- --include-ignored

step "the emulator answers a learner's boto3 and AWS CLI session as AWS documents"
emulator/.venv/bin/python -m pytest -q emulator/tests
python3 -m unittest -q scripts/test_site_config.py scripts/test_build_site.py

step "the practice account (crates/sandbox) answers boto3 as the emulator does (Parameter Store, S3 with S3 Select, the Dragon API) and runs the course's code"
for t in differential_ssm differential_s3 differential_dragons course_code; do
  emulator/.venv/bin/python "crates/sandbox/tests/$t.py"
done

step "web app release build (scripts/build-site.py) into target/test-site"
python3 scripts/build-site.py --dist "$WYVERN_SITE"

step "instructor kit: the Lambda's tests, cfn-lint, the policy checks, deploy/teardown into the emulator"
bash deploy/setup.sh
deploy/.venv/bin/python -m pytest -q deploy/tests

step "browser test tools"
if ! command -v chromium >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
(cd tests/e2e && npm ci --no-audit --no-fund --silent)

step "browser tests (headless Chromium)"
node --test tests/e2e/
