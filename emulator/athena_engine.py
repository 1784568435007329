"""Athena's SQL (Trino's dialect) run by DuckDB: the emulator's stand-in for Athena's engine, on
the same data. sqlglot rewrites each query from Trino's dialect to DuckDB's; the functions whose
meaning sqlglot does not carry over are rewritten here:

- format_datetime(ts, 'Joda-Time pattern') becomes strftime(ts, '%… pattern');
- date_diff(unit, a, b) becomes date_sub(unit, a, b): Trino counts whole units, as DuckDB's
  date_sub does (DuckDB's date_diff counts the unit boundaries crossed).
"""

import re

import duckdb
import sqlglot
from sqlglot import exp

# Joda-Time pattern letters (by how many are written) → strftime's.
JODA = {
    "y": "%Y", "yyyy": "%Y", "yy": "%y",
    "M": "%-m", "MM": "%m", "MMM": "%b", "MMMM": "%B",
    "d": "%-d", "dd": "%d",
    "H": "%-H", "HH": "%H", "h": "%-I", "hh": "%I",
    "m": "%-M", "mm": "%M", "s": "%-S", "ss": "%S",
    "a": "%p", "EEE": "%a", "EEEE": "%A",
}


def joda_to_strftime(pattern):
    """A Joda-Time pattern as strftime's: letters in runs, 'quoted' text as it is."""
    out = []
    for run in re.finditer(r"'([^']*)'|([A-Za-z])\2*|[^A-Za-z']+", pattern):
        text = run.group(0)
        if run.group(1) is not None:
            out.append(run.group(1).replace("%", "%%") or "'")
        elif text[0].isalpha():
            if text not in JODA:
                raise ValueError(f"the Joda-Time pattern {text!r} has no strftime equivalent here")
            out.append(JODA[text])
        else:
            out.append(text.replace("%", "%%"))
    return "".join(out)


def _rewrite(node):
    if isinstance(node, exp.Anonymous) and node.name.lower() == "format_datetime":
        value, pattern = node.expressions
        args = [value, exp.Literal.string(joda_to_strftime(pattern.this))]
        return exp.Anonymous(this="strftime", expressions=args)
    if isinstance(node, exp.DateDiff):
        unit = node.args.get("unit")
        name = unit.name if unit is not None else "day"
        args = [exp.Literal.string(name.lower()), node.expression, node.this]
        return exp.Anonymous(this="date_sub", expressions=args)
    return node


def to_duckdb(sql):
    """Trino's SQL as DuckDB runs it."""
    return sqlglot.parse_one(sql, read="trino").transform(_rewrite).sql(dialect="duckdb")


def connect():
    """One thread, so rows come out in the order they are stored, as a scan reads them."""
    con = duckdb.connect()
    con.execute("SET threads = 1")
    con.execute("SET TimeZone = 'UTC'")
    return con


def quoted(name):
    """A name as a DuckDB identifier."""
    return '"' + name.replace('"', '""') + '"'


def _text(value):
    """A value as a DuckDB string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def load(con, table, paths, kind, columns=None):
    """A table over files (a path or a list), typed as the instructor kit's Glue tables are:
    CSV columns are text; JSON's numbers are numbers and its text stays text (no guessing of
    timestamps). `columns` ({name: DuckDB type}, a Glue table's) names and types them; a
    table with no files is empty."""
    if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
        paths = [paths]
    files = "[" + ", ".join(_text(p) for p in paths) + "]"
    # `db.table`: a table in a schema.
    name = ".".join(quoted(part) for part in table.split(".", 1))
    if not paths:
        body = ", ".join(f"{quoted(n)} {t}" for n, t in (columns or {"_": "VARCHAR"}).items())
        con.execute(f"CREATE OR REPLACE TABLE {name} ({body})")
        return
    typed = ""
    if columns and kind == "csv":
        typed = ", names = [" + ", ".join(_text(n) for n in columns) + "]"
    elif columns and kind in ("json", "jsonl"):
        typed = ", columns = {" + ", ".join(f"{_text(n)}: {_text(t)}" for n, t in columns.items()) + "}"
    source = {
        "csv": f"read_csv({files}, header = true, all_varchar = true{typed})",
        "jsonl": f"read_json({files}, format = 'newline_delimited', dateformat = 'NONE', timestampformat = 'NONE'{typed})",
        "json": f"read_json({files}, format = 'array', dateformat = 'NONE', timestampformat = 'NONE'{typed})",
        "parquet": f"read_parquet({files})",
    }[kind]
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {source}")


def column_names(sql, duckdb_names):
    """The names Athena gives a query's columns: an alias, a column's own name, `_colN` for any
    other expression (DuckDB names those after their text); `*` keeps the table's names."""
    select = sqlglot.parse_one(sql, read="trino")
    items = select.expressions if isinstance(select, exp.Select) else []
    if len(items) != len(duckdb_names) or any(isinstance(i, exp.Star) for i in items):
        return duckdb_names
    names = []
    for i, item in enumerate(items):
        if isinstance(item, exp.Alias):
            names.append(item.alias)
        elif isinstance(item, exp.Column) and not isinstance(item.this, exp.Star):
            names.append(item.name)
        else:
            names.append(f"_col{i}")
    return names


def run(con, sql):
    """Column names (as Athena gives them) and rows of Athena query `sql`."""
    cursor = con.execute(to_duckdb(sql))
    return column_names(sql, [d[0] for d in cursor.description]), cursor.fetchall()
