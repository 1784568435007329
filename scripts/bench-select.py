#!/usr/bin/env python3
"""Benchmark: Wyvern's S3 Select engine against DuckDB (one thread) on the same files.

Generates about 200 MB of dragon-like CSV and of JSON Lines (or --mb N), and the same rows as
Parquet (written by DuckDB: Snappy, typed columns), runs four queries on each through the engine
(crates/select/examples/bench.rs: text in 1 MiB chunks, Parquet by random access as the CLI reads
it; JSON output, best of 3) and the equivalent DuckDB query (best of 3, output written to
/dev/null), the two taking turns for --rounds rounds (3) and each keeping its best, and prints
MB/s (of the file as stored), rows/s and the ratio. Not a test: it prints figures.

    python3 scripts/bench-select.py [--mb 200] [--dir /tmp/wyvern-bench] [--rounds 3]

With --browser, the same files and queries run in headless Chromium instead: the page's engine
worker (bench.html, from a release build of the site in target/bench-site, or WYVERN_SITE) beside
DuckDB-wasm (npm, single-threaded, SET threads = 1) in the same browser, through
tests/e2e/engine.bench.mjs. DuckDB-wasm reads no JSON offline, so JSON LINES has our figures only.

    python3 scripts/bench-select.py --browser [--mb 100] [--runs 3]
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent

QUERIES = [
    # name, S3 Select SQL, DuckDB SQL over the table t (output copied to /dev/null)
    ("count(*)", "SELECT COUNT(*) FROM S3Object", "SELECT count(*) FROM t"),
    ("select *", "SELECT * FROM S3Object", "SELECT * FROM t"),
    ("filter LIKE + CAST",
     "SELECT * FROM S3Object s WHERE s.name LIKE 'A%' AND CAST(s.wingspan AS INT) > 100",
     "SELECT * FROM t WHERE name LIKE 'A%' AND CAST(wingspan AS INTEGER) > 100"),
    ("3-column projection", "SELECT s.name, s.family, s.city FROM S3Object s", "SELECT name, family, city FROM t"),
]

FORMATS = [
    ("CSV", "dragons.csv", '{"CSV":{"FileHeaderInfo":"USE"}}',
     "read_csv('{path}', header=true, all_varchar=true, auto_detect=false, delim=',', quote='\"', "
     "columns={{'name':'VARCHAR','family':'VARCHAR','description':'VARCHAR','city':'VARCHAR',"
     "'country':'VARCHAR','wingspan':'VARCHAR','age':'VARCHAR'}})", "CSV"),
    ("JSON LINES", "dragons.jsonl", '{"JSON":{"Type":"LINES"}}',
     "read_json('{path}', format='newline_delimited', columns={{'name':'VARCHAR','family':'VARCHAR',"
     "'description':'VARCHAR','city':'VARCHAR','country':'VARCHAR','wingspan':'BIGINT','age':'BIGINT'}})", "JSON"),
    ("Parquet", "dragons.parquet", '{"Parquet":{}}', "read_parquet('{path}')", "JSON"),
]


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def duckdb_run(con, source, sql, out_format):
    best = None
    for _ in range(3):
        start = time.perf_counter()
        if sql.startswith("SELECT count(*)"):
            con.execute(f"WITH t AS (SELECT * FROM {source}) {sql}").fetchall()
        else:
            con.execute(f"COPY (WITH t AS (SELECT * FROM {source}) {sql}) TO '/dev/null' (FORMAT {out_format})")
        ms = (time.perf_counter() - start) * 1000
        best = ms if best is None else min(best, ms)
    return best


def browser(data, runs):
    """The page's engine and DuckDB-wasm in one headless Chromium (engine.bench.mjs prints)."""
    site = os.environ.get("WYVERN_SITE")
    if not site:
        site = str(ROOT / "target" / "bench-site")
        # The same release build the page ships, in its own folder so a running serve.sh is
        # left alone.
        sh("bash", "-c", f". scripts/setup.sh >/dev/null && python3 scripts/build-site.py --dist {site}", cwd=ROOT)
    e2e = ROOT / "tests" / "e2e"
    if not (e2e / "node_modules").exists():
        sh("npm", "ci", "--no-audit", "--no-fund", "--silent", cwd=e2e)
    duck = subprocess.run(["bash", str(e2e / "duckdb" / "prepare.sh")], check=True,
                          capture_output=True, text=True).stdout.strip()
    env = dict(os.environ, WYVERN_SITE=site, DUCKDB_WASM_DIR=duck)
    sh("node", str(e2e / "engine.bench.mjs"), str(data / "dragons.csv"), str(data / "dragons.jsonl"),
       str(runs), env=env, cwd=ROOT)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--dir", default="/tmp/wyvern-bench")
    ap.add_argument("--browser", action="store_true",
                    help="run the page's engine and DuckDB-wasm in headless Chromium instead")
    ap.add_argument("--runs", type=int, default=3, help="best of how many runs (--browser)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="turns each engine takes at each query, each a best of 3 (native)")
    args = ap.parse_args()

    sh("cargo", "build", "--quiet", "--release", "-p", "wyvern-select", "--example", "bench",
       "--features", "parquet", cwd=ROOT)
    bench = ROOT / "target" / "release" / "examples" / "bench"
    data = pathlib.Path(args.dir)
    if not (data / "dragons.jsonl").exists() or (data / "dragons.jsonl").stat().st_size < args.mb * 1_000_000:
        sh(str(bench), "generate", str(data), str(args.mb))

    if args.browser:
        browser(data, args.runs)
        return

    try:
        import duckdb
    except ImportError:
        sh(sys.executable, "-m", "pip", "install", "--quiet", "duckdb")
        import duckdb
    con = duckdb.connect()
    parquet = data / "dragons.parquet"
    if not parquet.exists() or parquet.stat().st_mtime < (data / "dragons.jsonl").stat().st_mtime:
        # The JSON Lines rows, typed as they are there (wingspan and age are integers).
        jsonl_source = FORMATS[1][3].format(path=data / "dragons.jsonl")
        con.execute(f"COPY (SELECT * FROM {jsonl_source}) TO '{parquet}' (FORMAT PARQUET, COMPRESSION SNAPPY)")
    con.execute("SET threads = 1")
    print(f"engine: wyvern-select (one thread); peer: DuckDB {duckdb.__version__} (SET threads = 1)")
    print(f"{'input':<11} {'query':<20} {'wyvern MB/s':>12} {'rows/s':>12} {'DuckDB MB/s':>12} {'rows/s':>12} {'ratio':>7}")
    rows_of = {}
    for fmt_name, file, input_json, duck_source, duck_out in FORMATS:
        path = data / file
        size = path.stat().st_size
        source = duck_source.format(path=path)
        for qname, sql, duck_sql in QUERIES:
            # The engines take turns, each keeping its best: this machine's speed drifts over
            # seconds, and a ratio of two runs minutes apart would measure the drift.
            ours_ms = duck_ms = float("inf")
            for _ in range(args.rounds):
                r = json.loads(subprocess.run([str(bench), "run", str(path), input_json, sql], check=True,
                                              capture_output=True, text=True, cwd=ROOT).stdout)
                ours_ms = min(ours_ms, r["ms"])
                duck_ms = min(duck_ms, duckdb_run(con, source, duck_sql, duck_out))
            ours_mbps = size / 1e6 / (ours_ms / 1000)
            # A header line in CSV; Parquet holds the JSON Lines' rows (its lines are not counted).
            rows = r["rows"] - (1 if fmt_name == "CSV" else 0) or rows_of.get("JSON LINES", 0)
            rows_of.setdefault(fmt_name, rows)
            duck_mbps = size / 1e6 / (duck_ms / 1000)
            print(f"{fmt_name:<11} {qname:<20} {ours_mbps:>12.0f} {rows / (ours_ms / 1000):>12.0f} "
                  f"{duck_mbps:>12.0f} {rows / (duck_ms / 1000):>12.0f} {ours_mbps / duck_mbps:>6.2f}x")
    print("ratio = wyvern MB/s ÷ DuckDB MB/s (above 1: wyvern is faster)")


if __name__ == "__main__":
    main()
