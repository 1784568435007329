#!/usr/bin/env python3
"""Writes the reference Parquet files of the engine's Parquet tests (checked in under data/),
and cross-checks the engine against DuckDB reading the same files.

Requirements: Python 3.9+, pyarrow and duckdb from PyPI, e.g.
    python3 -m venv /work/venv-parquet && /work/venv-parquet/bin/pip install pyarrow duckdb

    make.py                 rewrite data/*.parquet (and data/people.jsonl, the same rows as JSON)
    make.py --verify BIN    run the s3select binary BIN on every file (SELECT *, JSON output) and
                            compare each row with DuckDB's reading of the file; exits 1 on a
                            difference. Values are compared as values: timestamps as instants,
                            decimals and floats as numbers.

The files are small on purpose (a few KB each): every type with nulls, nested structs and lists,
several row groups, and each codec S3 Select reads (none, GZIP, Snappy) plus ones it refuses.
"""

import datetime as dt
import decimal
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

DATA = Path(__file__).resolve().parent / "data"
UTC = dt.timezone.utc


def types_table():
    d = decimal.Decimal
    return pa.table(
        {
            "i8": pa.array([-128, 0, None, 127], pa.int8()),
            "i16": pa.array([-32768, 1, None, 32767], pa.int16()),
            "i32": pa.array([-2147483648, 2, None, 2147483647], pa.int32()),
            "i64": pa.array([-9223372036854775808, 3, None, 9223372036854775807], pa.int64()),
            "u8": pa.array([0, 1, None, 255], pa.uint8()),
            "u16": pa.array([0, 1, None, 65535], pa.uint16()),
            "u32": pa.array([0, 1, None, 4294967295], pa.uint32()),
            "u64": pa.array([0, 1, None, 9223372036854775807], pa.uint64()),
            "f32": pa.array([0.1, -2.5, None, 3.0], pa.float32()),
            "f64": pa.array([0.1, -2.5, None, 1e300], pa.float64()),
            "dec9": pa.array([d("123.45"), d("-0.01"), None, d("9999999.99")], pa.decimal128(9, 2)),
            "dec18": pa.array([d("1.5000"), d("-12345678901234.5678"), None, d("0.0001")], pa.decimal128(18, 4)),
            "dec38": pa.array([d("1.5"), d("-2.25"), None, d("100.0")], pa.decimal128(38, 10)),
            "str": pa.array(["plain", "with \"quotes\", commas\nand a newline", None, "é😀"], pa.string()),
            "flag": pa.array([True, False, None, True], pa.bool_()),
            "born": pa.array([dt.date(2024, 3, 1), dt.date(1969, 12, 31), None, dt.date(1, 1, 1)], pa.date32()),
            "ts_ms": pa.array(
                [dt.datetime(2024, 3, 1, 12, 0, 0, 123000, UTC), dt.datetime(1970, 1, 1, tzinfo=UTC), None,
                 dt.datetime(2262, 4, 11, tzinfo=UTC)], pa.timestamp("ms", tz="UTC")),
            "ts_us": pa.array(
                [dt.datetime(2024, 3, 1, 12, 0, 0, 123456, UTC), dt.datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC), None,
                 dt.datetime(9999, 12, 31, 23, 59, 59, 999999, UTC)], pa.timestamp("us", tz="UTC")),
            "ts_ns": pa.array([1709294400123456789, 0, None, -1], pa.timestamp("ns", tz="UTC")),
            "ts_local": pa.array(
                [dt.datetime(2024, 3, 1, 12, 0), dt.datetime(2000, 2, 29, 23, 59, 58), None,
                 dt.datetime(1999, 12, 31)], pa.timestamp("us")),
            "bin": pa.array([b"bytes", b"", None, b"utf-8 \xc3\xa9"], pa.binary()),
        }
    )


def nested_table():
    point = pa.struct([("x", pa.int32()), ("y", pa.string())])
    return pa.table(
        {
            "id": pa.array([1, 2, 3, 4], pa.int32()),
            "s": pa.array(
                [{"a": 1, "b": {"c": "deep"}}, {"a": None, "b": None}, None, {"a": 4, "b": {"c": None}}],
                pa.struct([("a", pa.int64()), ("b", pa.struct([("c", pa.string())]))])),
            "l": pa.array([[1, 2, 3], [], None, [None, 5]], pa.list_(pa.int64())),
            "pts": pa.array([[{"x": 1, "y": "a"}, {"x": 2, "y": None}], None, [], [None]], pa.list_(point)),
            "ll": pa.array([[[1], [2, 3]], [[]], None, [None, [4]]], pa.list_(pa.list_(pa.int32()))),
            "tags": pa.array([["red", "blue"], ["green"], [], None], pa.list_(pa.string())),
        }
    )


def people_table():
    names = ["Atlas", "Blaze", "Cinder", "Drake", "Ember", "Frost", "Gale", "Hydra", "Ignis", "Jade"]
    return pa.table(
        {
            "id": pa.array(range(1, 11), pa.int64()),
            "name": pa.array(names, pa.string()),
            "age": pa.array([120, 80, None, 300, 45, 999, 12, 500, 77, 64], pa.int64()),
            "weight": pa.array([1.5, 2.25, 3.0, None, 0.5, 10.0, 7.75, 8.0, 9.5, 6.0], pa.float64()),
            "family": pa.array(["red", "blue", "red", "green", None, "blue", "red", "green", "red", "blue"], pa.string()),
        }
    )


def write():
    DATA.mkdir(exist_ok=True)
    pq.write_table(types_table(), DATA / "types.parquet", compression="snappy")
    pq.write_table(nested_table(), DATA / "nested.parquet", compression="snappy")
    people = people_table()
    # Three row groups of 4, 4 and 2 rows, once with each codec S3 Select reads.
    for codec in ["none", "gzip", "snappy"]:
        pq.write_table(people, DATA / f"people-{codec}.parquet", compression=codec, row_group_size=4)
    # Data page v2, no dictionary: the other page layout and plain encoding.
    pq.write_table(people, DATA / "people-v2-plain.parquet", compression="snappy", row_group_size=4,
                   data_page_version="2.0", use_dictionary=False)
    # The same rows as JSON Lines, to show both inputs give the same output.
    with open(DATA / "people.jsonl", "w") as f:
        for row in people.to_pylist():
            f.write(json.dumps(row, separators=(",", ":")) + "\n")
    # What S3 Select refuses: a ZSTD column, an INT96 timestamp, a MAP.
    small = pa.table({"id": pa.array([1, 2], pa.int64())})
    pq.write_table(small, DATA / "zstd.parquet", compression="zstd")
    int96 = pa.table({"id": pa.array([1], pa.int64()),
                      "t": pa.array([dt.datetime(2024, 3, 1)], pa.timestamp("ns"))})
    pq.write_table(int96, DATA / "int96.parquet", use_deprecated_int96_timestamps=True)
    maps = pa.table({"id": pa.array([1], pa.int64()),
                     "m": pa.array([[("k", 1)]], pa.map_(pa.string(), pa.int64()))})
    pq.write_table(maps, DATA / "map.parquet")
    for p in sorted(DATA.glob("*")):
        print(f"{p.name}: {p.stat().st_size} bytes")


def normalise(v):
    """A value as both readers can agree on it."""
    if isinstance(v, dict):
        return {k: normalise(x) for k, x in v.items()}
    if isinstance(v, list):
        return [normalise(x) for x in v]
    if isinstance(v, (dt.datetime, dt.date)):
        if isinstance(v, dt.datetime):
            return ("instant", (v if v.tzinfo else v.replace(tzinfo=UTC)).timestamp())
        return ("date", v.isoformat())
    if isinstance(v, str):
        for fmt, kind in [("%Y-%m-%dT", "date")]:
            try:
                return (kind, dt.datetime.strptime(v, fmt).date().isoformat())
            except ValueError:
                pass
        if len(v) >= 20 and v[4] == "-" and v[10] == "T" and v.endswith("Z"):
            head, _, frac = v[:-1].partition(".")
            base = dt.datetime.strptime(head, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
            return ("instant", base.timestamp() + (float("0." + frac) if frac else 0.0))
        return v
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, (decimal.Decimal, float)) and not isinstance(v, bool):
        return float(v)
    return v


def same(a, b):
    # Relative 1e-7: the engine widens a FLOAT (f32) through its shortest text (0.1), DuckDB
    # exactly (0.10000000149011612).
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) <= 1e-7 * max(1, abs(a), abs(b))
    if isinstance(a, tuple) and isinstance(b, tuple) and a[0] == b[0] == "instant":
        return abs(a[1] - b[1]) < 1e-6
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def verify(binary):
    import duckdb

    failures = 0
    for path in sorted(DATA.glob("*.parquet")):
        # Files the engine refuses on purpose (the fuzzed-* ones are the fuzz target's finds).
        if path.name in ("zstd.parquet", "int96.parquet", "map.parquet") or path.name.startswith("fuzzed-"):
            continue
        ours = subprocess.run(
            [binary, "--expression", "SELECT * FROM S3Object", "--input-serialization", '{"Parquet":{}}',
             "--output-serialization", '{"JSON":{}}', str(path)],
            capture_output=True, text=True)
        if ours.returncode != 0:
            print(f"{path.name}: s3select failed: {ours.stderr.strip()}")
            failures += 1
            continue
        our_rows = [json.loads(line) for line in ours.stdout.splitlines()]
        con = duckdb.connect()
        cur = con.execute(f"SELECT * FROM read_parquet('{path}')")
        names = [c[0] for c in cur.description]
        duck_rows = [dict(zip(names, r)) for r in cur.fetchall()]
        if len(our_rows) != len(duck_rows):
            print(f"{path.name}: {len(our_rows)} rows, DuckDB {len(duck_rows)}")
            failures += 1
            continue
        for i, (o, d) in enumerate(zip(our_rows, duck_rows)):
            # DuckDB gives absent struct members and NULLs alike as None; the engine writes null.
            o, d = normalise(o), normalise(d)
            if not same(o, d):
                print(f"{path.name} row {i + 1}:\n  s3select {o}\n  duckdb   {d}")
                failures += 1
        print(f"{path.name}: {len(our_rows)} rows checked")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--verify":
        verify(sys.argv[2])
    else:
        write()
