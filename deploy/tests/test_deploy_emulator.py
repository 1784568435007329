"""deploy.sh, add-users.py and teardown.sh end to end against the local emulator (moto with
Wyvern's patches), started bare: an empty account with an instructor's keys. After the deploy, a
guest and a class account use the environment as the browser would. The site published is the
built one in WYVERN_SITE (default dist/). moto cannot create CloudFront distributions from
CloudFormation, so the stack here is the Website variant, chosen explicitly."""
import contextlib
import json
import os
import pathlib
import shutil
import socket
import subprocess
import time
import urllib.request

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config

ROOT = pathlib.Path(__file__).resolve().parents[2]
EMULATOR_PYTHON = ROOT / "emulator" / ".venv" / "bin" / "python"
AWS_CLI = ROOT / "emulator" / ".venv-cli" / "bin"
STACK = "wyvern-kit-test"
RED = "SELECT s.dragon_name_str FROM S3Object[*][*] s WHERE s.family_str = 'red'"

SITE = pathlib.Path(os.environ.get("WYVERN_SITE") or ROOT / "dist")

needs = [EMULATOR_PYTHON, AWS_CLI / "aws", ROOT / "target" / "release" / "s3select", SITE / "index.html"]
pytestmark = pytest.mark.skipif(
    not all(p.exists() for p in needs),
    reason="needs emulator/setup.sh, the s3select release build and a built site in WYVERN_SITE or dist/ (scripts/test.sh makes them)",
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def account(tmp_path_factory):
    """A bare emulator, and the environment for the kit's scripts (the instructor's keys)."""
    tmp = tmp_path_factory.mktemp("emulator")
    port = free_port()
    state_path = tmp / "state.json"
    log = open(tmp / "emulator.log", "w")
    proc = subprocess.Popen([str(EMULATOR_PYTHON), str(ROOT / "emulator" / "wyvern_emulator.py"), "--bare",
                             "--port", str(port), "--state", str(state_path)], stdout=log, stderr=log)
    for _ in range(600):
        if state_path.exists() and state_path.stat().st_size:
            break
        assert proc.poll() is None, (tmp / "emulator.log").read_text()
        time.sleep(0.1)
    state = json.loads(state_path.read_text())
    env = {
        "PATH": f"{AWS_CLI}:{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/root"),
        "AWS_ENDPOINT_URL": state["endpoint"],
        "AWS_ACCESS_KEY_ID": state["instructor_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": state["instructor_secret_access_key"],
        "AWS_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "WYVERN_SKIP_BUILD": "1",
        "WYVERN_SITE": str(SITE),
    }
    yield state, env
    proc.terminate()
    proc.wait(timeout=10)


def run(env, *cmd):
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def client(state, service, creds=None, signed=True):
    kwargs = {"endpoint_url": state["endpoint"], "region_name": "us-east-1"}
    if not signed:
        kwargs["config"] = Config(signature_version=UNSIGNED)
        kwargs.update(aws_access_key_id="x", aws_secret_access_key="x")
    else:
        kwargs.update(creds)
    return boto3.client(service, **kwargs)


def select(s3, bucket, key):
    answer = s3.select_object_content(
        Bucket=bucket, Key=key, Expression=RED, ExpressionType="SQL",
        InputSerialization={"JSON": {"Type": "DOCUMENT"}}, OutputSerialization={"JSON": {}},
    )
    text = "".join(e["Records"]["Payload"].decode() for e in answer["Payload"] if "Records" in e)
    return [json.loads(line)["dragon_name_str"] for line in text.splitlines()]


def athena_execution(athena, outputs, sql):
    """A query in the kit's workgroup and database, polled to its end."""
    started = athena.start_query_execution(QueryString=sql, WorkGroup=outputs["AthenaWorkGroup"],
                                           QueryExecutionContext={"Database": outputs["AthenaDatabase"]})
    for _ in range(100):
        execution = athena.get_query_execution(QueryExecutionId=started["QueryExecutionId"])["QueryExecution"]
        if execution["Status"]["State"] not in ("QUEUED", "RUNNING"):
            return execution
        time.sleep(0.1)
    raise AssertionError(f"{sql} still {execution['Status']['State']}")


def athena_rows(athena, outputs, sql):
    """A query's rows, header first; its result lands in the kit's results bucket."""
    execution = athena_execution(athena, outputs, sql)
    assert execution["Status"]["State"] == "SUCCEEDED", execution["Status"]
    assert execution["ResultConfiguration"]["OutputLocation"].startswith(f"s3://{outputs['AthenaResultsBucketName']}/results/")
    answer = athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])
    return [[cell.get("VarCharValue") for cell in row["Data"]] for row in answer["ResultSet"]["Rows"]]


def test_deploy_use_and_tear_down(account, tmp_path):
    state, env = account
    instructor = {"aws_access_key_id": env["AWS_ACCESS_KEY_ID"], "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"]}
    out = run(env, "bash", "deploy/deploy.sh", STACK, "Website")
    assert "Learners open: http://" in out

    # config.json from the stack's outputs, installed into the site with its CSP.
    site = ROOT / "target" / f"deploy-{STACK}" / "site"
    config = json.loads((site / "config.json").read_text())
    assert config["endpoint"] == state["endpoint"] and config["dragonApiUrl"] == state["endpoint"] + "/prod/dragons"
    assert (config["athenaWorkGroup"], config["athenaDatabase"], config["athenaJsonTable"], config["athenaCsvTable"]) == \
        (STACK, "dragons", "dragons_jsonl", "dragons_csv")
    assert config["identityPoolId"].startswith("us-east-1:") and config["guestRoleArn"].startswith("arn:aws:iam::")
    assert f"connect-src 'self' {state['endpoint']};" in (site / "index.html").read_text()
    cf = client(state, "cloudformation", instructor)
    outputs = {o["OutputKey"]: o["OutputValue"] for o in cf.describe_stacks(StackName=STACK)["Stacks"][0]["Outputs"]}
    s3 = client(state, "s3", instructor)
    published = {o["Key"] for o in s3.list_objects_v2(Bucket=outputs["SiteBucketName"])["Contents"]}
    assert {"index.html", "config.json", "data/dragons.json"} <= published
    wasm = [k for k in published if k.endswith(".wasm")]
    # Every wasm of the site is published: the page's, its two parts fetched on first need
    # (src/lazy.rs) and the chunks of code they share, the engine, live mode and the practice
    # account.
    assert set(wasm) == {p.name for p in site.glob("*.wasm")}
    assert len(wasm) == 6 + len([k for k in wasm if "-chunk_" in k])
    assert {"wyvern-worker_bg.wasm", "wyvern-live_bg.wasm", "wyvern-practice_bg.wasm"} <= set(wasm)
    assert sorted(k.split("-", 2)[2] for k in wasm if "-split_" in k) == ["split_chart.wasm", "split_live_ui.wasm"]
    assert all(s3.head_object(Bucket=outputs["SiteBucketName"], Key=k)["ContentType"] == "application/wasm" for k in wasm)
    ssm = client(state, "ssm", instructor)
    assert ssm.get_parameter(Name="dragon_data_bucket_name")["Parameter"]["Value"] == outputs["DataBucketName"]

    # A guest, as the browser does it: the classic flow, then S3 Select on the data object.
    identity = client(state, "cognito-identity", signed=False)
    identity_id = identity.get_id(IdentityPoolId=config["identityPoolId"])["IdentityId"]
    token = identity.get_open_id_token(IdentityId=identity_id)["Token"]
    sts = client(state, "sts", signed=False)
    creds = sts.assume_role_with_web_identity(RoleArn=config["guestRoleArn"], RoleSessionName="guest", WebIdentityToken=token)["Credentials"]
    guest = {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"], "aws_session_token": creds["SessionToken"]}
    guest_s3 = client(state, "s3", guest)
    assert len(select(guest_s3, outputs["DataBucketName"], outputs["DataKey"])) == 9
    # Least privilege holds: a guest cannot write the data.
    with pytest.raises(guest_s3.exceptions.ClientError, match="AccessDenied"):
        guest_s3.put_object(Bucket=outputs["DataBucketName"], Key=outputs["DataKey"], Body=b"[]")

    # The guest asks Athena, in the class workgroup, over the tables the kit made.
    athena = client(state, "athena", guest)
    rows = athena_rows(athena, outputs, "SELECT count(*) FROM dragons_csv WHERE family_str = 'red'")
    csv_rows = (ROOT / "static" / "data" / "dragons.csv").read_text().splitlines()[1:]
    assert rows == [["_col0"], [str(sum(line.split(",")[1] == "red" for line in csv_rows))]]
    rows = athena_rows(athena, outputs, "SELECT max(wingspan_ft) AS widest FROM dragons_jsonl")
    jsonl = [json.loads(line) for line in (ROOT / "static" / "data" / "dragons.jsonl").read_text().splitlines()]
    assert rows == [["widest"], [str(max(d["wingspan_ft"] for d in jsonl))]]
    # Athena reads and writes for the guest; the guest's own S3 calls cannot (aws:CalledVia).
    results = outputs["AthenaResultsBucketName"]
    written = [o["Key"] for o in s3.list_objects_v2(Bucket=results)["Contents"]]
    assert written and all(k.startswith("results/") for k in written)
    for attempt in (lambda: guest_s3.list_objects_v2(Bucket=results),
                    lambda: guest_s3.get_object(Bucket=results, Key=written[0]),
                    lambda: guest_s3.put_object(Bucket=results, Key="results/mine.csv", Body=b"x"),
                    lambda: guest_s3.get_object(Bucket=outputs["DataBucketName"], Key="tables/dragons_csv/dragons.csv")):
        with pytest.raises(guest_s3.exceptions.ClientError, match="AccessDenied"):
            attempt()
    # Least privilege: the class workgroup only, and the kit's tables only.
    with pytest.raises(athena.exceptions.ClientError, match="AccessDenied.*workgroup/primary"):
        athena.start_query_execution(QueryString="SELECT 1", WorkGroup="primary")
    instructor_athena = client(state, "athena", instructor)
    workgroup = instructor_athena.get_work_group(WorkGroup=outputs["AthenaWorkGroup"])["WorkGroup"]["Configuration"]
    assert workgroup["EnforceWorkGroupConfiguration"] and workgroup["BytesScannedCutoffPerQuery"] == 10_000_000
    assert len(client(state, "iam", instructor).list_policies(Scope="Local")["Policies"]) == 1
    glue = client(state, "glue", instructor)
    glue.create_table(DatabaseName=outputs["AthenaDatabase"], TableInput={
        "Name": "not_for_learners", "StorageDescriptor": {"Location": f"s3://{outputs['DataBucketName']}/tables/dragons_csv/"}})
    refused = athena_execution(athena, outputs, "SELECT count(*) FROM not_for_learners")
    assert refused["Status"]["State"] == "FAILED"
    assert "not authorized to perform: glue:GetTable" in refused["Status"]["StateChangeReason"]

    # Class accounts from a CSV; one signs in, sets a password and calls the Dragon API.
    csv = tmp_path / "learners.csv"
    csv.write_text("username,temporary_password,email\nava,Temp-pass-1234!,ava@example.org\nben,Temp-pass-5678!,\n")
    assert "2 added" in run(env, "python3", "deploy/add-users.py", STACK, str(csv))
    assert "2 already there" in run(env, "python3", "deploy/add-users.py", STACK, str(csv))
    idp = client(state, "cognito-idp", signed=False)
    challenge = idp.initiate_auth(ClientId=config["userPoolClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": "ava", "PASSWORD": "Temp-pass-1234!"})
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    tokens = idp.respond_to_auth_challenge(ClientId=config["userPoolClientId"], ChallengeName="NEW_PASSWORD_REQUIRED",
                                           Session=challenge["Session"],
                                           ChallengeResponses={"USERNAME": "ava", "NEW_PASSWORD": "Dragon-rider-99!"})
    id_token = tokens["AuthenticationResult"]["IdToken"]
    request = urllib.request.Request(config["dragonApiUrl"] + "?family=red", headers={"Authorization": id_token})
    with urllib.request.urlopen(request) as answer:
        assert len(json.loads(answer.read())) == 9

    # A redeploy keeps the data (learners' reports live in it).
    s3.put_object(Bucket=outputs["DataBucketName"], Key=outputs["DataKey"], Body=b"[]")
    run(env, "bash", "deploy/deploy.sh", STACK, "Website")
    assert s3.get_object(Bucket=outputs["DataBucketName"], Key=outputs["DataKey"])["Body"].read() == b"[]"

    run(env, "bash", "deploy/teardown.sh", STACK)
    with pytest.raises(cf.exceptions.ClientError, match="does not exist"):
        cf.describe_stacks(StackName=STACK)
    assert s3.list_buckets()["Buckets"] == []
    assert outputs["AthenaDatabase"] not in [d["Name"] for d in glue.get_databases()["DatabaseList"]]
    assert [w["Name"] for w in instructor_athena.list_work_groups()["WorkGroups"]] == ["primary"]
    # The learners' Athena policy went with its stack (the bare account has no managed policies of its own).
    assert client(state, "iam", instructor).list_policies(Scope="Local")["Policies"] == []
    shutil.rmtree(ROOT / "target" / f"deploy-{STACK}", ignore_errors=True)


def test_deploy_refuses_a_deployment_bucket_another_account_owns(account, tmp_path):
    """The deployment bucket's name is predictable. Here the instructor is account 999999999999
    (an `aws` wrapper answers sts get-caller-identity so) and the emulator's own account already
    made wyvern-deploy-999999999999-us-east-1: the Lambda's code must not land in it."""
    state, env = account
    instructor = {"aws_access_key_id": env["AWS_ACCESS_KEY_ID"], "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"]}
    s3 = client(state, "s3", instructor)
    squatted = "wyvern-deploy-999999999999-us-east-1"
    s3.create_bucket(Bucket=squatted)
    try:
        with contextlib.suppress(s3.exceptions.ClientError):
            s3.head_bucket(Bucket=squatted, ExpectedBucketOwner="999999999999")
            pytest.skip("the emulator does not check x-amz-expected-bucket-owner yet")
        wrapper = tmp_path / "bin" / "aws"
        wrapper.parent.mkdir()
        wrapper.write_text(f"""#!/bin/sh
[ "$1 $2" = "sts get-caller-identity" ] && {{ echo 999999999999; exit 0; }}
exec {AWS_CLI / "aws"} "$@"
""")
        wrapper.chmod(0o755)
        done = subprocess.run(["bash", "deploy/deploy.sh", STACK + "-squatted", "Website"], cwd=ROOT, capture_output=True,
                              text=True, env={**env, "PATH": f"{wrapper.parent}:{env['PATH']}"}, timeout=600)
        assert done.returncode != 0, done.stdout
        assert "Contents" not in s3.list_objects_v2(Bucket=squatted), "nothing landed in the other account's bucket"
        cf = client(state, "cloudformation", instructor)
        assert STACK + "-squatted" not in [st["StackName"] for st in cf.list_stacks()["StackSummaries"]]
    finally:
        s3.delete_bucket(Bucket=squatted)
        shutil.rmtree(ROOT / "target" / f"deploy-{STACK}-squatted", ignore_errors=True)
