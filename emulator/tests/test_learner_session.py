"""A learner's session against the local emulator, checked against what AWS documents: Parameter
Store (versions, history, pages, filters and every documented error) and S3 (objects, ranges,
listings by folder in pages, S3 Select with a ScanRange), with boto3 and the AWS CLI. Also the
emulator's hardening: CORS for loopback pages only, a private state file, the expected bucket
owner, and IAM role policies for guests and signed-in learners.

    emulator/.venv/bin/python -m pytest -q emulator/tests
"""
import json
import os
import pathlib
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request

import boto3
import pytest
from botocore import UNSIGNED
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

ROOT = pathlib.Path(__file__).resolve().parents[2]
EMULATOR_PYTHON = ROOT / "emulator" / ".venv" / "bin" / "python"
AWS_CLI = ROOT / "emulator" / ".venv-cli" / "bin" / "aws"
S3SELECT = ROOT / "target" / "release" / "s3select"
ACCOUNT = "123456789012"  # moto's account: the owner of every bucket
PREFIX = "/wyvern-learner"

needs_select = pytest.mark.skipif(not S3SELECT.exists(), reason="needs the s3select release build (cargo build --release --bin s3select)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    """The seeded emulator on a free port, and its --state. The state file is created beforehand,
    world-readable, to check that the emulator's copy is private all the same."""
    tmp = tmp_path_factory.mktemp("emulator")
    port = free_port()
    state_path = tmp / "state.json"
    state_path.write_text("")
    state_path.chmod(0o644)
    # Without the engine build the emulator still serves everything but S3 Select.
    engine = S3SELECT if S3SELECT.exists() else pathlib.Path("/bin/false")
    log = open(tmp / "emulator.log", "w")
    proc = subprocess.Popen([str(EMULATOR_PYTHON), str(ROOT / "emulator" / "wyvern_emulator.py"), "--port", str(port),
                             "--state", str(state_path), "--s3select", str(engine)], stdout=log, stderr=log)
    for _ in range(600):
        if state_path.stat().st_size:
            break
        assert proc.poll() is None, (tmp / "emulator.log").read_text()
        time.sleep(0.1)
    state = json.loads(state_path.read_text())
    state["path"] = state_path
    yield state
    proc.terminate()
    proc.wait(timeout=10)


def learner_keys(state):
    return {"aws_access_key_id": state["access_key_id"], "aws_secret_access_key": state["secret_access_key"]}


def client(state, service, creds):
    return boto3.client(service, endpoint_url=state["endpoint"], region_name="us-east-1", **creds)


def unsigned(state, service):
    return boto3.client(service, endpoint_url=state["endpoint"], region_name="us-east-1",
                        aws_access_key_id="x", aws_secret_access_key="x", config=Config(signature_version=UNSIGNED))


def error(call, *args, **kwargs):
    """The AWS error a call answers: (code, message, HTTP status)."""
    with pytest.raises(ClientError) as e:
        call(*args, **kwargs)
    answer = e.value.response
    return answer["Error"]["Code"], answer["Error"].get("Message", ""), answer["ResponseMetadata"]["HTTPStatusCode"]


def guest_keys(state):
    """An identity-pool guest's credentials (the enhanced flow), as the browser gets them."""
    identity = unsigned(state, "cognito-identity")
    identity_id = identity.get_id(IdentityPoolId=state["identity_pool_id"])["IdentityId"]
    return temporary_keys(identity.get_credentials_for_identity(IdentityId=identity_id)["Credentials"])


def id_token(state):
    """The seeded user `learner`'s id token from the user pool."""
    return unsigned(state, "cognito-idp").initiate_auth(
        ClientId=state["user_pool_client_id"], AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "learner", "PASSWORD": state["users"]["learner"]},
    )["AuthenticationResult"]["IdToken"]


def signed_in_identity(state):
    """The seeded user `learner`, signed in: (identity-pool identity id, keys of the signed-in role)."""
    logins = {f"cognito-idp.us-east-1.amazonaws.com/{state['user_pool_id']}": id_token(state)}
    identity = unsigned(state, "cognito-identity")
    identity_id = identity.get_id(IdentityPoolId=state["identity_pool_id"], Logins=logins)["IdentityId"]
    return identity_id, temporary_keys(identity.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)["Credentials"])


def signed_in_keys(state):
    """The seeded user `learner`, signed in to the user pool, with the identity pool's signed-in role."""
    return signed_in_identity(state)[1]


def temporary_keys(credentials):
    return {"aws_access_key_id": credentials["AccessKeyId"], "aws_secret_access_key": credentials["SecretKey"],
            "aws_session_token": credentials["SessionToken"]}


def aws_cli(state, *args):
    """The AWS CLI with the learner's keys, JSON out."""
    env = {
        "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"),
        "AWS_ACCESS_KEY_ID": state["access_key_id"], "AWS_SECRET_ACCESS_KEY": state["secret_access_key"],
        "AWS_REGION": "us-east-1", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    }
    done = subprocess.run([str(AWS_CLI), "--endpoint-url", state["endpoint"], "--output", "json", *args],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)


# --- who the learner is ------------------------------------------------------------------------

def test_the_learner_keys_are_the_learner_user(emulator):
    """The state's keys are the IAM user wyvern-learner, whose policy allows s3:* and ssm:*: it
    writes. Guests and signed-in learners get roles that only read (see the role tests)."""
    me = client(emulator, "sts", learner_keys(emulator)).get_caller_identity()
    assert me["Account"] == ACCOUNT and me["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/wyvern-learner"


# --- Parameter Store ---------------------------------------------------------------------------

def test_put_overwrite_versions_and_history(emulator):
    ssm = client(emulator, "ssm", learner_keys(emulator))
    name = f"{PREFIX}/versions/colour"
    assert ssm.put_parameter(Name=name, Value="red", Type="String")["Version"] == 1
    code, message, status = error(ssm.put_parameter, Name=name, Value="blue", Type="String")
    assert (code, status) == ("ParameterAlreadyExists", 400)
    assert message == "The parameter already exists. To overwrite this value, set the overwrite option in the request to true."
    answer = ssm.put_parameter(Name=name, Value="blue", Type="String", Overwrite=True)
    assert answer["Version"] == 2 and answer["Tier"] == "Standard"

    latest = ssm.get_parameter(Name=name)["Parameter"]
    assert (latest["Value"], latest["Version"], latest["Type"]) == ("blue", 2, "String")
    assert latest["ARN"] == f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter{name}"
    # A version selector reads an older version.
    assert ssm.get_parameter(Name=f"{name}:1")["Parameter"]["Value"] == "red"
    history = ssm.get_parameter_history(Name=name)["Parameters"]
    assert [(h["Version"], h["Value"]) for h in history] == [(1, "red"), (2, "blue")]


def test_secure_string_is_decrypted_only_when_asked(emulator):
    ssm = client(emulator, "ssm", learner_keys(emulator))
    name = f"{PREFIX}/secure/feeding"
    ssm.put_parameter(Name=name, Value="dawn", Type="SecureString")
    assert ssm.get_parameter(Name=name)["Parameter"]["Value"] != "dawn"
    assert ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"] == "dawn"


def test_get_parameters_names_the_invalid_ones(emulator):
    ssm = client(emulator, "ssm", learner_keys(emulator))
    answer = ssm.get_parameters(Names=["dragon_data_bucket_name", f"{PREFIX}/no-such-parameter"])
    assert [p["Value"] for p in answer["Parameters"]] == [emulator["bucket"]]
    assert answer["InvalidParameters"] == [f"{PREFIX}/no-such-parameter"]


def test_by_path_in_pages(emulator):
    ssm = client(emulator, "ssm", learner_keys(emulator))
    path = f"{PREFIX}/pages"
    names = {f"{path}/p{i}" for i in range(5)} | {f"{path}/deeper/p5"}
    for name in sorted(names):
        ssm.put_parameter(Name=name, Value="v", Type="String")

    def all_pages(**kwargs):
        pages, token = [], None
        while True:
            page = ssm.get_parameters_by_path(Path=path, MaxResults=2, **kwargs, **({"NextToken": token} if token else {}))
            pages.append([p["Name"] for p in page["Parameters"]])
            token = page.get("NextToken")
            if not token:
                return pages

    pages = all_pages(Recursive=True)
    assert all(len(p) <= 2 for p in pages) and len(pages) >= 3
    assert sorted(n for p in pages for n in p) == sorted(names)
    # Without Recursive, only the path's own level.
    assert sorted(n for p in all_pages() for n in p) == sorted(n for n in names if "/deeper/" not in n)


def test_describe_parameters_with_filters(emulator):
    ssm = client(emulator, "ssm", learner_keys(emulator))
    path = f"{PREFIX}/described"
    ssm.put_parameter(Name=f"{path}/plain", Value="a", Type="String")
    ssm.put_parameter(Name=f"{path}/list", Value="a,b", Type="StringList")
    ssm.put_parameter(Name=f"{path}/hidden", Value="s", Type="SecureString")

    def described(*filters):
        return sorted(p["Name"] for p in ssm.describe_parameters(ParameterFilters=list(filters))["Parameters"])

    under = {"Key": "Path", "Option": "Recursive", "Values": [path]}
    assert described(under) == [f"{path}/hidden", f"{path}/list", f"{path}/plain"]
    assert described(under, {"Key": "Type", "Option": "Equals", "Values": ["SecureString"]}) == [f"{path}/hidden"]
    assert described({"Key": "Name", "Option": "BeginsWith", "Values": [f"{path}/pl"]}) == [f"{path}/plain"]


def test_not_found_errors(emulator):
    ssm = client(emulator, "ssm", learner_keys(emulator))
    missing = f"{PREFIX}/missing"
    assert error(ssm.get_parameter, Name=missing)[0] == "ParameterNotFound"
    assert error(ssm.get_parameter_history, Name=missing)[0] == "ParameterNotFound"
    assert error(ssm.delete_parameter, Name=missing)[0] == "ParameterNotFound"
    name = f"{PREFIX}/one-version"
    ssm.put_parameter(Name=name, Value="v", Type="String")
    assert error(ssm.get_parameter, Name=f"{name}:9")[0] == "ParameterVersionNotFound"
    ssm.delete_parameter(Name=name)
    assert error(ssm.get_parameter, Name=name)[0] == "ParameterNotFound"


INVALID_NAME = ('Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of '
                "sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the "
                "following 3 symbols .-_")


@pytest.mark.parametrize("name", [
    "dragon name",          # a space between characters
    f"{PREFIX}/fire breath",
    f"{PREFIX}/email@class",  # a character outside a-zA-Z0-9_.-/
    f"{PREFIX}/{{name}}",
    "relative/path",        # a hierarchy without its leading slash is not fully qualified
    f"{PREFIX}//empty-level",
])
def test_names_aws_refuses(emulator, name):
    ssm = client(emulator, "ssm", learner_keys(emulator))
    assert error(ssm.put_parameter, Name=name, Value="v", Type="String") == ("ValidationException", INVALID_NAME, 400)


@pytest.mark.parametrize("name", ["awsTestParameter", "SSM-testparameter", "/ssm/dragons", "Aws.dragons"])
def test_reserved_prefixes(emulator, name):
    ssm = client(emulator, "ssm", learner_keys(emulator))
    code, message, _ = error(ssm.put_parameter, Name=name, Value="v", Type="String")
    assert code == "ValidationException" and 'can\'t be prefixed with' in message and '"ssm" (case-insensitive)' in message


def test_spaces_around_a_name_are_dropped(emulator):
    """The API reference: "The service removes any spaces specified for the beginning or end of a
    parameter name"."""
    ssm = client(emulator, "ssm", learner_keys(emulator))
    ssm.put_parameter(Name=f"  {PREFIX}/trimmed ", Value="v", Type="String")
    assert ssm.get_parameter(Name=f"{PREFIX}/trimmed")["Parameter"]["Value"] == "v"


def test_name_length_counts_the_arn(emulator):
    """1011 characters at most, counting the ARN before the name (45 characters here)."""
    ssm = client(emulator, "ssm", learner_keys(emulator))
    arn_prefix = f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter"
    longest = f"{PREFIX}/" + "n" * (1011 - len(arn_prefix) - len(PREFIX) - 1)
    assert len(arn_prefix + longest) == 1011
    assert ssm.put_parameter(Name=longest, Value="v", Type="String")["Version"] == 1
    code, _, status = error(ssm.put_parameter, Name=longest + "n", Value="v", Type="String")
    assert (code, status) == ("ValidationException", 400)


def test_hierarchy_depth(emulator):
    """Fifteen levels at most: /L1/.../L14/name is valid, one more level is not."""
    ssm = client(emulator, "ssm", learner_keys(emulator))
    fifteen = "/" + "/".join(f"L{i}" for i in range(1, 15)) + "/name"
    assert ssm.put_parameter(Name=fifteen, Value="v", Type="String")["Version"] == 1
    sixteen = "/" + "/".join(f"L{i}" for i in range(1, 16)) + "/name"
    code, _, status = error(ssm.put_parameter, Name=sixteen, Value="v", Type="String")
    assert (code, status) == ("HierarchyLevelLimitExceededException", 400)


def test_value_size_by_tier(emulator):
    ssm = client(emulator, "ssm", learner_keys(emulator))
    assert ssm.put_parameter(Name=f"{PREFIX}/size/standard", Value="x" * 4096, Type="String")["Tier"] == "Standard"
    code, message, status = error(ssm.put_parameter, Name=f"{PREFIX}/size/too-big", Value="x" * 4097, Type="String")
    assert (code, status) == ("ValidationException", 400)
    assert message.startswith("Standard tier parameters support a maximum parameter value of 4096 characters. "
                              "To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.")
    assert message.endswith("https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html")
    assert ssm.put_parameter(Name=f"{PREFIX}/size/advanced", Value="x" * 8192, Type="String", Tier="Advanced")["Tier"] == "Advanced"
    # Intelligent-Tiering picks Advanced only when the value needs it.
    assert ssm.put_parameter(Name=f"{PREFIX}/size/auto-big", Value="x" * 5000, Type="String", Tier="Intelligent-Tiering")["Tier"] == "Advanced"
    assert ssm.put_parameter(Name=f"{PREFIX}/size/auto-small", Value="x", Type="String", Tier="Intelligent-Tiering")["Tier"] == "Standard"


# --- S3 ----------------------------------------------------------------------------------------

NOTES = ["notes/a.txt", "notes/b.txt", "notes/c.txt", "notes/drafts/d.txt", "notes/with space+plus.txt", "notes/é~*.txt"]


@pytest.fixture(scope="module")
def notes(emulator):
    s3 = client(emulator, "s3", learner_keys(emulator))
    for key in NOTES:
        s3.put_object(Bucket=emulator["bucket"], Key=key, Body=key.encode(), ContentType="text/plain")
    return NOTES


def test_head_and_ranged_get(emulator):
    s3 = client(emulator, "s3", learner_keys(emulator))
    data = (ROOT / "static" / "data" / "dragons.json").read_bytes()
    head = s3.head_object(Bucket=emulator["bucket"], Key=emulator["key"])
    assert head["ContentLength"] == len(data) and head["ContentType"] == "application/json"
    part = s3.get_object(Bucket=emulator["bucket"], Key=emulator["key"], Range="bytes=0-9")
    assert part["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert part["ContentRange"] == f"bytes 0-9/{len(data)}" and part["Body"].read() == data[:10]
    assert error(s3.head_object, Bucket=emulator["bucket"], Key="no/such/key")[2] == 404
    assert error(s3.get_object, Bucket=emulator["bucket"], Key="no/such/key")[0] == "NoSuchKey"


def test_put_get_delete(emulator, notes):
    s3 = client(emulator, "s3", learner_keys(emulator))
    for key in notes:
        assert s3.get_object(Bucket=emulator["bucket"], Key=key)["Body"].read() == key.encode()
    s3.put_object(Bucket=emulator["bucket"], Key="scratch/gone.txt", Body=b"soon gone")
    s3.delete_object(Bucket=emulator["bucket"], Key="scratch/gone.txt")
    assert error(s3.get_object, Bucket=emulator["bucket"], Key="scratch/gone.txt")[0] == "NoSuchKey"


def test_listing_by_folder(emulator, notes):
    """prefix=notes%2F&delimiter=%2F, as the SDKs send it, verifies (it answered
    SignatureDoesNotMatch before), and answers the folder's files and its subfolders."""
    s3 = client(emulator, "s3", learner_keys(emulator))
    answer = s3.list_objects_v2(Bucket=emulator["bucket"], Prefix="notes/", Delimiter="/")
    assert [o["Key"] for o in answer["Contents"]] == sorted(k for k in notes if "/drafts/" not in k)
    assert answer["CommonPrefixes"] == [{"Prefix": "notes/drafts/"}]
    top = s3.list_objects_v2(Bucket=emulator["bucket"], Delimiter="/")
    assert {p["Prefix"] for p in top["CommonPrefixes"]} >= {"notes/", "samples/"}
    # A prefix with characters every client encodes.
    odd = s3.list_objects_v2(Bucket=emulator["bucket"], Prefix="notes/with space+")
    assert [o["Key"] for o in odd["Contents"]] == ["notes/with space+plus.txt"]


def test_listing_in_pages(emulator, notes):
    s3 = client(emulator, "s3", learner_keys(emulator))
    keys, token, pages = [], None, 0
    while True:
        page = s3.list_objects_v2(Bucket=emulator["bucket"], Prefix="notes/", MaxKeys=2,
                                  **({"ContinuationToken": token} if token else {}))
        pages += 1
        assert page["KeyCount"] <= 2 and page["MaxKeys"] == 2
        keys += [o["Key"] for o in page.get("Contents", [])]
        if not page["IsTruncated"]:
            break
        token = page["NextContinuationToken"]
    assert keys == sorted(notes) and pages == 3


def test_listing_by_folder_with_the_aws_cli(emulator, notes):
    answer = aws_cli(emulator, "s3api", "list-objects-v2", "--bucket", emulator["bucket"], "--prefix", "notes/", "--delimiter", "/")
    assert [o["Key"] for o in answer["Contents"]] == sorted(k for k in notes if "/drafts/" not in k)
    assert answer["CommonPrefixes"] == [{"Prefix": "notes/drafts/"}]


def sign_then_send(state, signed_query, sent_query):
    """A ListObjectsV2 signed over one spelling of its query and sent with another."""
    url = f"{state['endpoint']}/{state['bucket']}"
    request = AWSRequest(method="GET", url=f"{url}?{signed_query}", headers={"x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
    S3SigV4Auth(Credentials(state["access_key_id"], state["secret_access_key"]), "s3", "us-east-1").add_auth(request)
    try:
        with urllib.request.urlopen(urllib.request.Request(f"{url}?{sent_query}", headers=dict(request.headers))) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


@pytest.mark.parametrize("sent", [
    "list-type=2&prefix=notes%2F&delimiter=%2F",   # as signed: boto3, the AWS CLI, the browser
    "list-type=2&prefix=notes/&delimiter=/",       # '/' left bare in the query
    "list-type=2&prefix=notes%2f&delimiter=%2f",   # lower-case hex
    "delimiter=%2F&prefix=notes%2F&list-type=2",   # another order
])
def test_every_spelling_of_a_query_verifies(emulator, notes, sent):
    status, body = sign_then_send(emulator, "list-type=2&prefix=notes%2F&delimiter=%2F", sent)
    assert status == 200, body
    assert "<Key>notes/a.txt</Key>" in body and "<Prefix>notes/drafts/</Prefix>" in body


def test_a_wrong_signature_is_still_refused(emulator, notes):
    status, body = sign_then_send(emulator, "list-type=2&prefix=notes%2F", "list-type=2&prefix=samples%2F")
    assert status == 403 and "SignatureDoesNotMatch" in body


def test_the_verified_canonical_request_encodes_the_query_once(emulator, notes):
    s3 = client(emulator, "s3", learner_keys(emulator))
    seen = {}
    s3.meta.events.register("before-send.s3.ListObjectsV2", lambda request, **_: seen.update(auth=str(request.headers["Authorization"])))
    s3.list_objects_v2(Bucket=emulator["bucket"], Prefix="notes/", Delimiter="/")
    signature = seen["auth"].rsplit("Signature=", 1)[1].strip("'")
    with urllib.request.urlopen(f"{emulator['endpoint']}/_wyvern/verified?signature={signature}") as answer:
        canonical = json.loads(answer.read())["canonicalRequest"].split("\n")
    assert canonical[1] == f"/{emulator['bucket']}"
    assert canonical[2] == "delimiter=%2F&encoding-type=url&list-type=2&prefix=notes%2F"


def csv_records(data):
    """(offset, first field) of each record after the header line."""
    records, at = [], 0
    for line in data.splitlines(keepends=True):
        records.append((at, line.split(b",", 1)[0].decode()))
        at += len(line)
    return records[1:]


def select_names(s3, state, key, scan_range):
    answer = s3.select_object_content(
        Bucket=state["bucket"], Key=key, ExpressionType="SQL",
        Expression="SELECT s.dragon_name_str FROM S3Object s",
        InputSerialization={"CSV": {"FileHeaderInfo": "USE"}}, OutputSerialization={"JSON": {}}, ScanRange=scan_range,
    )
    text = "".join(e["Records"]["Payload"].decode() for e in answer["Payload"] if "Records" in e)
    return [json.loads(line)["dragon_name_str"] for line in text.splitlines()]


@needs_select
def test_select_with_a_scan_range(emulator):
    """Records that start inside the range are scanned (S3's rule); End alone means the last End
    bytes of the object."""
    s3 = client(emulator, "s3", learner_keys(emulator))
    data = (ROOT / "static" / "data" / "dragons.csv").read_bytes()
    records = csv_records(data)
    end = records[2][0] + 5  # inside the third record
    assert select_names(s3, emulator, "samples/dragons.csv", {"Start": 0, "End": end}) == [n for _, n in records[:3]]
    start = records[1][0] + 1  # just after the second record's start
    assert select_names(s3, emulator, "samples/dragons.csv", {"Start": start, "End": end}) == [records[2][1]]
    last_two = len(data) - records[-2][0]
    assert select_names(s3, emulator, "samples/dragons.csv", {"End": last_two}) == [n for _, n in records[-2:]]
    assert len(select_names(s3, emulator, "samples/dragons.csv", {"Start": 0})) == len(records)


# --- roles: guests and signed-in learners read, IAM refuses their writes -----------------------

@pytest.mark.parametrize("who", [guest_keys, signed_in_keys], ids=["guest", "signed-in"])
def test_roles_read_but_cannot_write(emulator, who):
    keys = who(emulator)
    assert keys["aws_access_key_id"].startswith("ASIA")
    role = "wyvern-guest" if who is guest_keys else "wyvern-signed-in"
    assert f":assumed-role/{role}/" in client(emulator, "sts", keys).get_caller_identity()["Arn"]
    ssm = client(emulator, "ssm", keys)
    assert ssm.get_parameter(Name="dragon_data_bucket_name")["Parameter"]["Value"] == emulator["bucket"]
    code, message, status = error(ssm.put_parameter, Name=f"{PREFIX}/by-a-role", Value="v", Type="String")
    assert (code, status) == ("AccessDeniedException", 400)
    assert message == (f"User: arn:aws:sts::{ACCOUNT}:assumed-role/{role}/wyvern-{'unauthenticated' if who is guest_keys else 'authenticated'} "
                       f"is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:{ACCOUNT}:parameter{PREFIX}/by-a-role "
                       "because no identity-based policy allows the ssm:PutParameter action")
    s3 = client(emulator, "s3", keys)
    assert s3.list_objects_v2(Bucket=emulator["bucket"], Prefix="samples/", Delimiter="/")["KeyCount"] == 3
    assert error(s3.put_object, Bucket=emulator["bucket"], Key="samples/by-a-role.txt", Body=b"x")[::2] == ("AccessDenied", 403)
    assert error(s3.delete_object, Bucket=emulator["bucket"], Key=emulator["key"])[::2] == ("AccessDenied", 403)


def test_parameter_policies_scoped_to_arns(emulator):
    """A role allowed GetParameter on one parameter's ARN and GetParametersByPath on a path's ARN
    (as the instructor kit's roles are) reads those and nothing else."""
    instructor = {"aws_access_key_id": emulator["instructor_access_key_id"], "aws_secret_access_key": emulator["instructor_secret_access_key"]}
    iam = client(emulator, "iam", instructor)
    me = client(emulator, "sts", instructor).get_caller_identity()["Arn"]
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": me}, "Action": "sts:AssumeRole"}]}
    arn = iam.create_role(RoleName="scoped-reader", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    parameter = f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter"
    iam.put_role_policy(RoleName="scoped-reader", PolicyName="read", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["ssm:GetParameter", "ssm:GetParameters"], "Resource": f"{parameter}/dragon_data_bucket_name"},
        {"Effect": "Allow", "Action": "ssm:GetParametersByPath", "Resource": f"{parameter}/dragons"},
    ]}))
    credentials = client(emulator, "sts", instructor).assume_role(RoleArn=arn, RoleSessionName="scoped")["Credentials"]
    ssm = client(emulator, "ssm", {"aws_access_key_id": credentials["AccessKeyId"], "aws_secret_access_key": credentials["SecretAccessKey"],
                                    "aws_session_token": credentials["SessionToken"]})
    assert ssm.get_parameter(Name="dragon_data_bucket_name")["Parameter"]["Value"] == emulator["bucket"]
    assert len(ssm.get_parameters_by_path(Path="/dragons", Recursive=True)["Parameters"]) == 3
    assert error(ssm.get_parameter, Name="dragon_data_file_name")[::2] == ("AccessDeniedException", 400)
    # Every name of a GetParameters must be allowed.
    code, message, status = error(ssm.get_parameters, Names=["dragon_data_bucket_name", "dragon_data_file_name"])
    assert (code, status) == ("AccessDeniedException", 400) and f"on resource: {parameter}/dragon_data_file_name " in message
    assert error(ssm.get_parameters_by_path, Path="/wyvern-learner")[::2] == ("AccessDeniedException", 400)


# --- hardening ---------------------------------------------------------------------------------

def cors_headers(state, origin, method="GET"):
    request = urllib.request.Request(f"{state['endpoint']}/_wyvern/faults", method=method,
                                     headers={"Origin": origin, "Access-Control-Request-Method": "GET"})
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items() if k.lower().startswith("access-control-")}
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items() if k.lower().startswith("access-control-")}


@pytest.mark.parametrize("origin", ["http://127.0.0.1:8080", "http://localhost:3000", "https://127.0.0.1", "http://[::1]:8080"])
def test_loopback_origins_get_cors(emulator, origin):
    for method in ("GET", "OPTIONS"):
        status, headers = cors_headers(emulator, origin, method)
        assert status == 200 and headers["access-control-allow-origin"] == origin


@pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1.evil.example", "http://localhost.evil.example:8080", "null"])
def test_other_origins_get_no_cors(emulator, origin):
    status, headers = cors_headers(emulator, origin)
    assert status == 200 and headers == {}
    status, headers = cors_headers(emulator, origin, "OPTIONS")
    assert status == 403 and headers == {}


def test_state_file_is_private(emulator):
    """It holds secret keys: 0600, even though a world-readable file was there before."""
    assert stat.S_IMODE(os.stat(emulator["path"]).st_mode) == 0o600
    assert not [p for p in emulator["path"].parent.iterdir() if p.name.endswith(".tmp")]


def test_expected_bucket_owner(emulator, notes):
    s3 = client(emulator, "s3", learner_keys(emulator))
    bucket = emulator["bucket"]
    assert s3.head_object(Bucket=bucket, Key=emulator["key"], ExpectedBucketOwner=ACCOUNT)["ContentLength"] > 0
    assert s3.list_objects_v2(Bucket=bucket, Prefix="notes/", ExpectedBucketOwner=ACCOUNT)["KeyCount"] == len(notes)
    other = "111122223333"
    assert error(s3.head_object, Bucket=bucket, Key=emulator["key"], ExpectedBucketOwner=other)[2] == 403
    for call, kwargs in [
        (s3.get_object, {"Key": emulator["key"]}),
        (s3.list_objects_v2, {"Prefix": "notes/"}),
        (s3.put_object, {"Key": "notes/not-written.txt", "Body": b"x"}),
        (s3.delete_object, {"Key": "notes/a.txt"}),
    ]:
        assert error(call, Bucket=bucket, ExpectedBucketOwner=other, **kwargs)[::2] == ("AccessDenied", 403)
    assert error(s3.copy_object, Bucket=bucket, Key="notes/copy.txt", CopySource={"Bucket": bucket, "Key": "notes/a.txt"},
                 ExpectedSourceBucketOwner=other)[::2] == ("AccessDenied", 403)
    # Nothing was written or deleted by the refused calls.
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="notes/")["Contents"]]
    assert keys == sorted(notes)


def instructor_keys(state):
    return {"aws_access_key_id": state["instructor_access_key_id"], "aws_secret_access_key": state["instructor_secret_access_key"]}


def role_keys(state, name, statements):
    """Keys of a new role whose only policy has `statements`, assumed by the instructor."""
    instructor = instructor_keys(state)
    me = client(state, "sts", instructor).get_caller_identity()["Arn"]
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": me}, "Action": "sts:AssumeRole"}]}
    iam = client(state, "iam", instructor)
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="only", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    credentials = client(state, "sts", instructor).assume_role(RoleArn=arn, RoleSessionName="tried")["Credentials"]
    return {"aws_access_key_id": credentials["AccessKeyId"], "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"]}


def test_parameter_store_refuses_in_json_as_aws_does(emulator):
    """AWS: HTTP 400, application/x-amz-json-1.1, {"__type": "AccessDeniedException", "Message": ...}
    (moto answered its XML AccessDenied, 403)."""
    ssm = client(emulator, "ssm", guest_keys(emulator))
    raw = {}
    ssm.meta.events.register("before-parse.ssm.PutParameter", lambda response_dict, **_: raw.update(response_dict))
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name=f"{PREFIX}/by-a-guest", Value="v", Type="String")
    assert e.value.response["Error"]["Code"] == "AccessDeniedException"
    assert raw["status_code"] == 400 and raw["headers"]["content-type"] == "application/x-amz-json-1.1"
    body = json.loads(raw["body"])
    assert set(body) == {"__type", "Message"} and body["__type"] == "AccessDeniedException"
    assert body["Message"] == (f"User: arn:aws:sts::{ACCOUNT}:assumed-role/wyvern-guest/wyvern-unauthenticated is not authorized to "
                               f"perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:{ACCOUNT}:parameter{PREFIX}/by-a-guest "
                               "because no identity-based policy allows the ssm:PutParameter action")


def test_an_explicit_deny_says_so(emulator):
    parameter = f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter"
    ssm = client(emulator, "ssm", role_keys(emulator, "denied-secrets", [
        {"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": f"{parameter}/dragons/*"},
        {"Effect": "Deny", "Action": "ssm:GetParameter", "Resource": f"{parameter}/dragons/secret/*"},
    ]))
    assert ssm.get_parameter(Name="/dragons/api/stage")["Parameter"]["Value"] == "prod"
    code, message, status = error(ssm.get_parameter, Name="/dragons/secret/feeding-schedule")
    assert (code, status) == ("AccessDeniedException", 400)
    assert message.endswith(f"ssm:GetParameter on resource: {parameter}/dragons/secret/feeding-schedule with an explicit deny in an identity-based policy")


def anonymous(method, url, data=None):
    """An unsigned HTTP request: (status, content type, body)."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method)) as answer:
            return answer.status, answer.headers.get("Content-Type"), answer.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read().decode()


def test_an_unsigned_s3_request_is_access_denied(emulator):
    """S3 answers an anonymous request to a private bucket 403 AccessDenied (the emulator answered 500)."""
    bucket = f"{emulator['endpoint']}/{emulator['bucket']}"
    for method, url, data in [
        ("GET", f"{bucket}/{emulator['key']}", None),
        ("GET", f"{bucket}/no/such/key", None),
        ("GET", f"{bucket}?list-type=2&prefix=samples%2F", None),
        ("GET", f"{emulator['endpoint']}/", None),
        ("PUT", f"{bucket}/anonymous.txt", b"written by nobody"),
        ("DELETE", f"{bucket}/samples/dragons.csv", None),
    ]:
        status, content_type, body = anonymous(method, url, data)
        assert status == 403 and content_type == "application/xml", (method, url, status, body)
        assert "<Code>AccessDenied</Code><Message>Access Denied</Message>" in body, (method, url, body)
    assert anonymous("HEAD", f"{bucket}/{emulator['key']}")[0] == 403
    status, _, body = anonymous("GET", f"{emulator['endpoint']}/no-such-bucket-here/x")
    assert status == 404 and "<Code>NoSuchBucket</Code>" in body
    # What an SDK without credentials gets.
    s3 = unsigned(emulator, "s3")
    assert error(s3.get_object, Bucket=emulator["bucket"], Key=emulator["key"]) == ("AccessDenied", "Access Denied", 403)
    assert error(s3.list_objects_v2, Bucket=emulator["bucket"])[::2] == ("AccessDenied", 403)
    # Nothing was written or deleted.
    signed = client(emulator, "s3", learner_keys(emulator))
    assert error(signed.head_object, Bucket=emulator["bucket"], Key="anonymous.txt")[2] == 404
    assert signed.head_object(Bucket=emulator["bucket"], Key="samples/dragons.csv")["ContentLength"] > 0


# --- the Dragon API: what API Gateway tells the Lambda -----------------------------------------

sys.path.insert(0, str(ROOT / "deploy" / "lambda"))
import dragons_api  # noqa: E402  (the kit's Lambda, which the emulator runs: for its limits)

sys.path.insert(0, str(ROOT / "emulator"))
import wyvern_emulator  # noqa: E402


def jwt_claims(token):
    import base64

    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def dragon_api(state, method="GET", body=None, token=None, keys=None):
    """A Dragon API call with an id token (the user-pool authorizer) or SigV4 keys: (status, JSON)."""
    url = state["dragon_api"]
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data else {}
    if token:
        headers["Authorization"] = token
    if keys:
        request = AWSRequest(method=method, url=url, data=data, headers=headers)
        credentials = Credentials(keys["aws_access_key_id"], keys["aws_secret_access_key"], keys.get("aws_session_token"))
        from botocore.auth import SigV4Auth

        SigV4Auth(credentials, "execute-api", "us-east-1").add_auth(request)
        headers = dict(request.headers)
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method, headers=headers)) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def a_dragon(name):
    return {"dragonName": name, "description": "Small and quick", "family": "red", "city": "anchorage", "country": "usa",
            "state": "alaska", "neighborhood": "w fireweed ln", "reportingPhoneNumber": "+1 555 0100", "confirmationRequired": False}


@pytest.fixture
def dragon_data(emulator):
    """The dragon data's records, read afresh; the file is put back as it was after the test."""
    s3 = client(emulator, "s3", learner_keys(emulator))
    original = s3.get_object(Bucket=emulator["bucket"], Key=emulator["key"])["Body"].read()
    yield lambda: json.loads(s3.get_object(Bucket=emulator["bucket"], Key=emulator["key"])["Body"].read())
    s3.put_object(Bucket=emulator["bucket"], Key=emulator["key"], Body=original, ContentType="application/json")


@pytest.mark.parametrize("who", ["user-pool token", "IAM user", "identity-pool identity"])
def test_the_lambda_knows_who_reports(emulator, dragon_data, who):
    """API Gateway passes the caller to the Lambda in requestContext: the user-pool authorizer's
    claims (the template's authorization), or for a SigV4 signer its identity. The emulator passed
    none, so every report was "anonymous" and the class shared one allowance."""
    if who == "user-pool token":
        token = id_token(emulator)
        call, reporter = {"token": token}, jwt_claims(token)["sub"]
    elif who == "IAM user":
        call, reporter = {"keys": learner_keys(emulator)}, f"arn:aws:iam::{ACCOUNT}:user/wyvern-learner"
    else:
        identity_id, keys = signed_in_identity(emulator)
        call, reporter = {"keys": keys}, identity_id
    status, answer = dragon_api(emulator, "POST", a_dragon(f"Reported with {who}"), **call)
    assert status == 201, answer
    assert dragon_data()[-1]["reported_by_str"] == reporter != dragons_api.ANONYMOUS


def test_the_report_limit_is_a_403_with_its_code_not_a_429(emulator, dragon_data):
    """Reaching the per-learner limit is a quota, not throttling: 429 would be retried by clients."""
    token = id_token(emulator)
    for n in range(dragons_api.MAX_REPORTS_PER_REPORTER):
        assert dragon_api(emulator, "POST", a_dragon(f"Learner's dragon {n}"), token=token)[0] == 201
    status, answer = dragon_api(emulator, "POST", a_dragon("One too many"), token=token)
    assert status == 403 and answer["error"] == "ReportLimitExceeded" and answer["message"], answer
    # Another caller has an allowance of their own.
    assert dragon_api(emulator, "POST", a_dragon("The IAM user's dragon"), keys=learner_keys(emulator))[0] == 201
    assert [d["dragon_name_str"] for d in dragon_data()].count("One too many") == 0


def test_claims_are_passed_as_api_gateway_writes_them():
    """Strings, exp and iat as dates: the claims of a real REST API's user-pool authorizer event."""
    claims = wyvern_emulator.authorizer_claims({
        "sub": "616bb83e-6e3d-474b-b2b9-10c82ab80156", "email_verified": False, "token_use": "id",
        "auth_time": 1616935242, "exp": 1616938842, "iat": 1616935242, "cognito:username": "ava",
    })
    assert claims == {
        "sub": "616bb83e-6e3d-474b-b2b9-10c82ab80156", "email_verified": "false", "token_use": "id",
        "auth_time": "1616935242", "exp": "Sun Mar 28 13:40:42 UTC 2021", "iat": "Sun Mar 28 12:40:42 UTC 2021",
        "cognito:username": "ava",
    }


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
