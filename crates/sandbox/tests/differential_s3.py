"""Differential test: one learner's S3 session (listings, paging, ranges, puts, deletes, errors,
S3 Select on CSV, JSON Lines and the course's JSON document), sent with boto3 to the practice
account (the wyvern-sandbox binary) and to the local emulator (moto with Wyvern's patches, whose
S3 Select runs the same engine), call by call, and the answers compared.

    emulator/.venv/bin/python crates/sandbox/tests/differential_s3.py

Servers start as in differential_ssm.py (WYVERN_SANDBOX_BIN names a built binary; otherwise
`cargo build -p wyvern-sandbox`, honouring CARGO_TARGET_DIR). The emulator's S3 Select needs
target/release/s3select (cargo build --release --bin s3select). Exit status 0 when every
difference is an allowed one.

What is compared, for each call (path-style addressing on both sides):
- a success: the whole parsed response without ResponseMetadata; a body read in full; a select's
  events summarised (the Records payloads joined and compared line by line, JSON lines parsed;
  the Stats figures; whether End came; an error event's code and message). Masked: each side's
  bucket name, dates (LastModified, CreationDate), continuation tokens, the bucket Owner.
- an error: the HTTP status and boto3's Error dict (code, message and S3's extra members).
Each side uses its own keys: the sandbox's public practice keys, the emulator's learner user.
"""
import datetime
import json
import pathlib
import sys
from unittest import mock

import boto3
import botocore.auth
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError, EventStreamError

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import differential_ssm as common  # noqa: E402  (free ports, starting both servers)

REGION = "us-east-1"
SANDBOX_BUCKET = "dragons-app-practice"
BUCKET = object()  # stands for each side's own bucket in a call's arguments
# The emulator's buckets for Athena (emulator/wyvern_emulator.py: TABLES_BUCKET, RESULTS_BUCKET).
ATHENA_BUCKETS = {"wyvern-dragon-tables", "wyvern-athena-results"}
API = "https://docs.aws.amazon.com/AmazonS3/latest/API"

ALLOWED = {
    "bucket-region": {
        "why": "ListBuckets: AWS returns each bucket's BucketRegion; moto omits it",
        "ref": f"{API}/API_Bucket.html (BucketRegion)",
    },
    "athena-buckets": {
        "why": "ListBuckets: the emulator's class also has Athena's buckets (the tables' data and the query "
               "results); the practice account has no Athena, so only the class bucket",
        "ref": "emulator/wyvern_emulator.py (seed_athena)",
    },
    "bytes-processed": {
        "why": "Select Stats: the engine counts as processed the bytes of the records it read (up to where "
               "a LIMIT or a scan range stops it); moto's framing repeats BytesScanned",
        "ref": f"{API}/API_Stats.html (BytesProcessed: uncompressed object bytes processed)",
    },
    "continuation-token-echo": {
        "why": "ListObjectsV2 called with a ContinuationToken: AWS returns it in the response; moto omits it",
        "ref": f"{API}/API_ListObjectsV2.html#API_ListObjectsV2_ResponseSyntax (ContinuationToken: "
               "included in the response if it was sent with the request)",
    },
    "scan-range-scanned": {
        "why": "Select with a ScanRange: both count the bytes the engine was fed; the emulator's engine reads "
               "the object from a pipe in 4 KiB pieces, the sandbox feeds the range, then 1 KiB steps until "
               "the record crossing its end is complete (S3 scans the range and that record)",
        "ref": f"{API}/API_ScanRange.html; {API}/API_Stats.html",
    },
    "invalid-token": {
        "why": "A ContinuationToken S3 did not issue: AWS answers 400 InvalidArgument; moto fails with a 500",
        "ref": f"{API}/API_ListObjectsV2.html (ContinuationToken is obfuscated and issued by S3); "
               f"{API}/ErrorResponses.html (InvalidArgument)",
    },
    "signature-error-members": {
        "why": "Signature errors carry S3's own members (InvalidAccessKeyId: AWSAccessKeyId; "
               "RequestTimeTooSkewed: RequestTime, ServerTime, MaxAllowedSkewMilliseconds); moto adds "
               "BucketName instead. Code, message and status agree.",
        "ref": "https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html; "
               f"{API}/ErrorResponses.html",
    },
}


def client(endpoint, keys, **config):
    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **keys,
                        config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}, **config))


def lines(data, json_lines):
    text = data.decode("utf-8", "replace")
    rows = [line for line in text.split("\n") if line]
    return [json.loads(row) for row in rows] if json_lines else rows


def summarise(payload, json_lines):
    """A select's event stream: records (line by line), stats, end, error."""
    records, stats, end, error = b"", None, False, None
    try:
        for event in payload:
            if "Records" in event:
                records += event["Records"]["Payload"]
            elif "Stats" in event:
                stats = event["Stats"]["Details"]
            elif "End" in event:
                end = True
    except EventStreamError as e:
        error = {"Code": e.response["Error"]["Code"], "Message": e.response["Error"]["Message"]}
    return {"records": lines(records, json_lines), "stats": stats, "end": end, "error": error}


def outcome(call, kwargs, json_lines):
    try:
        answer = call(**kwargs)
    except ClientError as e:
        return {"error": e.response.get("Error", {}), "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}
    status = answer.pop("ResponseMetadata")["HTTPStatusCode"]
    if "Body" in answer:
        answer["Body"] = answer["Body"].read().decode("latin-1")
    if "Payload" in answer:
        answer["Payload"] = summarise(answer["Payload"], json_lines)
    return {"ok": answer, "status": status}


def mask(value, buckets):
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in ("LastModified", "CreationDate"):
                out[k] = "<date>"
            elif k in ("NextContinuationToken", "ContinuationToken"):
                out[k] = "<token>"
            elif k == "Owner":
                out[k] = "<owner>"
            else:
                out[k] = mask(v, buckets)
        return out
    if isinstance(value, list):
        return [mask(v, buckets) for v in value]
    if isinstance(value, str) and value in buckets:
        return "<bucket>"
    return value


class Session:
    def __init__(self, sides):
        self.sides = sides  # name -> (s3 client, bucket)
        self.calls = 0
        self.failures = []
        self.used = {}

    def allow(self, key, detail):
        assert key in ALLOWED, key
        self.used.setdefault(key, []).append(detail)

    def normalise(self, label, op, kwargs, s, e):
        """The allowances, each first checking that the sandbox does what AWS does."""
        so, eo = s.get("ok") or {}, e.get("ok") or {}
        if op == "list_buckets":
            for bucket in so.get("Buckets", []):
                if "BucketRegion" in bucket:
                    assert bucket["BucketRegion"] == REGION, bucket
                    self.allow("bucket-region", label)
                    del bucket["BucketRegion"]
            athena = [b for b in eo.get("Buckets", []) if b["Name"] in ATHENA_BUCKETS]
            if athena:
                assert len(athena) == len(ATHENA_BUCKETS), athena
                self.allow("athena-buckets", label)
                eo["Buckets"] = [b for b in eo["Buckets"] if b not in athena]
        if "ContinuationToken" in so and "ContinuationToken" not in eo:
            self.allow("continuation-token-echo", label)
            del so["ContinuationToken"]
        sp, ep = so.get("Payload"), eo.get("Payload")
        if sp and ep and sp["stats"] and ep["stats"]:
            range_end = (kwargs.get("ScanRange") or {}).get("End")
            if range_end is not None and sp["stats"]["BytesScanned"] != ep["stats"]["BytesScanned"]:
                assert range_end < sp["stats"]["BytesScanned"] <= range_end + 1 + 1024 + 1024, sp
                self.allow("scan-range-scanned", label)
                sp["stats"]["BytesScanned"] = ep["stats"]["BytesScanned"]
            if sp["stats"]["BytesProcessed"] != ep["stats"]["BytesProcessed"]:
                assert sp["stats"]["BytesProcessed"] <= sp["stats"]["BytesScanned"], sp
                self.allow("bytes-processed", label)
                sp["stats"]["BytesProcessed"] = ep["stats"]["BytesProcessed"]
        se, ee = s.get("error") or {}, e.get("error") or {}
        if se.get("Code") == "InvalidArgument" and ee.get("Code") == "500":
            assert se.get("ArgumentName") == "continuation-token", se
            self.allow("invalid-token", label)
            return None, None
        if se.get("Code") in ("SignatureDoesNotMatch", "InvalidAccessKeyId", "RequestTimeTooSkewed") and se.get("Code") == ee.get("Code"):
            extra = {k for k in se if k not in ("Code", "Message")} | {k for k in ee if k not in ("Code", "Message")}
            if extra:
                assert set(se) - {"Code", "Message"} <= {"AWSAccessKeyId", "RequestTime", "ServerTime", "MaxAllowedSkewMilliseconds"}, se
                self.allow("signature-error-members", label)
                for side in (se, ee):
                    for k in extra:
                        side.pop(k, None)
        return s, e

    def send(self, name, op, kwargs, json_lines, sides=None):
        self.calls += 1
        s3, bucket = (sides or self.sides)[name]
        kwargs = {k: (bucket if v is BUCKET else v) for k, v in kwargs.items()}
        return outcome(getattr(s3, op), kwargs, json_lines)

    def compare(self, label, op, kwargs, s, e):
        buckets = {self.sides["sandbox"][1], self.sides["emulator"][1]}
        plain = lambda answer: mask(json.loads(json.dumps(answer, default=str)), buckets)
        s, e = self.normalise(label, op, kwargs, plain(s), plain(e))
        if s is None:
            print(f"ok   {label} (allowed)")
        elif s == e:
            print(f"ok   {label}")
        else:
            self.failures.append((label, f"sandbox:  {json.dumps(s)}\n      emulator: {json.dumps(e)}"))
            print(f"DIFF {label}\n  sandbox:  {json.dumps(s)}\n  emulator: {json.dumps(e)}")

    def call(self, label, op, sides=None, json_lines=False, **kwargs):
        s, e = (self.send(name, op, kwargs, json_lines, sides) for name in ("sandbox", "emulator"))
        self.compare(label, op, kwargs, s, e)
        return s, e

    def pages(self, label, **kwargs):
        """ListObjectsV2 page by page, each side passing back its own token."""
        tokens = {"sandbox": None, "emulator": None}
        for number in range(1, 30):
            results = {}
            for name in ("sandbox", "emulator"):
                extra = {"ContinuationToken": tokens[name]} if tokens[name] else {}
                results[name] = self.send(name, "list_objects_v2", dict(kwargs, **extra), False)
            self.compare(f"{label}, page {number}", "list_objects_v2", kwargs, results["sandbox"], results["emulator"])
            tokens = {n: (r.get("ok") or {}).get("NextContinuationToken") for n, r in results.items()}
            if not (tokens["sandbox"] and tokens["emulator"]):
                return


def scenario(t, sandbox_url, emulator_url, emulator_keys):
    call = t.call
    # The class's bucket, then objects put for this session.
    call("list buckets", "list_buckets")
    call("head the class bucket", "head_bucket", Bucket=BUCKET)
    call("head a missing bucket", "head_bucket", Bucket="wyvern-no-such-bucket")
    call("put a text note", "put_object", Bucket=BUCKET, Key="notes/a.txt", Body=b"hello world", ContentType="text/plain")
    call("put a key with a space and a plus", "put_object", Bucket=BUCKET, Key="notes/b b+c.txt", Body=b"spaced")
    call("put with metadata", "put_object", Bucket=BUCKET, Key="notes/deep/x.txt", Body=b"deep", Metadata={"colour": "red"})
    call("put beside the folder", "put_object", Bucket=BUCKET, Key="notes.txt", Body=b"")
    call("put an empty-named folder marker", "put_object", Bucket=BUCKET, Key="notes/deep/", Body=b"")

    # Listings.
    call("list the top level by folder", "list_objects_v2", Bucket=BUCKET, Delimiter="/")
    call("list one folder", "list_objects_v2", Bucket=BUCKET, Prefix="notes/", Delimiter="/")
    call("list everything under a prefix", "list_objects_v2", Bucket=BUCKET, Prefix="notes")
    call("list after a key", "list_objects_v2", Bucket=BUCKET, Prefix="notes", StartAfter="notes/a.txt")
    call("list with MaxKeys 0", "list_objects_v2", Bucket=BUCKET, MaxKeys=0)
    call("list a prefix nothing has", "list_objects_v2", Bucket=BUCKET, Prefix="nothing/")
    call("list a missing bucket", "list_objects_v2", Bucket="wyvern-no-such-bucket")
    t.pages("list in pages of 2", Bucket=BUCKET, MaxKeys=2)
    t.pages("list folders in pages of 1", Bucket=BUCKET, MaxKeys=1, Delimiter="/")
    t.pages("list one folder in pages of 1", Bucket=BUCKET, Prefix="notes/", Delimiter="/", MaxKeys=1)
    call("a token nobody issued", "list_objects_v2", Bucket=BUCKET, ContinuationToken="not-a-token")

    # Reading objects, whole and in ranges.
    call("get a note", "get_object", Bucket=BUCKET, Key="notes/a.txt")
    call("get the seeded CSV", "get_object", Bucket=BUCKET, Key="samples/dragons.csv")
    call("get bytes 2-4", "get_object", Bucket=BUCKET, Key="notes/a.txt", Range="bytes=2-4")
    call("get the last 3 bytes", "get_object", Bucket=BUCKET, Key="notes/a.txt", Range="bytes=-3")
    call("get from byte 6", "get_object", Bucket=BUCKET, Key="notes/a.txt", Range="bytes=6-")
    call("get a range past the end", "get_object", Bucket=BUCKET, Key="notes/a.txt", Range="bytes=100-200")
    call("get a range that runs over", "get_object", Bucket=BUCKET, Key="notes/a.txt", Range="bytes=8-100")
    call("get a key with a space and a plus", "get_object", Bucket=BUCKET, Key="notes/b b+c.txt")
    call("get metadata back", "get_object", Bucket=BUCKET, Key="notes/deep/x.txt")
    call("get a missing key", "get_object", Bucket=BUCKET, Key="notes/none.txt")
    call("get from a missing bucket", "get_object", Bucket="wyvern-no-such-bucket", Key="x")
    call("head the data file", "head_object", Bucket=BUCKET, Key="dragon_stats_one.json")
    call("head a missing key", "head_object", Bucket=BUCKET, Key="notes/none.txt")
    call("head a range", "head_object", Bucket=BUCKET, Key="notes/a.txt", Range="bytes=0-4")

    # Deleting.
    call("delete a note", "delete_object", Bucket=BUCKET, Key="notes/a.txt")
    call("delete it again", "delete_object", Bucket=BUCKET, Key="notes/a.txt")
    call("get the deleted note", "get_object", Bucket=BUCKET, Key="notes/a.txt")
    call("list after the delete", "list_objects_v2", Bucket=BUCKET, Prefix="notes/")

    # S3 Select.
    select = lambda label, key, sql, input_, output, json_lines=False, **extra: call(
        label, "select_object_content", json_lines=json_lines, Bucket=BUCKET, Key=key, ExpressionType="SQL",
        Expression=sql, InputSerialization=input_, OutputSerialization=output, **extra)
    select("select red dragons from the CSV", "samples/dragons.csv",
           "SELECT s.dragon_name_str, s.family_str FROM S3Object s WHERE s.family_str = 'red'",
           {"CSV": {"FileHeaderInfo": "USE"}}, {"CSV": {}})
    select("select CSV to JSON with CAST", "samples/dragons.csv",
           "SELECT s.dragon_name_str, CAST(s.wingspan_ft AS INT) AS wingspan FROM S3Object s WHERE CAST(s.wingspan_ft AS INT) > 100",
           {"CSV": {"FileHeaderInfo": "USE"}}, {"JSON": {}}, json_lines=True)
    select("select an aggregate over the CSV", "samples/dragons.csv",
           "SELECT COUNT(*), MAX(CAST(s.age_years AS INT)) FROM S3Object s",
           {"CSV": {"FileHeaderInfo": "USE"}}, {"JSON": {}}, json_lines=True)
    select("select from JSON Lines", "samples/dragons.jsonl",
           "SELECT s.dragon_name_str, s.location_city_str FROM S3Object s WHERE s.age_years BETWEEN 100 AND 500",
           {"JSON": {"Type": "LINES"}}, {"JSON": {}}, json_lines=True)
    select("select the course's query on the data file", "dragon_stats_one.json",
           "select * from s3object[*][*] s", {"JSON": {"Type": "Document"}}, {"JSON": {}}, json_lines=True)
    select("select by name, as the Dragon API does", "dragon_stats_one.json",
           "select * from s3object[*][*] s where s.dragon_name_str = 'Atlas'",
           {"JSON": {"Type": "DOCUMENT"}}, {"JSON": {}}, json_lines=True)
    select("select with a scan range", "samples/dragons.csv", "SELECT s._1 FROM S3Object s",
           {"CSV": {"FileHeaderInfo": "NONE"}}, {"CSV": {}}, ScanRange={"Start": 0, "End": 400})
    select("select with bad SQL", "samples/dragons.csv", "SELECT FROM S3Object", {"CSV": {}}, {"CSV": {}})
    select("select a CAST that fails on the first record", "samples/dragons.csv",
           "SELECT CAST(s._2 AS INT) FROM S3Object s", {"CSV": {}}, {"CSV": {}})
    call("put a CSV that goes bad late", "put_object", Bucket=BUCKET, Key="notes/late.csv", Body=b"1\n2\n3\nfour\n")
    select("select a CAST that fails after records", "notes/late.csv",
           "SELECT CAST(s._1 AS INT) FROM S3Object s", {"CSV": {}}, {"CSV": {}})
    select("select from a missing key", "notes/none.csv", "SELECT * FROM S3Object", {"CSV": {}}, {"CSV": {}})

    # Signatures.
    wrong_secret = {"sandbox": (client(sandbox_url, dict(common.PRACTICE_KEYS, aws_secret_access_key="wrong")), SANDBOX_BUCKET),
                    "emulator": (client(emulator_url, dict(emulator_keys, aws_secret_access_key="wrong")), t.sides["emulator"][1])}
    call("the wrong secret", "list_objects_v2", sides=wrong_secret, Bucket=BUCKET)
    unknown = {"aws_access_key_id": "AKIAUNKNOWNKEY000000", "aws_secret_access_key": "x"}
    wrong_key = {"sandbox": (client(sandbox_url, unknown), SANDBOX_BUCKET),
                 "emulator": (client(emulator_url, unknown), t.sides["emulator"][1])}
    call("an unknown access key", "get_object", sides=wrong_key, Bucket=BUCKET, Key="dragon_stats_one.json")
    unsigned = {"sandbox": (client(sandbox_url, common.PRACTICE_KEYS, signature_version=UNSIGNED), SANDBOX_BUCKET),
                "emulator": (client(emulator_url, emulator_keys, signature_version=UNSIGNED), t.sides["emulator"][1])}
    call("an unsigned listing", "list_objects_v2", sides=unsigned, Bucket=BUCKET)
    call("an unsigned get", "get_object", sides=unsigned, Bucket=BUCKET, Key="dragon_stats_one.json")
    call("an unsigned get from a missing bucket", "get_object", sides=unsigned, Bucket="wyvern-no-such-bucket", Key="x")
    stale = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=stale):
        call("a request signed 20 minutes ago", "list_objects_v2", Bucket=BUCKET)

    # Clean up what this session put (the emulator keeps running for nobody, but be tidy).
    for key in ["notes/b b+c.txt", "notes/deep/x.txt", "notes/deep/", "notes.txt", "notes/late.csv"]:
        call(f"delete {key}", "delete_object", Bucket=BUCKET, Key=key)
    call("list the top level again", "list_objects_v2", Bucket=BUCKET, Delimiter="/")


def main():
    if not (common.ROOT / "target" / "release" / "s3select").exists():
        sys.exit("the emulator's S3 Select needs target/release/s3select: cargo build --release --bin s3select")
    with common.both_servers() as (sandbox_url, state, emulator_keys):
        t = Session({"sandbox": (client(sandbox_url, common.PRACTICE_KEYS), SANDBOX_BUCKET),
                     "emulator": (client(state["endpoint"], emulator_keys), state["bucket"])})
        scenario(t, sandbox_url, state["endpoint"], emulator_keys)
    common.report(t, ALLOWED, min_calls=50)


if __name__ == "__main__":
    main()
