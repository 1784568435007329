"""Amazon Athena in the emulator: StartQueryExecution runs the query for real, on DuckDB
(athena_engine.py), over the objects in the emulator's S3 that the Glue tables it names point
at, so an answer is computed from the data, never canned. moto keeps the routing, the signature
check, IAM and the workgroups (their result location and per-query scan limit); the four query
calls are answered here. IAM is asked as AWS asks it: each call on its workgroup's ARN (moto
asks about "*"), and a query reads its tables' Glue definitions and S3 objects and writes its
result with the caller's permissions, failing as Athena fails when one is missing.

What Athena does and this does too: a query is QUEUED, then RUNNING, then SUCCEEDED, FAILED or
CANCELLED (GetQueryExecution moves it along; with the `slow_athena` fault it stays RUNNING that
many seconds, so a test can stop it); DataScannedInBytes counts the objects read; a query over
the workgroup's BytesScannedCutoffPerQuery is cancelled; GetQueryResults pages with NextToken
and puts the column names as the first row of the first page; the result CSV lands in the
workgroup's output location. A failed query's StateChangeReason starts with Athena's error name
(SYNTAX_ERROR, COLUMN_NOT_FOUND, TABLE_NOT_FOUND); the words after it are DuckDB's.
"""

import csv
import io
import json
import tempfile
import threading
import time
import uuid

import athena_engine
import iam_checks
import sqlglot
from sqlglot import exp

# Athena's type names for DuckDB's.
TYPES = {
    "VARCHAR": "varchar", "BIGINT": "bigint", "INTEGER": "integer", "DOUBLE": "double",
    "FLOAT": "float", "BOOLEAN": "boolean", "TIMESTAMP": "timestamp", "DATE": "date",
    "TIMESTAMP WITH TIME ZONE": "timestamp with time zone", "HUGEINT": "decimal",
}
# Glue column types → DuckDB's, for JSON tables (CSV columns are read as text).
GLUE_TYPES = {
    "string": "VARCHAR", "bigint": "BIGINT", "int": "INTEGER", "double": "DOUBLE",
    "float": "FLOAT", "boolean": "BOOLEAN", "timestamp": "TIMESTAMP", "date": "DATE",
}


class Query:
    def __init__(self, sql, workgroup):
        self.id = str(uuid.uuid4())
        self.sql = sql
        self.workgroup = workgroup
        self.started = time.time()
        self.ready_at = self.started
        self.polls = 0
        self.final = "SUCCEEDED"
        self.reason = None
        self.columns = []
        self.rows = []
        self.scanned = 0
        self.engine_ms = 0
        self.output = None


def _error(code, message, status=400):
    return json.dumps({"__type": code, "Message": message}), {"status": status}


def _table_kind(table):
    """How a Glue table's objects are read: its SerDe, and whether a CSV header is skipped."""
    descriptor = table.get("StorageDescriptor", {})
    serde = descriptor.get("SerdeInfo", {}).get("SerializationLibrary", "")
    if "JsonSerDe" in serde:
        return "jsonl"
    if "Parquet" in serde:
        return "parquet"
    return "csv"


def _athena_error(e):
    """Athena's error name for a failure DuckDB or sqlglot reports."""
    text = str(e)
    if isinstance(e, sqlglot.errors.ParseError) or text.startswith("Parser Error"):
        return "SYNTAX_ERROR"
    if "Referenced column" in text or "not found in FROM clause" in text:
        return "COLUMN_NOT_FOUND"
    if text.startswith("Catalog Error") and "Table" in text:
        return "TABLE_NOT_FOUND"
    if "Conversion Error" in text or "Could not convert" in text:
        return "INVALID_CAST_ARGUMENT"
    return "GENERIC_USER_ERROR"


def _text(value):
    """A value as Athena's GetQueryResults writes it (VarCharValue)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat") and hasattr(value, "hour"):
        return value.strftime("%Y-%m-%d %H:%M:%S.") + f"{value.microsecond // 1000:03d}"
    return str(value)


class AthenaService:
    def __init__(self, faults):
        self.faults = faults
        self.queries = {}
        self.tokens = {}
        self.lock = threading.Lock()

    def _backends(self, response):
        from moto.glue.models import glue_backends
        from moto.s3.models import s3_backends

        account, region = response.current_account, response.region
        return glue_backends[account][region], s3_backends[account]["aws"]

    def _load_tables(self, con, response, tree, database):
        """Loads each Glue table the query names into DuckDB (under its database's schema, so
        `db.table` and `table` both name it); returns the bytes read."""
        glue, s3 = self._backends(response)
        scanned = 0
        local = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
        for node in tree.find_all(exp.Table):
            if not node.db and node.name in local:
                continue  # a WITH query's own name
            db = node.db or database
            self._require(response, "glue:GetTable", f"arn:aws:glue:{response.region}:{response.current_account}:table/{db}/{node.name}")
            try:
                table = glue.get_table(db, node.name).as_dict()
            except Exception:
                raise LookupError(f"TABLE_NOT_FOUND: line 1:1: Table 'awsdatacatalog.{db}.{node.name}' does not exist")
            location = table["StorageDescriptor"]["Location"]
            bucket, _, prefix = location.removeprefix("s3://").partition("/")
            prefix = prefix if not prefix or prefix.endswith("/") else prefix + "/"
            self._require(response, "s3:ListBucket", f"arn:aws:s3:::{bucket}", location)
            objects = [k for k in s3.get_bucket(bucket).keys.values() if k.name.startswith(prefix) and not k.name.endswith("/")]
            for obj in objects:
                self._require(response, "s3:GetObject", f"arn:aws:s3:::{bucket}/{obj.name}", f"s3://{bucket}/{obj.name}")
            kind = _table_kind(table)
            columns = {c["Name"]: GLUE_TYPES.get(c["Type"].lower(), "VARCHAR") for c in table["StorageDescriptor"].get("Columns", [])}
            # The objects as files for DuckDB, for as long as the table is being made.
            with tempfile.TemporaryDirectory() as folder:
                paths = []
                for i, obj in enumerate(objects):
                    scanned += len(obj.value)
                    path = f"{folder}/{i}.{kind}"
                    with open(path, "wb") as f:
                        f.write(obj.value)
                    paths.append(path)
                con.execute(f"CREATE SCHEMA IF NOT EXISTS {athena_engine.quoted(db)}")
                athena_engine.load(con, f"{db}.{node.name}", paths, kind, columns or None)
        return scanned

    @staticmethod
    def _require(response, action, resource, path=None):
        """Refuses the query as Athena does when the caller may not do `action` on `resource`:
        Glue's refusal names the action, S3's the path."""
        if not iam_checks.checking() or iam_checks.decide(response, action, resource, iam_checks.ATHENA) == "allow":
            return
        if path is None:
            raise PermissionError("Insufficient permissions to execute the query. " + iam_checks.not_authorized(response, action, resource))
        if action == "s3:PutObject":
            raise PermissionError(f"Access denied when writing output to url: {path}")
        raise PermissionError(f"Permission denied on S3 path: {path}")

    def workgroup_of(self, response):
        """The workgroup a call is about: named, or the one its query ran in (primary if none)."""
        name = response._get_param("WorkGroup")
        if not name:
            query = self._find(response)
            name = query.workgroup if query else "primary"
        return name

    def start(self, response):
        # A retried start (same ClientRequestToken) is the same query, as in Athena.
        token = response._get_param("ClientRequestToken")
        with self.lock:
            again = self.tokens.get(token) if token else None
        if again:
            return json.dumps({"QueryExecutionId": again})
        answer = self._start(response)
        if token:
            with self.lock:
                self.tokens[token] = json.loads(answer)["QueryExecutionId"]
        return answer

    def _start(self, response):
        sql = response._get_param("QueryString") or ""
        context = response._get_param("QueryExecutionContext") or {}
        name = response._get_param("WorkGroup") or "primary"
        workgroup = response.athena_backend.get_work_group(name)
        if workgroup is None:
            return _error("InvalidRequestException", f"WorkGroup {name} is not found.")
        config = workgroup.get("Configuration") or {}
        query = Query(sql, name)
        query.ready_at = query.started + float(getattr(self.faults, "slow_athena", 0) or 0)
        output = (config.get("ResultConfiguration") or {}).get("OutputLocation")
        if output:
            query.output = output.rstrip("/") + f"/{query.id}.csv"
        con = athena_engine.connect()
        began = time.time()
        database = context.get("Database", "default")
        try:
            tree = sqlglot.parse_one(sql, read="trino")
            if not isinstance(tree, (exp.Select, exp.Union)):
                raise sqlglot.errors.ParseError("this emulator's Athena runs SELECT queries only")
            query.scanned = self._load_tables(con, response, tree, database)
            # The query itself reads the loaded tables only: no files, no settings.
            con.execute(f"SET schema = {athena_engine.quoted(database)}")
            con.execute("SET enable_external_access = false")
            con.execute("SET lock_configuration = true")
            cutoff = config.get("BytesScannedCutoffPerQuery")
            if cutoff is not None and query.scanned > int(cutoff):
                query.final = "CANCELLED"
                query.reason = "Query cancelled: it scanned more than the workgroup's per-query limit (BytesScannedCutoffPerQuery)."
            else:
                if query.output:
                    self._require(response, "s3:PutObject", "arn:aws:s3:::" + query.output.removeprefix("s3://"), query.output)
                columns, rows = athena_engine.run(con, sql)
                query.columns = list(zip(columns, self._types(con, sql, columns)))
                query.rows = [[None if v is None else _text(v) for v in row] for row in rows]
                self._write_result(response, query)
        except (LookupError, PermissionError) as e:
            query.final, query.reason = "FAILED", str(e)
        except Exception as e:  # DuckDB's or sqlglot's refusal of the query
            query.final, query.reason = "FAILED", f"{_athena_error(e)}: {str(e).splitlines()[0]}"
        finally:
            con.close()
        query.engine_ms = int((time.time() - began) * 1000)
        with self.lock:
            self.queries[query.id] = query
        return json.dumps({"QueryExecutionId": query.id})

    def _types(self, con, sql, columns):
        """The result's column types, from DuckDB's description of the query."""
        try:
            described = con.execute(f"DESCRIBE {athena_engine.to_duckdb(sql)}").fetchall()
            return [TYPES.get(str(row[1]).upper(), str(row[1]).lower()) for row in described]
        except Exception:
            return ["varchar"] * len(columns)

    def _write_result(self, response, query):
        """The result CSV in the workgroup's output location, as Athena writes it."""
        if not query.output:
            return
        out = io.StringIO()
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow([c for c, _ in query.columns])
        for row in query.rows:
            writer.writerow(["" if v is None else v for v in row])
        bucket, _, key = query.output.removeprefix("s3://").partition("/")
        _, s3 = self._backends(response)
        try:
            s3.put_object(bucket_name=bucket, key_name=key, value=out.getvalue().encode())
        except Exception:
            pass  # a missing results bucket fails the query in AWS; here the rows are still there

    def _find(self, response):
        with self.lock:
            return self.queries.get(response._get_param("QueryExecutionId") or "")

    def _state(self, query):
        if query.final == "CANCELLED" and query.reason and query.reason.startswith("Query cancelled by user"):
            return "CANCELLED"
        if time.time() < query.ready_at:
            return "QUEUED" if query.polls == 0 else "RUNNING"
        return query.final

    def get(self, response):
        query = self._find(response)
        if query is None:
            return _error("InvalidRequestException", "QueryExecution was not found")
        state = self._state(query)
        query.polls += 1
        status = {"State": state, "SubmissionDateTime": query.started}
        if state in ("FAILED", "CANCELLED"):
            status["StateChangeReason"] = query.reason
            if state == "FAILED":
                status["AthenaError"] = {"ErrorCategory": 2, "ErrorType": 1000, "Retryable": False, "ErrorMessage": query.reason}
        done = state in ("SUCCEEDED", "FAILED", "CANCELLED")
        if done:
            status["CompletionDateTime"] = max(query.ready_at, query.started)
        execution = {
            "QueryExecutionId": query.id,
            "Query": query.sql,
            "StatementType": "DML",
            "Status": status,
            "Statistics": {
                "DataScannedInBytes": query.scanned if done else 0,
                "EngineExecutionTimeInMillis": query.engine_ms if done else 0,
            },
            "WorkGroup": query.workgroup,
        }
        if query.output:
            execution["ResultConfiguration"] = {"OutputLocation": query.output}
        return json.dumps({"QueryExecution": execution})

    def results(self, response):
        query = self._find(response)
        if query is None:
            return _error("InvalidRequestException", "QueryExecution was not found")
        state = self._state(query)
        if state != "SUCCEEDED":
            return _error("InvalidRequestException", f"Query has not yet finished. Current state: {state}")
        # Athena reads the result file with the caller's permissions.
        if query.output:
            try:
                self._require(response, "s3:GetObject", "arn:aws:s3:::" + query.output.removeprefix("s3://"), query.output)
            except PermissionError as e:
                return _error("InvalidRequestException", str(e))
        try:
            size = int(response._get_param("MaxResults") or 1000)
            start = int(response._get_param("NextToken") or 0)
        except ValueError:
            return _error("InvalidRequestException", "NextToken is not one this query issued.")
        if not 1 <= size <= 1000 or start < 0:
            return _error("InvalidRequestException", "MaxResults must be from 1 to 1000.")
        header = [{"Data": [{"VarCharValue": c} for c, _ in query.columns]}]
        rows = header + [{"Data": [{} if v is None else {"VarCharValue": v} for v in row]} for row in query.rows]
        page = rows[start:start + size]
        answer = {
            "UpdateCount": 0,
            "ResultSet": {
                "Rows": page,
                "ResultSetMetadata": {"ColumnInfo": [
                    {"CatalogName": "hive", "SchemaName": "", "TableName": "", "Name": c, "Label": c, "Type": t,
                     "Precision": 0, "Scale": 0, "Nullable": "UNKNOWN", "CaseSensitive": t == "varchar"}
                    for c, t in query.columns
                ]},
            },
        }
        if start + size < len(rows):
            answer["NextToken"] = str(start + size)
        return json.dumps(answer)

    def stop(self, response):
        query = self._find(response)
        if query is None:
            return _error("InvalidRequestException", "QueryExecution was not found")
        if self._state(query) in ("QUEUED", "RUNNING"):
            query.final, query.reason = "CANCELLED", "Query cancelled by user"
            query.rows = []
        return json.dumps({})


def patch(faults):
    """Answers the four query calls with an AthenaService (moto's other Athena calls stay), and has
    IAM authorise each call on its workgroup's ARN."""
    from moto.athena.responses import AthenaResponse
    from moto.core.exceptions import AccessDeniedError

    service = AthenaService(faults)
    iam_checks.patch_called_via()
    authorize = AthenaResponse._authenticate_and_authorize_normal_action
    on_workgroup = {"StartQueryExecution", "GetQueryExecution", "GetQueryResults", "StopQueryExecution",
                    "GetWorkGroup", "UpdateWorkGroup", "DeleteWorkGroup"}

    def authorize_on_workgroup(self, resource="*"):
        if self._get_action() in on_workgroup:
            resource = f"arn:aws:athena:{self.region}:{self.current_account}:workgroup/{service.workgroup_of(self)}"
        try:
            authorize(self, resource)
        except AccessDeniedError:
            error = iam_checks.json_access_denied(self, f"athena:{self._get_action()}", resource)
            # moto sends its own (XML) headers with an authorisation failure: the JSON error's go with it.
            self.response_headers.update(error.get_headers())
            raise error from None

    AthenaResponse._authenticate_and_authorize_normal_action = authorize_on_workgroup
    AthenaResponse.start_query_execution = lambda self: service.start(self)
    AthenaResponse.get_query_execution = lambda self: service.get(self)
    AthenaResponse.get_query_results = lambda self: service.results(self)
    AthenaResponse.stop_query_execution = lambda self: service.stop(self)
    return service
