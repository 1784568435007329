#!/usr/bin/env bash
# Coverage-guided fuzzing of the S3 Select engine and the AWS client core (fuzz/), on stable Rust.
#
#   scripts/fuzz.sh [RUNS_PER_TARGET]   every target for RUNS inputs (default 250000: 1.5 M in all)
#   scripts/fuzz.sh --smoke             2000 inputs a target, replaying the stored corpus (tests)
#
# libFuzzer (built from C++ by the libfuzzer-sys crate) drives binaries instrumented with LLVM's
# SanitizerCoverage through stable rustc's codegen flags (below), the setup cargo-fuzz uses
# minus the sanitizer, which needs nightly. Targets: sql, engine, parquet, eventstream, responses, sigv4
# (fuzz/fuzz_targets/). Builds into fuzz/target, apart from the workspace's target/. Seeds and
# dictionaries are generated into fuzz/corpus/ (fuzz/seeds.py), crashes land in fuzz/artifacts/,
# and a table of inputs run, panics, hangs, OOMs and peak RSS is printed at the end; the exit
# status is 1 if anything was found. Idempotent: installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=250000
SMOKE=()
case "${1:-}" in
  --smoke) RUNS=2000; SMOKE=(--smoke) ;;
  "") ;;
  *[!0-9]*) echo "usage: scripts/fuzz.sh [RUNS_PER_TARGET | --smoke]" >&2; exit 2 ;;
  *) RUNS=$1 ;;
esac
TARGETS=(sql engine parquet eventstream responses sigv4)

# libFuzzer is C++ (g++ builds it through the cc crate); the runner and seed generator are Python.
if ! command -v c++ >/dev/null || ! command -v python3 >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq g++ python3 >/dev/null
fi

HOST=$(rustc -vV | sed -n 's/^host: //p')
# Coverage for libFuzzer's guidance (8-bit edge counters, PC table, comparison tracing), plus the
# `fuzzing` cfg, debug assertions and overflow checks. An explicit --target keeps these flags off
# build scripts and proc macros, which must not be instrumented.
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks"
unset CARGO_BUILD_RUSTFLAGS CARGO_ENCODED_RUSTFLAGS

# No --locked: fuzz/Cargo.lock follows the workspace crates when they gain a dependency.
echo "==> build fuzz targets (fuzz/target)"
(cd fuzz && cargo build --release --target "$HOST" --target-dir target --bins)

echo "==> seeds and dictionaries (fuzz/corpus)"
python3 fuzz/seeds.py fuzz/corpus

echo "==> fuzz: ${RUNS} inputs per target"
python3 fuzz/run.py --bin-dir "fuzz/target/$HOST/release" --corpus fuzz/corpus \
  --artifacts fuzz/artifacts --logs fuzz/target/logs --runs "$RUNS" ${SMOKE[@]+"${SMOKE[@]}"} \
  "${TARGETS[@]}"
