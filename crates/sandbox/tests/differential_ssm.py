"""Differential test: one learner's Parameter Store session, sent with boto3 to the practice
account (the wyvern-sandbox binary) and to the local emulator (moto with Wyvern's patches), call
by call, and the answers compared.

    emulator/.venv/bin/python crates/sandbox/tests/differential_ssm.py

It builds the binary with `cargo build -p wyvern-sandbox` (honouring CARGO_TARGET_DIR) unless
WYVERN_SANDBOX_BIN names one, and starts both servers on free ports. Exit status 0 when every
difference is an allowed one.

What is compared, for each call:
- a success: the whole parsed response without ResponseMetadata; LastModifiedDate and NextToken
  values are masked (times and opaque tokens), and GetParameters' list is sorted by name (AWS:
  "The results for GetParameters requests are listed in alphabetical order"; moto's order is
  random). Tokens are passed back to the side that issued them.
- an error: the HTTP status, the error code and the message.
Each side uses its own keys: the sandbox's public practice keys, the emulator's learner user.

Differences kept on purpose are in ALLOWED below, each with the AWS reference that decides it:
where moto and AWS disagree, the sandbox follows AWS.
"""
import base64
import contextlib
import datetime
import json
import os
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import time
from unittest import mock

import boto3
import botocore.auth
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

ROOT = pathlib.Path(__file__).resolve().parents[3]
PREFIX = "/wyvern-diff"
REGION = "us-east-1"
ACCOUNT = "123456789012"
PRACTICE_KEYS = {"aws_access_key_id": "AKIAPRACTICE00000000",
                 "aws_secret_access_key": "wyvernPracticeKey/PublicNotASecret/00000"}
REF = "https://docs.aws.amazon.com/systems-manager/latest/APIReference"

# The differences the sandbox keeps on purpose. `applies` is checked on the sandbox's answer, so an
# allowance never hides a sandbox regression.
ALLOWED = {
    "not-found-message": {
        "why": "ParameterNotFound: AWS sends the error without a message (botocore shows "
               "'...GetParameter operation: ' with nothing after it); moto says 'Parameter X not found.'",
        "ref": f"{REF}/API_GetParameter.html#API_GetParameter_Errors (no message documented); "
               "AWS answers quoted in github.com/awslabs/aws-simple-cicd/issues/10 and "
               "github.com/mattclay/aws-terminator/issues/113",
    },
    "selector": {
        "why": "GetParameter(s) with name:version: AWS returns Parameter.Selector (':1'); moto omits it",
        "ref": f"{REF}/API_Parameter.html (Selector)",
    },
    "describe-arn": {
        "why": "DescribeParameters: AWS returns ParameterMetadata.ARN; moto omits it",
        "ref": f"{REF}/API_ParameterMetadata.html (ARN)",
    },
    "last-modified-user": {
        "why": "LastModifiedUser is the ARN of the IAM user who changed the parameter; moto says 'N/A'",
        "ref": f"{REF}/API_ParameterMetadata.html and API_ParameterHistory.html (LastModifiedUser)",
    },
    "ciphertext": {
        "why": "An undecrypted SecureString is an opaque base64 KMS ciphertext (AQICAH...); moto "
               "answers 'kms:alias/aws/ssm:' followed by the plaintext",
        "ref": f"{REF}/API_GetParameter.html (WithDecryption); "
               "https://docs.aws.amazon.com/cli/latest/reference/ssm/get-parameter.html (example 2)",
    },
    "seeded-bucket": {
        "why": "The seeds differ in one value: dragon_data_bucket_name is the practice account's "
               "bucket (dragons-app-practice), the emulator's is wyvern-dragon-data",
        "ref": "not an AWS behaviour: each account names its own bucket",
    },
    "unknown-key": {
        "why": "An access key AWS does not know: JSON 1.1 services answer 400 "
               "UnrecognizedClientException (JSON); moto 403 InvalidClientTokenId (XML)",
        "ref": "https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html; "
               "SSM's answer quoted in github.com/coveooss/spring-boot-parameter-store-integration/issues/3",
    },
    "wrong-signature": {
        "why": "A signature made with the wrong secret: JSON 1.1 services answer 400 "
               "InvalidSignatureException; moto 403 SignatureDoesNotMatch (XML, S3's code)",
        "ref": "https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html",
    },
    "missing-auth": {
        "why": "An unsigned request: AWS answers 400 MissingAuthenticationTokenException; moto fails with a 500",
        "ref": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html (every request is signed)",
    },
    "expired-signature": {
        "why": "A request signed more than 15 minutes ago: AWS answers 400 InvalidSignatureException "
               "'Signature expired: ...'; moto accepts it",
        "ref": "https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html "
               "(request signature expired)",
    },
    "describe-max-results": {
        "why": "DescribeParameters honours MaxResults (1-50) and refuses 51 with a ValidationException; "
               "moto ignores MaxResults (pages of 10)",
        "ref": f"{REF}/API_DescribeParameters.html#API_DescribeParameters_RequestSyntax (MaxResults: 1-50)",
    },
    "delete-parameters-limit": {
        "why": "DeleteParameters takes at most 10 names (ValidationException beyond); moto takes any number",
        "ref": f"{REF}/API_DeleteParameters.html (Names: 1-10 items)",
    },
    "invalid-next-token": {
        "why": "A NextToken the service did not issue: AWS answers 400 InvalidNextToken; moto fails with a 500",
        "ref": f"{REF}/API_GetParametersByPath.html#API_GetParametersByPath_Errors (InvalidNextToken)",
    },
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sandbox_binary():
    named = os.environ.get("WYVERN_SANDBOX_BIN")
    if named:
        return pathlib.Path(named)
    subprocess.run(["cargo", "build", "-q", "-p", "wyvern-sandbox", "--bin", "wyvern-sandbox"], cwd=ROOT, check=True)
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "debug" / "wyvern-sandbox"


def start_sandbox():
    proc = subprocess.Popen([str(sandbox_binary()), "--port", "0"], stdout=subprocess.PIPE, text=True)
    first = proc.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+", first)
    if not found:
        proc.kill()
        sys.exit(f"the sandbox did not start: {first!r}")
    return proc, found.group(0)


def start_emulator(tmp):
    state_path = tmp / "emulator-state.json"
    engine = ROOT / "target" / "release" / "s3select"
    engine = engine if engine.exists() else pathlib.Path("/bin/false")  # S3 Select is not used here
    log = open(tmp / "emulator.log", "w")
    proc = subprocess.Popen([str(ROOT / "emulator" / ".venv" / "bin" / "python"), str(ROOT / "emulator" / "wyvern_emulator.py"),
                             "--port", str(free_port()), "--state", str(state_path), "--s3select", str(engine)],
                            stdout=log, stderr=log)
    for _ in range(900):
        if state_path.exists() and state_path.stat().st_size:
            break
        if proc.poll() is not None:
            sys.exit((tmp / "emulator.log").read_text())
        time.sleep(0.1)
    else:
        proc.kill()
        sys.exit("the emulator did not start in 90 s")
    return proc, json.loads(state_path.read_text())


@contextlib.contextmanager
def both_servers():
    """The sandbox binary and the emulator, stopped on the way out: yields the sandbox's URL, the
    emulator's state (endpoint, bucket, keys) and the emulator's keys as boto3 arguments."""
    with tempfile.TemporaryDirectory() as tmp:
        sandbox_proc, sandbox_url = start_sandbox()
        emulator_proc, state = start_emulator(pathlib.Path(tmp))
        emulator_keys = {"aws_access_key_id": state["access_key_id"], "aws_secret_access_key": state["secret_access_key"]}
        try:
            yield sandbox_url, state, emulator_keys
        finally:
            sandbox_proc.terminate()
            emulator_proc.terminate()
            sandbox_proc.wait(timeout=10)
            emulator_proc.wait(timeout=10)


def report(t, allowed, min_calls=0):
    """Prints the session's figures and the allowed differences seen; exits 1 on any other."""
    print(f"\n{t.calls // 2} calls on each side.")
    if t.used:
        print("Allowed differences seen:")
        for key, where in t.used.items():
            print(f"  {key} ({len(where)}x): {allowed[key]['why']}\n      ref: {allowed[key]['ref']}")
    assert t.calls // 2 >= min_calls, f"the scenario must make at least {min_calls} calls"
    if t.failures:
        print(f"\n{len(t.failures)} unexpected difference(s):")
        for label, detail in t.failures:
            print(f"  {label}\n      {detail}")
        sys.exit(1)
    print("No unexpected differences.")


def client(endpoint, keys, **config):
    return boto3.client("ssm", endpoint_url=endpoint, region_name=REGION, **keys,
                        config=Config(retries={"total_max_attempts": 1}, **config))


def mask(value):
    """Times and tokens vary by run and by side: keep only that they are there."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k == "LastModifiedDate":
                out[k] = "<date>"
            elif k == "NextToken":
                out[k] = "<token>"
            else:
                out[k] = mask(v)
        return out
    if isinstance(value, list):
        return [mask(v) for v in value]
    return value


def outcome(call, kwargs):
    try:
        answer = call(**kwargs)
    except ClientError as e:
        error = e.response.get("Error", {})
        return {"error": error.get("Code"), "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
                "message": error.get("Message", "")}
    answer.pop("ResponseMetadata", None)
    return {"ok": answer}


def parameters_of(answer):
    """The parameter dicts of a success, wherever the operation puts them."""
    ok = answer.get("ok") or {}
    found = list(ok.get("Parameters") or [])
    if "Parameter" in ok:
        found.append(ok["Parameter"])
    return found


class Session:
    def __init__(self, sandbox, emulator):
        self.sides = {"sandbox": sandbox, "emulator": emulator}
        self.calls = 0
        self.failures = []
        self.used = {}

    def allow(self, key, detail):
        self.used.setdefault(key, []).append(detail)

    def normalise(self, label, op, kwargs, s, e):
        """Applies the global allowances (each first checks the sandbox does what AWS does)."""
        if s.get("error") == e.get("error") == "ParameterNotFound":
            assert s["message"] == "", f"{label}: the sandbox's ParameterNotFound has a message"
            if e["message"]:
                self.allow("not-found-message", label)
                e = dict(e, message="")
        if op == "get_parameters" and "ok" in s and "ok" in e:
            for side in (s, e):
                side["ok"]["Parameters"].sort(key=lambda p: (p["Name"], p["Version"]))
        decrypted = kwargs.get("WithDecryption") is True
        for sp, ep in zip(parameters_of(s), parameters_of(e)):
            if "Selector" in sp and "Selector" not in ep:
                assert re.fullmatch(r":\d+", sp["Selector"]), sp
                self.allow("selector", label)
                del sp["Selector"]
            if op == "describe_parameters" and "ARN" in sp and "ARN" not in ep:
                assert sp["ARN"] == f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/{sp['Name'].lstrip('/')}", sp
                self.allow("describe-arn", label)
                del sp["ARN"]
            if "LastModifiedUser" in sp:
                assert sp["LastModifiedUser"].startswith(f"arn:aws:iam::{ACCOUNT}:user/"), sp
                if ep.get("LastModifiedUser") == "N/A":
                    self.allow("last-modified-user", label)
                    sp["LastModifiedUser"] = ep["LastModifiedUser"]
            if sp.get("Type") == "SecureString" and "Value" in sp and not decrypted:
                plain = ep.get("Value", "").removeprefix("kms:alias/aws/ssm:")
                assert sp["Value"].startswith("AQICAH") and base64.b64decode(sp["Value"]), sp
                assert len(plain) < 6 or plain not in sp["Value"], sp
                if ep.get("Value", "").startswith("kms:"):
                    self.allow("ciphertext", label)
                    sp["Value"] = ep["Value"] = "<ciphertext>"
            if sp.get("Name") == "dragon_data_bucket_name" and "Value" in sp:
                assert sp["Value"] == "dragons-app-practice", sp
                self.allow("seeded-bucket", label)
                sp["Value"] = ep["Value"]
        return mask(s), mask(e)

    def call(self, label, op, sides=None, expect=None, allow=None, **kwargs):
        """One call on both sides. With `allow`, the sides may differ as ALLOWED[allow] says, but
        the sandbox's answer must be `expect` ((code, status) or "ok")."""
        per_side = {name: (ssm, kwargs) for name, ssm in (sides or self.sides).items()}
        if not allow:
            return self.compare(label, op, per_side, kwargs)
        assert allow in ALLOWED, allow
        s, e = (self.send(op, *per_side[name]) for name in ("sandbox", "emulator"))
        got = "ok" if "ok" in s else (s["error"], s["status"])
        if got != expect:
            self.failures.append((label, f"the sandbox answered {s}, expected {expect}"))
            print(f"FAIL {label}: sandbox {s}")
        else:
            self.allow(allow, f"{label}: emulator {e.get('error') or 'ok'} {e.get('status', '')}".rstrip())
            print(f"ok   {label} (allowed: {allow})")
        return s, e

    def pages(self, label, op, **kwargs):
        """Pages through a listing on both sides, each with its own tokens, comparing page by page."""
        tokens = {"sandbox": None, "emulator": None}
        for number in range(1, 21):
            per_side = {name: (ssm, dict(kwargs, **({"NextToken": tokens[name]} if tokens[name] else {})))
                        for name, ssm in self.sides.items()}
            s, e = self.compare(f"{label}, page {number}", op, per_side, kwargs)
            tokens = {"sandbox": (s.get("ok") or {}).get("NextToken"), "emulator": (e.get("ok") or {}).get("NextToken")}
            if not (tokens["sandbox"] and tokens["emulator"]):
                return

    def send(self, op, ssm, kwargs):
        self.calls += 1
        return outcome(getattr(ssm, op), kwargs)

    def compare(self, label, op, per_side, kwargs):
        s, e = (self.send(op, *per_side[name]) for name in ("sandbox", "emulator"))
        plain = lambda answer: json.loads(json.dumps(answer, default=str))
        ns, ne = self.normalise(label, op, kwargs, plain(s), plain(e))
        if ns == ne:
            print(f"ok   {label}")
        else:
            self.failures.append((label, f"sandbox:  {json.dumps(ns)}\n      emulator: {json.dumps(ne)}"))
            print(f"DIFF {label}\n  sandbox:  {json.dumps(ns)}\n  emulator: {json.dumps(ne)}")
        return s, e


def scenario(t, sandbox_url, emulator_url, emulator_keys):
    P = PREFIX
    put = lambda label, **kw: t.call(label, "put_parameter", **kw)
    get = lambda label, **kw: t.call(label, "get_parameter", **kw)

    # Versions, overwrites and selectors.
    put("put a String with a description", Name=f"{P}/colour", Value="red", Type="String", Description="Favourite colour")
    put("put it again without Overwrite", Name=f"{P}/colour", Value="blue", Type="String")
    put("overwrite without a Type", Name=f"{P}/colour", Value="blue", Overwrite=True)
    put("overwrite with a Type", Name=f"{P}/colour", Value="green", Type="String", Overwrite=True)
    get("get the latest version", Name=f"{P}/colour")
    get("get version 1 by selector", Name=f"{P}/colour:1")
    get("get a version that does not exist", Name=f"{P}/colour:9")
    get("get by an unknown label", Name=f"{P}/colour:latest")
    get("get a missing parameter", Name=f"{P}/missing")
    get("get by ARN", Name=f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter{P}/colour")
    put("put a StringList", Name=f"{P}/families", Value="red,blue,black", Type="StringList")
    put("put a SecureString", Name=f"{P}/secret/feeding", Value="dawn and dusk, daily", Type="SecureString")
    get("get a SecureString undecrypted", Name=f"{P}/secret/feeding")
    get("get a SecureString decrypted", Name=f"{P}/secret/feeding", WithDecryption=True)
    put("put a top-level name", Name="wyvern-diff-top", Value="top", Type="String")
    get("a top-level name read with a leading slash", Name="/wyvern-diff-top")
    put("spaces around a name are dropped", Name=f"  {P}/trimmed ", Value="trimmed", Type="String")
    get("get the trimmed name", Name=f"{P}/trimmed")

    # GetParameters.
    t.call("get several, some invalid", "get_parameters",
           Names=[f"{P}/colour", f"{P}/missing", f"{P}/families", f"{P}/colour:1", f"{P}/colour:7"])
    t.call("get several decrypted, with a seeded one", "get_parameters", WithDecryption=True,
           Names=[f"{P}/secret/feeding", "dragon_data_file_name", "dragon_data_bucket_name"])
    t.call("get eleven names", "get_parameters", Names=[f"{P}/n{i}" for i in range(11)])

    # Names, sizes and types AWS refuses.
    for name in [f"{P}/fire breath", f"{P}/email@class", "relative/path", f"{P}//empty-level"]:
        put(f"refused name {name!r}", Name=name, Value="v", Type="String")
    arn_prefix = f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter"
    longest = f"{P}/long/" + "n" * (1011 - len(arn_prefix) - len(P) - 6)
    assert len(arn_prefix + longest) == 1011
    put("the longest name (1011 with its ARN)", Name=longest, Value="v", Type="String")
    put("one character longer", Name=longest + "n", Value="v", Type="String")
    fifteen = P + "".join(f"/L{i}" for i in range(2, 15)) + "/name"
    put("fifteen levels", Name=fifteen, Value="v", Type="String")
    put("sixteen levels", Name=P + "".join(f"/L{i}" for i in range(2, 16)) + "/name", Value="v", Type="String")
    put("a 4096-character value", Name=f"{P}/size/standard", Value="x" * 4096, Type="String")
    put("a 4097-character value", Name=f"{P}/size/too-big", Value="x" * 4097, Type="String")
    put("an Advanced 8192-character value", Name=f"{P}/size/advanced", Value="x" * 8192, Type="String", Tier="Advanced")
    put("Intelligent-Tiering picks Advanced", Name=f"{P}/size/auto", Value="x" * 5000, Type="String", Tier="Intelligent-Tiering")
    for name in ["awsTestParameter", "SSM-testparameter", "/ssm/dragons", "/aws/dragons"]:
        put(f"reserved prefix {name!r}", Name=name, Value="v", Type="String")
    put("an empty value", Name=f"{P}/empty", Value="", Type="String")
    put("a new parameter without a Type", Name=f"{P}/untyped", Value="v")
    put("an unknown Type", Name=f"{P}/typo", Value="v", Type="Str")

    # GetParametersByPath, in pages.
    for i in range(5):
        put(f"put page item {i}", Name=f"{P}/pages/p{i}", Value=f"v{i}", Type="String")
    put("put a deeper page item", Name=f"{P}/pages/deeper/p5", Value="v5", Type="String")
    t.pages("by path, recursive, 2 a page", "get_parameters_by_path", Path=f"{P}/pages", Recursive=True, MaxResults=2)
    t.pages("by path, one level, 2 a page", "get_parameters_by_path", Path=f"{P}/pages/", MaxResults=2)
    t.call("by path, MaxResults 11", "get_parameters_by_path", Path=f"{P}/pages", MaxResults=11)
    t.call("by path '/', top-level names", "get_parameters_by_path", Path="/")
    t.call("by path filtered to SecureString, decrypted", "get_parameters_by_path", Path=P, Recursive=True, WithDecryption=True,
           ParameterFilters=[{"Key": "Type", "Values": ["SecureString"]}])
    t.call("by path with a Name filter", "get_parameters_by_path", Path=P, ParameterFilters=[{"Key": "Name", "Values": ["x"]}])
    t.call("the seeded /dragons hierarchy", "get_parameters_by_path", Path="/dragons", Recursive=True)

    # History, in pages.
    put("overwrite the SecureString", Name=f"{P}/secret/feeding", Value="noon and midnight", Overwrite=True)
    t.pages("history, 2 a page", "get_parameter_history", Name=f"{P}/colour", MaxResults=2)
    t.call("history of a SecureString, decrypted", "get_parameter_history", Name=f"{P}/secret/feeding", WithDecryption=True)
    t.call("history of a SecureString, undecrypted", "get_parameter_history", Name=f"{P}/secret/feeding")
    t.call("history, MaxResults 51", "get_parameter_history", Name=f"{P}/colour", MaxResults=51)
    t.call("history of a missing parameter", "get_parameter_history", Name=f"{P}/missing")

    # DescribeParameters with filters, in pages of the default size.
    d = f"{P}/described"
    put("put a described String", Name=f"{d}/plain", Value="a", Type="String")
    put("put a described StringList", Name=f"{d}/list", Value="a,b", Type="StringList")
    put("put a described SecureString", Name=f"{d}/hidden", Value="hidden value", Type="SecureString", Description="shh")
    describe = lambda label, **kw: t.call(label, "describe_parameters", **kw)
    describe("describe one level", ParameterFilters=[{"Key": "Path", "Values": [d]}])
    describe("describe recursively, SecureString only", ParameterFilters=[
        {"Key": "Path", "Option": "Recursive", "Values": [P]}, {"Key": "Type", "Option": "Equals", "Values": ["SecureString"]}])
    describe("describe by name prefix", ParameterFilters=[{"Key": "Name", "Option": "BeginsWith", "Values": [f"{d}/pl"]}])
    describe("describe a top-level name", ParameterFilters=[{"Key": "Name", "Values": ["wyvern-diff-top"]}])
    t.pages("describe everything, default page size", "describe_parameters")
    describe("a path filter without its slash", ParameterFilters=[{"Key": "Path", "Values": ["dragons"]}])
    describe("a path filter under /aws", ParameterFilters=[{"Key": "Path", "Values": ["/aws/x"]}])
    describe("an unknown Type value", ParameterFilters=[{"Key": "Type", "Values": ["Foo"]}])
    describe("an unknown Name option", ParameterFilters=[{"Key": "Name", "Option": "Foo", "Values": ["x"]}])
    describe("a Name filter without values", ParameterFilters=[{"Key": "Name"}])
    describe("the same filter twice", ParameterFilters=[{"Key": "Name", "Values": ["a"]}, {"Key": "Name", "Values": ["b"]}])
    describe("a Path filter with Equals", ParameterFilters=[{"Key": "Path", "Option": "Equals", "Values": ["/x"]}])
    describe("a Label filter", ParameterFilters=[{"Key": "Label", "Values": ["x"]}])
    describe("Filters and ParameterFilters together", Filters=[{"Key": "Name", "Values": ["x"]}],
             ParameterFilters=[{"Key": "Name", "Values": ["x"]}])
    describe("MaxResults 51", expect=("ValidationException", 400), allow="describe-max-results", MaxResults=51)

    # Deleting.
    t.call("delete a parameter", "delete_parameter", Name=f"{P}/colour")
    t.call("delete it again", "delete_parameter", Name=f"{P}/colour")
    get("get the deleted parameter", Name=f"{P}/colour")
    t.call("delete several, one missing", "delete_parameters", Names=[f"{P}/families", f"{P}/nope", f"{P}/trimmed"])
    t.call("delete eleven names", "delete_parameters", expect=("ValidationException", 400), allow="delete-parameters-limit",
           Names=[f"{P}/gone{i}" for i in range(11)])
    put("a deleted name starts again at version 1", Name=f"{P}/colour", Value="violet", Type="String")
    t.call("a token nobody issued", "get_parameters_by_path", expect=("InvalidNextToken", 400), allow="invalid-next-token",
           Path=P, NextToken="not-a-token")

    # Signatures.
    wrong_key = {"sandbox": client(sandbox_url, {"aws_access_key_id": "AKIAUNKNOWNKEY000000", "aws_secret_access_key": "x"}),
                 "emulator": client(emulator_url, {"aws_access_key_id": "AKIAUNKNOWNKEY000000", "aws_secret_access_key": "x"})}
    t.call("an unknown access key", "get_parameter", sides=wrong_key, expect=("UnrecognizedClientException", 400),
           allow="unknown-key", Name="dragon_data_file_name")
    wrong_secret = {"sandbox": client(sandbox_url, dict(PRACTICE_KEYS, aws_secret_access_key="wrong")),
                    "emulator": client(emulator_url, dict(emulator_keys, aws_secret_access_key="wrong"))}
    t.call("the wrong secret", "get_parameter", sides=wrong_secret, expect=("InvalidSignatureException", 400),
           allow="wrong-signature", Name="dragon_data_file_name")
    unsigned = {"sandbox": client(sandbox_url, PRACTICE_KEYS, signature_version=UNSIGNED),
                "emulator": client(emulator_url, emulator_keys, signature_version=UNSIGNED)}
    t.call("an unsigned request", "get_parameter", sides=unsigned, expect=("MissingAuthenticationTokenException", 400),
           allow="missing-auth", Name="dragon_data_file_name")
    stale = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=stale):
        t.call("a request signed 20 minutes ago", "get_parameter", expect=("InvalidSignatureException", 400),
               allow="expired-signature", Name="dragon_data_file_name")


def main():
    with both_servers() as (sandbox_url, state, emulator_keys):
        t = Session(client(sandbox_url, PRACTICE_KEYS), client(state["endpoint"], emulator_keys))
        scenario(t, sandbox_url, state["endpoint"], emulator_keys)
    report(t, ALLOWED, min_calls=60)


if __name__ == "__main__":
    main()
