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

# Each step's heading shows the time since the start, so a slow step is plain in the log.
step() { printf '\n==> [%d:%02d] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

# Steps that need nothing from the ones before them run in the background, beside the compiles:
# the Python and npm installs (network and disk) and the site's release build (its fat-LTO links
# use one core each). Each output goes to target/ci-logs/KEY.log, printed when it is awaited.
LOGS="$PWD/target/ci-logs"
mkdir -p "$LOGS"
declare -A PIDS WHAT
# A job runs in a process group of its own (set -m), so stopping it stops its cargo too.
trap 'for p in "${PIDS[@]}"; do kill -- "-$p" 2>/dev/null || true; done' EXIT
background() {
  local key=$1 what=$2
  shift 2
  printf '    (in the background from here: %s; log: target/ci-logs/%s.log)\n' "$what" "$key"
  set -m
  "$@" >"$LOGS/$key.log" 2>&1 &
  PIDS[$key]=$!
  set +m
  WHAT[$key]=$what
}
await() {
  local key=$1 status=0
  step "${WHAT[$key]} (started in the background)"
  wait "${PIDS[$key]}" || status=$?
  unset "PIDS[$key]"
  cat "$LOGS/$key.log"
  if [ "$status" -ne 0 ]; then
    echo "FAILED (exit $status): ${WHAT[$key]}" >&2
    exit "$status"
  fi
}

step "toolchain components and system packages"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
# Every Debian package the steps need, in one apt run, so the background jobs never race for
# apt's lock: Chromium (browser tests), g++ (libFuzzer), venv (the Python tools), npm.
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v c++ >/dev/null || need+=(g++)
command -v npm >/dev/null || need+=(npm)
python3 -c 'import ensurepip' 2>/dev/null || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
python_and_npm_tools() {
  bash emulator/setup.sh
  bash deploy/setup.sh
  (cd tests/e2e && npm ci --no-audit --no-fund --silent)
}
background tools "test tools: the emulator, the instructor kit, the browser test driver" python_and_npm_tools

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -D warnings (native and wasm32)"
cargo clippy --workspace --all-targets -- -D warnings
. scripts/setup.sh
cargo clippy --target wasm32-unknown-unknown -p wyvern -p wyvern-worker -p wyvern-live -p wyvern-practice -- -D warnings
# The fuzz targets are a workspace of their own (fuzz/): the same checks, so an API change shows
# up here rather than when the fuzz smoke compiles them.
(cd fuzz && cargo fmt -- --check && cargo clippy --bins -- -D warnings)

# The wasm builds lock target/wasm*-release, the native ones target/debug and target/release, so
# cargo runs both at once.
background site "web app release build (scripts/build-site.py) into target/test-site" python3 scripts/build-site.py --dist "$WYVERN_SITE"

step "native tests"
# crates/bindgen's tests run once the site is built, with the tool's own profile and target
# folder: no second build of its large dependencies.
cargo test --workspace --exclude wyvern-bindgen
# The deep-expression tests again, optimised, on a browser worker's 1 MiB stack.
cargo test --release -p wyvern-select --test hardening

step "fuzz smoke (libFuzzer on stable, 2000 inputs a target; scripts/fuzz.sh runs 1.5 M)"
bash scripts/fuzz.sh --smoke

await tools

step "AWS client core against the local emulator (moto + patches)"
cargo build --quiet --release --bin s3select
cargo test -p wyvern-aws --test emulator -- --include-ignored

step "the emulator answers a learner's boto3 and AWS CLI session as AWS documents"
emulator/.venv/bin/python -m pytest -q emulator/tests
python3 -m unittest -q scripts/test_site_config.py scripts/test_build_site.py

step "the practice account (crates/sandbox) answers boto3 as the emulator does (Parameter Store, S3 with S3 Select, the Dragon API) and runs the course's code"
for t in differential_ssm differential_s3 differential_dragons course_code; do
  emulator/.venv/bin/python "crates/sandbox/tests/$t.py"
done

await site

step "the glue tool's own tests (crates/bindgen, built as the site build built it)"
CARGO_TARGET_DIR=target/tools cargo test --quiet --profile tool -p wyvern-bindgen

step "instructor kit: the Lambda's tests, cfn-lint, the policy checks, deploy/teardown into the emulator"
deploy/.venv/bin/python -m pytest -q deploy/tests

step "browser tests (headless Chromium)"
node --test tests/e2e/

step "done"
