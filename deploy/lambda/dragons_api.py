"""The course's Dragon API as an API Gateway Lambda proxy handler (REST API, stage prod,
resource /dragons): the instructor kit deploys it as the Lambda, and the local emulator serves it.

GET  /dragons                     every dragon
GET  /dragons?dragonName=Atlas    by name   } with S3 Select on the data file, like the course;
GET  /dragons?family=red          by family } family wins when both are given
POST /dragons                     report a dragon (JSON body); a duplicate name is refused

The data file is one JSON document, which S3 Select reads as a single record of at most 1 MB:
past that every list and every learner's query on it fails. So a report is refused when it
would make the file larger than MAX_DATA_BYTES (413), when a field is longer than
MAX_FIELD_BYTES in UTF-8 (400), and when its reporter already has MAX_REPORTS_PER_REPORTER
dragons in the file (403, with "error": REPORT_LIMIT_EXCEEDED beside the message: a quota that
stays reached, not throttling, which clients would retry as they retry a 429). Each report
records its reporter (REPORTED_BY): the class account's `sub` from the user-pool authorizer's
claims (an opaque id, so the data guests read names no one), else, under IAM authorization, the
caller's identity-pool identity or IAM ARN (the local emulator passes the same requestContext).
An event that names nobody (no authorizer in front of the handler) counts as one reporter,
ANONYMOUS.

Values from the request never become SQL: quotes are doubled, so a name like
`x' or '1'='1` is a string, not a condition. Where the data lives comes from the SSM
parameters dragon_data_bucket_name and dragon_data_file_name (as in the course). Accounts
without S3 Select (closed to new customers) get the same answers: the handler then reads the
object and filters it itself. CORS allows the origin in ALLOWED_ORIGIN (the site's), else any.
"""
import json
import os

import boto3
from botocore.exceptions import ClientError

FIELDS = {
    "dragonName": "dragon_name_str",
    "description": "description_str",
    "family": "family_str",
    "city": "location_city_str",
    "country": "location_country_str",
    "state": "location_state_str",
    "neighborhood": "location_neighborhood_str",
}
REQUIRED = list(FIELDS) + ["reportingPhoneNumber", "confirmationRequired"]
REPORTED_BY = "reported_by_str"
ANONYMOUS = "anonymous"
MAX_FIELD_BYTES = 500
MAX_DATA_BYTES = 512 * 1024
MAX_REPORTS_PER_REPORTER = 10
# The error code of the refusal once a reporter has MAX_REPORTS_PER_REPORTER dragons in the file.
REPORT_LIMIT_EXCEEDED = "ReportLimitExceeded"
CORS = {
    "Access-Control-Allow-Origin": os.environ.get("ALLOWED_ORIGIN") or "*",
    "Access-Control-Allow-Headers": "Authorization,X-Amz-Date,X-Amz-Security-Token,Content-Type",
    "Access-Control-Allow-Methods": "GET,POST,OPTIONS",
}


def _clients():
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    return boto3.client("s3", endpoint_url=endpoint), boto3.client("ssm", endpoint_url=endpoint)


def _where():
    _, ssm = _clients()
    bucket = ssm.get_parameter(Name="dragon_data_bucket_name")["Parameter"]["Value"]
    key = ssm.get_parameter(Name="dragon_data_file_name")["Parameter"]["Value"]
    return bucket, key


def sql_string(value):
    """A SQL string literal: the value with its quotes doubled."""
    return "'" + str(value).replace("'", "''") + "'"


def _respond(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json", **CORS}, "body": json.dumps(body)}


# Errors that mean the account or bucket has no S3 Select.
SELECT_UNAVAILABLE = {"MethodNotAllowed", "NotImplemented", "UnsupportedOperation", "AccessDenied"}


def _select(column, value):
    """Records whose `column` equals `value` (every record when column is None)."""
    s3, _ = _clients()
    bucket, key = _where()
    sql = "select * from s3object[*][*] s" + (f" where s.{column} = {sql_string(value)}" if column else "")
    try:
        answer = s3.select_object_content(
            Bucket=bucket, Key=key, ExpressionType="SQL", Expression=sql,
            InputSerialization={"JSON": {"Type": "DOCUMENT"}}, OutputSerialization={"JSON": {}},
        )
        text = "".join(ev["Records"]["Payload"].decode() for ev in answer["Payload"] if "Records" in ev)
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except ClientError as e:
        if e.response.get("Error", {}).get("Code") not in SELECT_UNAVAILABLE:
            raise
    records = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    return [r for r in records if column is None or r.get(column) == value]


def list_dragons(params):
    params = params or {}
    if params.get("family"):
        return _respond(200, _select("family_str", params["family"]))
    if params.get("dragonName"):
        return _respond(200, _select("dragon_name_str", params["dragonName"]))
    return _respond(200, _select(None, None))


def reporter(event):
    """Who sends the request (see the module's notes)."""
    context = event.get("requestContext") or {}
    claims = (context.get("authorizer") or {}).get("claims") or {}
    identity = context.get("identity") or {}
    return claims.get("sub") or identity.get("cognitoIdentityId") or identity.get("userArn") or ANONYMOUS


def short_text(value):
    """Text of at most MAX_FIELD_BYTES in UTF-8. Control characters, which JSON escapes to six
    bytes each, and lone surrogates, which UTF-8 cannot hold, are refused."""
    if not isinstance(value, str) or any(c < " " for c in value):
        return False
    try:
        return len(value.encode("utf-8")) <= MAX_FIELD_BYTES
    except UnicodeEncodeError:
        return False


def report_dragon(body, who):
    try:
        dragon = json.loads(body or "")
    except ValueError:
        return _respond(400, {"message": "The body must be a JSON object."})
    if not isinstance(dragon, dict):
        return _respond(400, {"message": "The body must be a JSON object."})
    missing = [f for f in REQUIRED if dragon.get(f) in (None, "")]
    if missing:
        return _respond(400, {"message": "Missing: " + ", ".join(missing) + "."})
    if not isinstance(dragon["confirmationRequired"], bool):
        return _respond(400, {"message": "confirmationRequired must be true or false."})
    if not all(short_text(dragon[f]) for f in FIELDS):
        return _respond(400, {"message": f"Every field must be one line of text of at most {MAX_FIELD_BYTES} bytes (UTF-8)."})
    s3, _ = _clients()
    bucket, key = _where()
    records = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    name = dragon["dragonName"].strip()
    if any(r.get("dragon_name_str", "").lower() == name.lower() for r in records):
        return _respond(409, {"message": f"A dragon named {name} is already reported."})
    if sum(r.get(REPORTED_BY) == who for r in records) >= MAX_REPORTS_PER_REPORTER:
        return _respond(403, {
            "error": REPORT_LIMIT_EXCEEDED,
            "message": f"You have reported {MAX_REPORTS_PER_REPORTER} dragons, as many as one learner may.",
        })
    records.append({**{FIELDS[f]: dragon[f].strip() for f in FIELDS}, REPORTED_BY: who})
    # UTF-8 as it is: ensure_ascii would write up to 12 bytes for one character.
    data = json.dumps(records, indent=2, ensure_ascii=False).encode("utf-8")
    if len(data) > MAX_DATA_BYTES:
        return _respond(413, {"message": f"The class's dragon data is full ({MAX_DATA_BYTES // 1024} KiB): no more reports can be kept."})
    s3.put_object(Bucket=bucket, Key=key, Body=data, ContentType="application/json")
    return _respond(201, {"message": f"{name} reported. Thank you!"})


def handler(event, context=None):
    method = event.get("httpMethod")
    if method == "OPTIONS":
        return {"statusCode": 200, "headers": CORS, "body": ""}
    if method == "GET":
        return list_dragons(event.get("queryStringParameters"))
    if method == "POST":
        return report_dragon(event.get("body"), reporter(event))
    return _respond(405, {"message": f"{method} is not supported on /dragons."})
