#!/usr/bin/env python3
"""Runs the libFuzzer targets for a number of inputs each and prints one table (scripts/fuzz.sh
runs it after the build).

    python3 fuzz/run.py --bin-dir DIR --corpus DIR --artifacts DIR --logs DIR --runs N [--smoke] TARGET...

Each target runs in-process (one worker) with -timeout=1 (an input over 1 s is a hang),
-rss_limit_mb=2048 and -malloc_limit_mb=512. A crash, hang or out-of-memory stops libFuzzer after
writing its artifact; this script counts it, takes the input out of the corpus (so it does not
stop the next start at once) and starts the target again for the inputs still to run, so one
bug does not hide others. Counts and peak RSS come from libFuzzer's own output (`stat::` lines,
`rss:`). Exit status 1 if anything was found.
"""

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MAX_LEN = {"sql": 4096, "engine": 8192, "parquet": 8192, "eventstream": 4096, "responses": 4096, "sigv4": 2048}
RESTARTS = 30


def last_int(pattern, text, default=None):
    found = re.findall(pattern, text)
    return int(found[-1]) if found else default


def classify(log: str, code: int):
    """(kind, detail) of how a run ended; kind None when it finished its runs."""
    if "ERROR: libFuzzer: timeout" in log:
        return "hang", "over 1 s"
    if "ERROR: libFuzzer: out-of-memory" in log:
        m = re.search(r"out-of-memory \((.*)\)\s*$", log, re.M)
        return "oom", m.group(1) if m else "out of memory"
    if code == 0 and "Done " in log:
        return None, ""
    m = re.search(r"panicked at ([^\n]*)\n([^\n]*)", log)
    if m:
        return "panic", "%s: %s" % (m.group(1).rstrip(":"), m.group(2))
    m = re.search(r"ERROR: libFuzzer: ([^\n]*)", log)
    return "panic", m.group(1) if m else "exit status %d" % code


def run_target(args, target: str, out_corpus: Path):
    binary = Path(args.bin_dir) / target
    seeds = Path(args.corpus) / target
    artifacts = Path(args.artifacts) / target
    artifacts.mkdir(parents=True, exist_ok=True)
    logs = Path(args.logs)
    logs.mkdir(parents=True, exist_ok=True)
    dictionary = Path(args.corpus) / (target + ".dict")
    res = {"runs": 0, "panic": 0, "hang": 0, "oom": 0, "rss": 0, "found": []}
    dirs = [str(out_corpus)] + ([str(seeds)] if out_corpus != seeds else [])
    for attempt in range(RESTARTS):
        remaining = args.runs - res["runs"]
        if remaining <= 0:
            break
        cmd = [
            str(binary),
            "-runs=%d" % remaining,
            "-timeout=1",
            "-rss_limit_mb=2048",
            "-malloc_limit_mb=512",
            "-max_len=%d" % MAX_LEN.get(target, 4096),
            "-print_final_stats=1",
            "-artifact_prefix=%s/" % artifacts,
        ]
        if dictionary.exists():
            cmd.append("-dict=%s" % dictionary)
        if args.smoke:
            cmd.append("-seed=%d" % (attempt + 1))
        log_path = logs / ("%s-%d.log" % (target, attempt))
        with open(log_path, "wb") as log_file:
            try:
                code = subprocess.run(
                    cmd + dirs, stdout=log_file, stderr=subprocess.STDOUT,
                    timeout=args.wall_limit,
                ).returncode
            except subprocess.TimeoutExpired:
                code = -9
        log = log_path.read_text(errors="replace")
        ran = last_int(r"stat::number_of_executed_units:\s*(\d+)", log)
        if ran is None:
            # Killed before its final stats: the last status line's count.
            ran = last_int(r"(?m)^#(\d+)\s", log, 0)
        res["runs"] += ran
        res["rss"] = max(
            [res["rss"]] + [int(x) for x in re.findall(r"rss: (\d+)Mb", log)]
            + [int(x) for x in re.findall(r"stat::peak_rss_mb:\s*(\d+)", log)]
        )
        if code == -9:
            res["found"].append(("stopped", "still running after %d s" % args.wall_limit, str(log_path)))
            break
        kind, detail = classify(log, code)
        if kind is None:
            break
        res[kind] += 1
        m = re.search(r"Test unit written to (\S+)", log)
        artifact = m.group(1) if m else "(no artifact; log %s)" % log_path
        if all(a != artifact for _, _, a in res["found"]):
            res["found"].append((kind, detail, artifact))
        if m and Path(artifact).exists():
            bad = Path(artifact).read_bytes()
            for d in dirs:
                for p in Path(d).iterdir():
                    if p.is_file() and p.stat().st_size == len(bad) and p.read_bytes() == bad:
                        p.unlink()
    else:
        if res["runs"] < args.runs:
            res["found"].append(("stopped", "%d restarts" % RESTARTS, str(log_path)))
    return res


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin-dir", required=True)
    p.add_argument("--corpus", required=True)
    p.add_argument("--artifacts", required=True)
    p.add_argument("--logs", required=True)
    p.add_argument("--runs", type=int, required=True)
    p.add_argument("--smoke", action="store_true")
    p.add_argument("--wall-limit", type=int, default=3600)
    p.add_argument("targets", nargs="+")
    args = p.parse_args()

    results = {}
    started = time.time()
    Path(args.logs).mkdir(parents=True, exist_ok=True)
    for target in args.targets:
        t0 = time.time()
        if args.smoke:
            # The smoke replays the stored corpus and adds nothing to it.
            tmp = Path(tempfile.mkdtemp(prefix="smoke-%s-" % target, dir=args.logs))
            results[target] = run_target(args, target, tmp)
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            out = Path(args.corpus) / target
            out.mkdir(parents=True, exist_ok=True)
            results[target] = run_target(args, target, out)
        r = results[target]
        print("  %-12s %9d inputs in %4.0f s: %d panics, %d hangs, %d ooms"
              % (target, r["runs"], time.time() - t0, r["panic"], r["hang"], r["oom"]),
              flush=True)

    print()
    header = "%-12s %12s %7s %6s %5s %12s" % ("target", "inputs run", "panics", "hangs", "ooms", "peak RSS MB")
    print(header)
    print("-" * len(header))
    total = {"runs": 0, "panic": 0, "hang": 0, "oom": 0, "rss": 0}
    for target, r in results.items():
        print("%-12s %12d %7d %6d %5d %12d" % (target, r["runs"], r["panic"], r["hang"], r["oom"], r["rss"]))
        for k in total:
            total[k] = max(total[k], r[k]) if k == "rss" else total[k] + r[k]
    print("-" * len(header))
    print("%-12s %12d %7d %6d %5d %12d" % ("total", total["runs"], total["panic"], total["hang"], total["oom"], total["rss"]))
    print("(%.0f s)" % (time.time() - started))
    found = [(t, f) for t, r in results.items() for f in r["found"]]
    if found:
        # One line per distinct failure (the same panic found again is counted, not repeated).
        print("\nfindings:")
        seen = {}
        for target, (kind, detail, artifact) in found:
            seen.setdefault((target, kind, detail), []).append(artifact)
        for (target, kind, detail), artifacts in seen.items():
            more = " (and %d more like it)" % (len(artifacts) - 1) if len(artifacts) > 1 else ""
            print("  %s %s: %s\n    %s%s" % (target, kind, detail, artifacts[0], more))
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
