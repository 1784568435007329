"""Each example of the page, translated to Athena's SQL (`s3select --to-athena`, the engine's
translator), answers on the emulator's Athena engine (DuckDB, emulator/athena_engine.py) as S3
Select (the engine) answers on the same file: a check of the translation against another
engine, not of the engine against itself.

Compared column by column (S3 Select names an unaliased expression `_1`, `_2`…, Athena
`_col0`, `_col1`…), a MISSING field as NULL (Athena has no MISSING), numbers by value, booleans and
text as they are; where the dialects differ by design (the translator's notes), Athena's answer
is checked against what the note says it is.
"""

import json
import math
import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "emulator"))
import athena_engine  # noqa: E402

S3SELECT = pathlib.Path(os.environ.get("WYVERN_S3SELECT", ROOT / "target" / "release" / "s3select"))
DATA = ROOT / "static" / "data"

# The serializations of the page's datasets (src/model/dataset.rs, Dataset::input) and how the
# instructor kit's tables read the same files.
DATASETS = {
    "DragonsJson": ("dragons.json", '{"JSON":{"Type":"DOCUMENT"}}', "json"),
    "DragonsJsonLines": ("dragons.jsonl", '{"JSON":{"Type":"LINES"}}', "jsonl"),
    "DragonsCsv": ("dragons.csv", '{"CSV":{"FileHeaderInfo":"USE"}}', "csv"),
    "DragonsParquet": ("dragons.parquet", '{"Parquet":{}}', "parquet"),
}

# Examples without an Athena translation, and why (each must fail to translate with this code).
UNTRANSLATED = {
    "Path into an array by index": "UnsupportedSyntax",  # FROM S3Object: the whole document
    "Positional columns _1, _2": "UnsupportedSyntax",  # a table names CSV columns
    "Not in S3 Select: ORDER BY (see the error)": "UnsupportedSyntax",  # S3 Select refuses it
}

# Where the dialects differ by design (the translator's notes say so), what Athena answers
# instead, from S3 Select's own record: IS MISSING becomes IS NULL, true for a null field too.
DIFFERS = {
    ("MISSING vs NULL", "no_nickname"): lambda record: record.get("nickname") is None,
}


def examples():
    """(title, sql, dataset) of src/model/examples.rs, in order."""
    text = (ROOT / "src" / "model" / "examples.rs").read_text()
    found = re.findall(
        r'title:\s*"((?:[^"\\]|\\.)*)",\s*sql:\s*"((?:[^"\\]|\\.)*)",\s*dataset:\s*Dataset::(\w+)', text
    )
    unescape = lambda s: json.loads(f'"{s}"')
    return [(unescape(t), unescape(s), d) for t, s, d in found]


def s3select(*args, stdin=None):
    return subprocess.run([str(S3SELECT), *args], capture_output=True, text=True, input=stdin)


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9)
    return str(a) == str(b)


@pytest.fixture(scope="module")
def con():
    con = athena_engine.connect()
    for name, kind in {(f, k) for f, _, k in DATASETS.values()}:
        athena_engine.load(con, name.replace(".", "_"), DATA / name, kind)
    return con


def test_the_examples_are_all_read():
    found = examples()
    assert len(found) >= 15
    assert {d for _, _, d in found} <= set(DATASETS), "a dataset this test does not know"
    assert set(UNTRANSLATED) <= {t for t, _, _ in found}


@pytest.mark.parametrize("title,sql,dataset", examples(), ids=[t for t, _, _ in examples()])
def test_an_example_answers_on_athena_as_on_s3_select(con, title, sql, dataset):
    name, serialization, _ = DATASETS[dataset]
    table = name.replace(".", "_")
    translated = s3select("--to-athena", table, "--input-serialization", serialization, "--expression", sql)
    if title in UNTRANSLATED:
        assert translated.returncode == 1
        assert translated.stderr.startswith(UNTRANSLATED[title]), translated.stderr
        return
    assert translated.returncode == 0, translated.stderr
    answer = s3select(
        "--input-serialization", serialization, "--output-serialization", '{"JSON":{}}',
        "--expression", sql, str(DATA / name),
    )
    assert answer.returncode == 0, answer.stderr
    s3_rows = [json.loads(line) for line in answer.stdout.splitlines() if line.strip()]
    columns, rows = athena_engine.run(con, translated.stdout)
    assert len(rows) == len(s3_rows), f"{len(rows)} rows on Athena, {len(s3_rows)} on S3 Select"
    # S3 Select's key for each column: Athena's name, but `_1` where Athena says `_col0`.
    keys = [f"_{i + 1}" if re.fullmatch(r"_col\d+", c) else c for i, c in enumerate(columns)]
    for n, (row, record) in enumerate(zip(rows, s3_rows)):
        assert set(record) <= set(keys), f"row {n}: S3 Select gave {sorted(record)}, Athena {keys}"
        for key, value in zip(keys, row):
            differs = DIFFERS.get((title, key))
            expected = differs(record) if differs else record.get(key)  # MISSING is NULL on Athena
            assert same(value, expected), f"row {n}, {key}: Athena {value!r}, S3 Select {expected!r}"


def test_format_patterns_are_carried_over():
    assert athena_engine.joda_to_strftime("MMMM d, y") == "%B %-d, %Y"
    assert athena_engine.joda_to_strftime("yyyy-MM-dd'T'HH:mm") == "%Y-%m-%dT%H:%M"
    with pytest.raises(ValueError):
        athena_engine.joda_to_strftime("QQ")
