#!/usr/bin/env python3
"""Peak memory of a 1 GB stream through the engine: the s3select command and the page's engine
worker in headless Chromium, for CSV and JSON LINES, plain, GZIP and BZIP2.

    python3 scripts/bench-memory.py [--gb 1.0] [--skip-browser]

A benchmark, not a test: it prints figures and asserts nothing. The CLI's figure is its peak
RSS (VmHWM, read while it runs) less that of the same command over an empty input; the browser's is the
peak of all Chromium processes' RSS, sampled while the query runs, less the RSS before it.
Needs the release build of s3select and a built site (WYVERN_SITE or dist/), both made by the
test command; the files are written to target/bench-memory/ (about 2.5 GB for 1 GB streams).
"""
import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
S3SELECT = ROOT / "target" / "release" / "s3select"
OUT = ROOT / "target" / "bench-memory"
CSV_LINE = b"Atlas,red,120,anchorage,AK,a dragon of some renown who flies at night\n"
JSON_LINE = b'{"dragon_name_str":"Atlas","family_str":"red","age_int":120,"city":"anchorage"}\n'
FORMATS = {
    "CSV": (CSV_LINE, '{"CSV":{}}'),
    "JSON LINES": (JSON_LINE, '{"JSON":{"Type":"LINES"}}'),
}
CODECS = {"NONE": ("", None), "GZIP": (".gz", ["gzip", "-1", "-c"]), "BZIP2": (".bz2", ["bzip2", "-1", "-c"])}
SQL = "SELECT COUNT(*) FROM S3Object"


def make(path, line, size, codec):
    """Writes `size` bytes of whole records to `path`, through `codec` when given."""
    if path.exists():
        return
    block = line * ((4 << 20) // len(line))
    tmp = path.with_suffix(path.suffix + ".part")
    with open(tmp, "wb") as f:
        proc = subprocess.Popen(codec, stdin=subprocess.PIPE, stdout=f) if codec else None
        sink = proc.stdin if proc else f
        written = 0
        while written + len(block) <= size:
            sink.write(block)
            written += len(block)
        sink.write(line * ((size - written) // len(line)))
        if proc:
            proc.stdin.close()
            proc.wait()
    tmp.rename(path)


def high_water_kb(pid):
    """The process's peak resident memory so far (VmHWM), in KB; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cli_peak(input_json, path):
    """Peak RSS (KB) of s3select over `path` (or an empty input when None), and its answer.
    VmHWM is read while it runs: wait4's figure would include the forking Python's own pages."""
    with open(path or os.devnull, "rb") as stdin, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [str(S3SELECT), "--expression", SQL, "--input-serialization", input_json, "-"],
            stdin=stdin, stdout=out, stderr=err,
        )
        peak = 0
        while proc.poll() is None:
            peak = max(peak, high_water_kb(proc.pid))
            time.sleep(0.01)
        out.seek(0)
        err.seek(0)
        answer = out.read().decode().strip() or err.read().decode().strip().splitlines()[0]
    return peak, answer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gb", type=float, default=1.0, help="uncompressed size of each stream")
    ap.add_argument("--skip-browser", action="store_true")
    args = ap.parse_args()
    if not S3SELECT.exists():
        sys.exit("build it first: cargo build --release --bin s3select")
    size = int(args.gb * 1e9)
    OUT.mkdir(parents=True, exist_ok=True)
    runs = []
    for fmt, (line, input_json) in FORMATS.items():
        ext = ".csv" if fmt == "CSV" else ".jsonl"
        for codec, (suffix, command) in CODECS.items():
            path = OUT / f"stream-{int(size / 1e6)}MB{ext}{suffix}"
            print(f"writing {path.name} …", file=sys.stderr, flush=True)
            make(path, line, size, command)
            with_codec = input_json[:-1] + (f',"CompressionType":"{codec}"}}' if codec != "NONE" else "}")
            runs.append((fmt, codec, path, with_codec))

    print(f"\n{SQL} over {size / 1e9:.1f} GB streams (peak memory growth over an empty run)\n")
    print(f"{'input':<11} {'codec':<6} {'file MB':>9} {'peak RSS MB':>12} {'growth MB':>10}  answer")
    for fmt, codec, path, input_json in runs:
        base, _ = cli_peak(input_json, None)
        peak, answer = cli_peak(input_json, path)
        print(f"{fmt:<11} {codec:<6} {path.stat().st_size / 1e6:>9.1f} {peak / 1024:>12.1f} {(peak - base) / 1024:>10.1f}  {answer}", flush=True)

    if args.skip_browser:
        return
    node = shutil.which("node")
    site = os.environ.get("WYVERN_SITE", str(ROOT / "dist"))
    if not node or not (pathlib.Path(site) / "index.html").exists():
        sys.exit("browser part: needs node, tests/e2e's packages and a built site (WYVERN_SITE or dist/)")
    print("\nthe page's engine worker in headless Chromium (peak growth of all its processes' RSS)\n")
    spec = [{"input": fmt, "codec": codec, "path": str(path)} for fmt, codec, path, _ in runs]
    subprocess.run([node, str(ROOT / "tests" / "e2e" / "memory.bench.mjs"), json.dumps(spec)], check=True)


if __name__ == "__main__":
    main()
