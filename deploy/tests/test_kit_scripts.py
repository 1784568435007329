"""deploy.sh, teardown.sh and add-users.py against a stand-in `aws` on PATH that records every
call: the deployment bucket (whose name anyone can guess) is only used once S3 has confirmed the
account owns it, and no password ever appears on a command line."""
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
ACCOUNT = "111122223333"
REGION = "eu-west-1"
ARTIFACTS = f"wyvern-deploy-{ACCOUNT}-{REGION}"
STACK = "wyvern-fake-aws-test"
OUTPUTS = {
    "SiteUrl": "https://d111111abcdef8.cloudfront.net", "SiteDistributionId": "E2FAKE", "SiteBucketName": "site-bucket",
    "DataBucketName": "data-bucket", "DataKey": "dragon_stats_one.json", "UserPoolId": f"{REGION}_pool",
    "UserPoolClientId": "client", "IdentityPoolId": f"{REGION}:pool", "GuestRoleArn": f"arn:aws:iam::{ACCOUNT}:role/guest",
    "DragonApiUrl": f"https://api.execute-api.{REGION}.amazonaws.com/prod/dragons",
    "AthenaWorkGroup": STACK, "AthenaDatabase": "dragons", "AthenaJsonTable": "dragons_jsonl",
    "AthenaCsvTable": "dragons_csv", "AthenaResultsBucketName": "results-bucket",
}

# The stand-in. Buckets named in FAKE_AWS_FOREIGN belong to another account whose bucket policy
# lets anyone list and write them (a squatter's): like S3, it refuses a call on them only when the
# call names the expected owner.
FAKE_AWS = f'''
import json, os, sys

args = sys.argv[1:]
opt = lambda name: args[args.index(name) + 1] if name in args else None
foreign = set(filter(None, os.environ.get("FAKE_AWS_FOREIGN", "").split(",")))
created = os.environ["FAKE_AWS_LOG"] + ".buckets"
outputs = [{{"OutputKey": k, "OutputValue": v}} for k, v in {OUTPUTS!r}.items()]
s3_urls = [a[5:].split("/")[0] for a in args if a.startswith("s3://")]
bucket = opt("--bucket") or (s3_urls[0] if s3_urls else None)


def answer(op):
    if bucket in foreign and op == "s3api create-bucket":
        return 254, "", "An error occurred (BucketAlreadyExists)"
    if bucket in foreign and opt("--expected-bucket-owner") not in (None, "999999999999"):
        return 254, "", "An error occurred (AccessDenied): Access Denied"
    if op == "sts get-caller-identity":
        return 0, "{ACCOUNT}", ""
    if op == "s3api create-bucket":
        open(created, "a").write(bucket + "\\n")
        return 0, "{{}}", ""
    if op == "s3api head-bucket" and bucket == "{ARTIFACTS}" and bucket not in foreign:
        known = open(created).read().split() if os.path.exists(created) else []
        return (0, "", "") if bucket in known else (254, "", "An error occurred (404) when calling the HeadBucket operation")
    if op == "s3api head-object":
        return 254, "", "An error occurred (404) when calling the HeadObject operation"
    if op == "s3api list-objects-v2":
        return 0, "dragons-0123456789abcdef.zip", ""
    if op == "cloudformation describe-stacks":
        return 0, json.dumps(outputs if opt("--query") else {{"Stacks": [{{"Outputs": outputs}}]}}), ""
    if op == "cognito-idp admin-create-user":
        return 0, json.dumps({{"User": {{}}}}), ""
    return 0, "", ""


status, out, err = answer(" ".join(args[:2]))
record = {{"argv": args, "bucket": bucket, "status": status}}
if opt("--cli-input-json"):
    path = opt("--cli-input-json")[len("file://"):]
    record.update(input=json.load(open(path)), input_path=path, input_mode=os.stat(path).st_mode & 0o777)
with open(os.environ["FAKE_AWS_LOG"], "a") as log:
    log.write(json.dumps(record) + "\\n")
print(out)
sys.stderr.write(err)
sys.exit(status)
'''


@pytest.fixture
def fake_aws(tmp_path):
    """Runs a kit script with the stand-in first on PATH; returns (completed process, calls)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "aws").write_text(f"#!{sys.executable}\n{FAKE_AWS}")
    (bin_dir / "aws").chmod(0o755)
    log = tmp_path / "calls.jsonl"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "WYVERN_"))}

    def run(*cmd, **env):
        log.write_text("")
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, env={
            **base, "PATH": f"{bin_dir}:{os.environ['PATH']}", "AWS_REGION": REGION, "FAKE_AWS_LOG": str(log), **env})
        return done, [json.loads(line) for line in log.read_text().splitlines()]

    yield run
    shutil.rmtree(ROOT / "target" / f"deploy-{STACK}", ignore_errors=True)


@pytest.fixture
def site(tmp_path):
    """A built site, outside dist/."""
    site = tmp_path / "built-site"
    site.mkdir()
    (site / "index.html").write_text('<meta http-equiv="Content-Security-Policy" content="connect-src \'self\'">'
                                     "<!-- the site in WYVERN_SITE -->")
    (site / "app_bg.wasm").write_bytes(b"\0asm")
    return site


def deploy(fake_aws, site, *args, **env):
    return fake_aws("bash", "deploy/deploy.sh", STACK, *args, WYVERN_SKIP_BUILD="1", WYVERN_SITE=str(site), **env)


def calls_of(calls, *prefix):
    return [c for c in calls if c["argv"][:len(prefix)] == list(prefix)]


def assert_buckets_checked(calls):
    """Every S3 call names the account as the bucket's owner (CreateBucket cannot, and fails on
    a taken name); `aws s3` commands, which cannot, come after a call that did, on their bucket."""
    confirmed = set()
    for call in calls:
        if call["argv"][0] == "s3api" and call["argv"][1] != "create-bucket":
            assert call["argv"][call["argv"].index("--expected-bucket-owner") + 1] == ACCOUNT, call["argv"]
            if call["status"] == 0:
                confirmed.add(call["bucket"])
        if call["argv"][0] == "s3":
            assert call["bucket"] != ARTIFACTS, call["argv"]
            assert call["bucket"] in confirmed, f"{call['argv']} before its bucket's owner was checked"


def test_every_s3api_call_in_the_scripts_names_the_expected_owner():
    for script in ("deploy.sh", "teardown.sh"):
        text = (DEPLOY / script).read_text().replace("\\\n", " ")
        calls = re.findall(r"aws s3api ([a-z0-9-]+)([^\n|;)]*)", text)
        assert calls, script
        for operation, rest in calls:
            if operation != "create-bucket":
                assert '--expected-bucket-owner "$account"' in rest, f"{script}: aws s3api {operation}{rest}"
        assert not re.search(r'aws s3 [a-z]+[^\n]*s3://\$artifacts', text), f"{script}: aws s3 on the deployment bucket"


def test_deploy_checks_every_bucket_owner_and_publishes_wyvern_site(fake_aws, site):
    done, calls = deploy(fake_aws, site)
    assert done.returncode == 0, done.stdout + done.stderr
    assert_buckets_checked(calls)
    [create] = calls_of(calls, "s3api", "create-bucket")
    assert create["argv"][create["argv"].index("--bucket") + 1] == ARTIFACTS
    assert f"LocationConstraint={REGION}" in create["argv"]
    uploads = [c for c in calls_of(calls, "s3api", "put-object") if c["bucket"] == ARTIFACTS]
    assert len(uploads) == 1 and uploads[0]["argv"][uploads[0]["argv"].index("--key") + 1].startswith("dragons-")
    published = ROOT / "target" / f"deploy-{STACK}" / "site"
    assert "the site in WYVERN_SITE" in (published / "index.html").read_text()
    [sync] = calls_of(calls, "s3", "sync")
    assert str(published) in sync["argv"] and "s3://site-bucket" in sync["argv"]
    # Athena's tables get their copies of the data, and the page its Athena settings.
    tables = [c["argv"][c["argv"].index("--key") + 1] for c in calls_of(calls, "s3api", "put-object") if c["bucket"] == "data-bucket"]
    assert {"tables/dragons_jsonl/dragons.jsonl", "tables/dragons_csv/dragons.csv"} <= set(tables)
    config = json.loads((published / "config.json").read_text())
    assert (config["athenaWorkGroup"], config["athenaJsonTable"]) == (STACK, "dragons_jsonl")


def test_deploy_refuses_a_deployment_bucket_another_account_owns(fake_aws, site):
    done, calls = deploy(fake_aws, site, FAKE_AWS_FOREIGN=ARTIFACTS)
    landed = [c["argv"] for c in calls if c["bucket"] == ARTIFACTS and c["status"] == 0
              and c["argv"][:2] in (["s3api", "put-object"], ["s3", "cp"], ["s3", "sync"])]
    assert landed == [], "the Lambda's code went into another account's bucket"
    assert done.returncode != 0 and not calls_of(calls, "cloudformation", "deploy")


def test_https_is_the_default_and_the_website_endpoint_an_explicit_choice(fake_aws, site):
    # No Hosting override: a new stack gets the template's default (CloudFront, test_template.py
    # checks it); an existing one keeps its hosting.
    done, calls = deploy(fake_aws, site)
    [stack] = calls_of(calls, "cloudformation", "deploy")
    assert not [a for a in stack["argv"] if a.startswith("Hosting=")]
    assert "Note: plain HTTP" not in done.stdout
    assert "(default: wyvern-class, CloudFront)" in (DEPLOY / "deploy.sh").read_text()
    done, calls = deploy(fake_aws, site, "Website")
    [stack] = calls_of(calls, "cloudformation", "deploy")
    assert "Hosting=Website" in stack["argv"]
    assert deploy(fake_aws, site, "Http")[0].returncode == 2


def test_teardown_checks_every_bucket_owner(fake_aws, tmp_path):
    (tmp_path / "calls.jsonl.buckets").write_text(ARTIFACTS + "\n")  # deployed before
    done, calls = fake_aws("bash", "deploy/teardown.sh", STACK)
    assert done.returncode == 0, done.stdout + done.stderr
    assert_buckets_checked(calls)
    assert [c["bucket"] for c in calls_of(calls, "s3", "rm")] == ["site-bucket", "data-bucket", "results-bucket"]
    assert "dragons-0123456789abcdef.zip" in calls_of(calls, "s3api", "delete-object")[0]["argv"]
    assert calls_of(calls, "s3api", "delete-bucket")[0]["bucket"] == ARTIFACTS


def test_teardown_refuses_to_empty_a_bucket_another_account_owns(fake_aws):
    done, calls = fake_aws("bash", "deploy/teardown.sh", STACK, FAKE_AWS_FOREIGN="data-bucket")
    assert done.returncode != 0 and "not this account's bucket" in done.stderr
    assert [c["bucket"] for c in calls_of(calls, "s3", "rm")] == ["site-bucket"]
    assert not calls_of(calls, "cloudformation", "delete-stack")


def test_add_users_keeps_passwords_off_the_command_line(fake_aws, tmp_path):
    learners = tmp_path / "learners.csv"
    learners.write_text("username,temporary_password,email\nava,Temp-pass-1234!,ava@example.org\nben,Temp-pass-5678!,\n")
    done, calls = fake_aws(sys.executable, "deploy/add-users.py", STACK, str(learners))
    assert done.returncode == 0 and "2 added" in done.stdout, done.stdout + done.stderr
    for call in calls:
        assert not any("Temp-pass" in a for a in call["argv"]), call["argv"]
    created = calls_of(calls, "cognito-idp", "admin-create-user")
    assert [c["input"]["TemporaryPassword"] for c in created] == ["Temp-pass-1234!", "Temp-pass-5678!"]
    assert created[0]["input"]["UserAttributes"] == [{"Name": "email", "Value": "ava@example.org"},
                                                     {"Name": "email_verified", "Value": "true"}]
    assert all(c["input_mode"] == 0o600 and not os.path.exists(c["input_path"]) for c in created)
