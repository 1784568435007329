"""Differential test: the Dragon API (GET and POST /prod/dragons, signed with SigV4 for
execute-api) on the practice account and on the local emulator, whose handler is the instructor
kit's Lambda itself. Status, Content-Type and the body's bytes are compared; then S3 Select on the
data file shows each side's report, as in class.

    emulator/.venv/bin/python crates/sandbox/tests/differential_dragons.py

Servers start as in differential_ssm.py. Exit status 0 when every difference is an allowed one.
"""
import json
import pathlib
import sys
import urllib.error
import urllib.request

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import differential_ssm as common  # noqa: E402

REGION = "us-east-1"
PATH = "/prod/dragons"

ALLOWED = {
    "reporter": {
        "why": "A report records its reporter: under IAM authorization API Gateway passes the signer's ARN; "
               "the sandbox's practice user and the emulator's learner user have different ARNs",
        "ref": "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html "
               "(requestContext.identity.userArn)",
    },
    "iam-refusal": {
        "why": "A failed SigV4 check: API Gateway (IAM authorization) answers 403 with the signature error; the "
               "emulator answers 401 Unauthorized to every failed check",
        "ref": "https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html "
               "(INVALID_SIGNATURE, UNAUTHORIZED: 403 for a bad signature)",
    },
}


def send(endpoint, keys, method, query="", body=None):
    url = endpoint + PATH + query
    req = AWSRequest(method=method, url=url, data=body, headers={"Content-Type": "application/json"} if body else {})
    SigV4Auth(Credentials(keys["aws_access_key_id"], keys["aws_secret_access_key"]), "execute-api", REGION).add_auth(req)
    prepared = req.prepare()
    data = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
    r = urllib.request.Request(prepared.url, data=data, method=method, headers=dict(prepared.headers))
    try:
        with urllib.request.urlopen(r, timeout=30) as answer:
            return answer.status, answer.headers.get("Content-Type"), answer.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read()


def report(name, **changes):
    body = {"dragonName": name, "description": "Breathes fire.", "family": "red", "city": "cardiff",
            "country": "uk", "state": "wales", "neighborhood": "roath", "reportingPhoneNumber": "555-0100",
            "confirmationRequired": False}
    body.update(changes)
    return json.dumps(body)


class Session:
    def __init__(self, sides, arns):
        self.sides, self.arns = sides, arns
        self.calls, self.failures, self.used = 0, [], {}

    def call(self, label, method, query="", body=None, keys=None, allow=None, expect=None):
        answers = {}
        for name, (endpoint, own_keys) in self.sides.items():
            self.calls += 1
            status, content_type, data = send(endpoint, (keys or {}).get(name, own_keys), method, query, body)
            answers[name] = (status, content_type.split(";")[0].lower() if content_type else None,
                             data.replace(self.arns[name].encode(), b"<reporter>"))
        if b"<reporter>" in answers["sandbox"][2]:
            self.used.setdefault("reporter", []).append(label)
        s, e = answers["sandbox"], answers["emulator"]
        if allow:
            if s[0] == expect:
                self.used.setdefault(allow, []).append(f"{label}: emulator {e[0]}")
                print(f"ok   {label} (allowed: {allow})")
            else:
                self.failures.append((label, f"the sandbox answered {s}, expected {expect}"))
                print(f"FAIL {label}: {s}")
            return
        if s == e:
            print(f"ok   {label}")
        else:
            self.failures.append((label, f"sandbox:  {s!r}\n      emulator: {e!r}"))
            print(f"DIFF {label}\n  sandbox:  {s!r}\n  emulator: {e!r}")


def select_names(endpoint, keys, bucket, where):
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **keys,
                      config=Config(s3={"addressing_style": "path"}))
    answer = s3.select_object_content(
        Bucket=bucket, Key="dragon_stats_one.json", ExpressionType="SQL",
        Expression=f"select s.dragon_name_str from s3object[*][*] s where {where}",
        InputSerialization={"JSON": {"Type": "DOCUMENT"}}, OutputSerialization={"JSON": {}})
    text = "".join(e["Records"]["Payload"].decode() for e in answer["Payload"] if "Records" in e)
    return [json.loads(line)["dragon_name_str"] for line in text.splitlines() if line]


def scenario(t, emulator_keys):
    t.call("list every dragon", "GET")
    t.call("list a family", "GET", "?family=red")
    t.call("find by name", "GET", "?dragonName=Atlas")
    t.call("family wins over name", "GET", "?dragonName=Atlas&family=blue")
    t.call("an empty family is no filter", "GET", "?family=&dragonName=Blaze")
    t.call("a quote is text, not SQL", "GET", "?dragonName=x%27%20or%20%271%27%3D%271")
    t.call("a name with a space", "GET", "?dragonName=Nobody%20Here")
    t.call("report a dragon", "POST", body=report("Zog Ælfwine"))
    t.call("the report is listed", "GET", "?dragonName=Zog%20%C3%86lfwine")
    t.call("report it again, in capitals", "POST", body=report("ZOG ÆLFWINE"))
    t.call("a report missing fields", "POST", body=json.dumps({"dragonName": "Nib", "city": ""}))
    t.call("confirmationRequired as text", "POST", body=report("Nib", confirmationRequired="yes"))
    t.call("a field of 501 bytes", "POST", body=report("Nib", description="é" * 250 + "x"))
    t.call("a field of two lines", "POST", body=report("Nib", neighborhood="a\nb"))
    t.call("a body that is a list", "POST", body="[1, 2]")
    t.call("a body that is not JSON", "POST", body="dragon")
    for i in range(9):
        t.call(f"report whelp {i}", "POST", body=report(f"Whelp {i}"))
    t.call("the eleventh report", "POST", body=report("Whelp 9"))
    t.call("a method the API does not have", "DELETE")
    wrong = {"sandbox": dict(common.PRACTICE_KEYS, aws_secret_access_key="wrong"),
             "emulator": dict(emulator_keys, aws_secret_access_key="wrong")}
    t.call("the wrong secret", "GET", keys=wrong, allow="iam-refusal", expect=403)


def main():
    with common.both_servers() as (sandbox_url, state, emulator_keys):
        sts = boto3.client("sts", endpoint_url=state["endpoint"], region_name=REGION, **emulator_keys)
        arns = {"sandbox": "arn:aws:iam::123456789012:user/practice-learner",
                "emulator": sts.get_caller_identity()["Arn"]}
        t = Session({"sandbox": (sandbox_url, common.PRACTICE_KEYS), "emulator": (state["endpoint"], emulator_keys)}, arns)
        scenario(t, emulator_keys)
        # What S3 Select sees of the reports, as the class would query it.
        seen = {name: select_names(url, keys, bucket, "s.family_str = 'red' and s.location_city_str = 'cardiff'")
                for name, url, keys, bucket in [("sandbox", sandbox_url, common.PRACTICE_KEYS, "dragons-app-practice"),
                                                ("emulator", state["endpoint"], emulator_keys, state["bucket"])]}
        if seen["sandbox"] == seen["emulator"] and "Zog Ælfwine" in seen["sandbox"]:
            print(f"ok   S3 Select sees the same {len(seen['sandbox'])} reports")
        else:
            t.failures.append(("S3 Select after the reports", repr(seen)))
    common.report(t, ALLOWED)

if __name__ == "__main__":
    main()
