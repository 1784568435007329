#!/usr/bin/env python3
"""Writes static/data/dragons.parquet, the bundled Parquet copy of static/data/dragons.jsonl,
with pyarrow (a well-known writer, as S3 Select's users have): typed columns (integers,
doubles, strings, a UTC timestamp in milliseconds), Snappy-compressed, in two row groups.
Parquet has no MISSING: a nickname that the JSON leaves out is NULL here.

Also writes tests/e2e/data/dragons-logbook.parquet for the browser tests of reading a live
object by ranged GETs: the dragons 20 times over in four row groups, with a last column of
incompressible logbook text, so the file is several times the first (64 KiB) read and a query
that does not ask for the logbook reads a small part of it.

Requirements: pyarrow from PyPI, e.g.
    python3 -m venv /work/venv-parquet && /work/venv-parquet/bin/pip install pyarrow
    /work/venv-parquet/bin/python scripts/make-dragons-parquet.py
"""

import datetime as dt
import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

DATA = Path(__file__).resolve().parent.parent / "static" / "data"

rows = [json.loads(line) for line in (DATA / "dragons.jsonl").read_text().splitlines() if line]
columns = []
for row in rows:
    for name in row:
        if name not in columns:
            columns.append(name)


def column_type(name):
    values = [r[name] for r in rows if r.get(name) is not None]
    if name == "last_seen":
        return pa.timestamp("ms", tz="UTC")
    if all(isinstance(v, int) for v in values):
        return pa.int64()
    if all(isinstance(v, (int, float)) for v in values):
        return pa.float64()
    return pa.string()


def value(name, v):
    if v is not None and name == "last_seen":
        return dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
    return v


schema = pa.schema([(name, column_type(name)) for name in columns])
table = pa.table(
    {name: pa.array([value(name, r.get(name)) for r in rows], type=schema.field(name).type) for name in columns},
    schema=schema,
)
pq.write_table(table, DATA / "dragons.parquet", compression="snappy", row_group_size=(len(rows) + 1) // 2)
print(f"wrote {DATA / 'dragons.parquet'}: {len(rows)} rows, {len(columns)} columns")

COPIES = 20
LOGBOOK = DATA.parent.parent / "tests" / "e2e" / "data" / "dragons-logbook.parquet"
many = pa.concat_tables([table] * COPIES)
logbook = [hashlib.sha256(f"entry {i}".encode()).hexdigest() * 2 for i in range(many.num_rows)]
many = many.append_column("logbook", pa.array(logbook, type=pa.string()))
LOGBOOK.parent.mkdir(parents=True, exist_ok=True)
pq.write_table(many, LOGBOOK, compression="snappy", row_group_size=many.num_rows // 4)
print(f"wrote {LOGBOOK}: {many.num_rows} rows, {LOGBOOK.stat().st_size} bytes")
