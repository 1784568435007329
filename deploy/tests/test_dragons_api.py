"""The Dragon API's Lambda handler, with S3 and SSM replaced by fakes whose S3 Select is Wyvern's
real engine (the s3select command), so the SQL the handler writes is run, not just read."""
import io
import json
import pathlib
import subprocess
import sys

import pytest
from botocore.exceptions import ClientError

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy" / "lambda"))
import dragons_api  # noqa: E402

S3SELECT = ROOT / "target" / "release" / "s3select"
DATA = (ROOT / "static" / "data" / "dragons.json").read_bytes()


class FakeS3:
    def __init__(self, select_available=True):
        self.objects = {("data-bucket", "dragon_stats_one.json"): DATA}
        self.select_available = select_available
        self.expressions = []

    def select_object_content(self, Bucket, Key, Expression, ExpressionType, InputSerialization, OutputSerialization):
        self.expressions.append(Expression)
        if not self.select_available:
            raise ClientError({"Error": {"Code": "MethodNotAllowed", "Message": "not allowed"}}, "SelectObjectContent")
        done = subprocess.run(
            [str(S3SELECT), "--expression", Expression, "--input-serialization", json.dumps(InputSerialization),
             "--output-serialization", json.dumps(OutputSerialization), "-"],
            input=self.objects[(Bucket, Key)], capture_output=True, check=False,
        )
        if done.returncode != 0:
            code = done.stderr.decode().split(":", 1)[0]
            raise ClientError({"Error": {"Code": code, "Message": done.stderr.decode()}}, "SelectObjectContent")
        return {"Payload": [{"Records": {"Payload": done.stdout}}, {"Stats": {}}, {"End": {}}]}

    def get_object(self, Bucket, Key):
        return {"Body": io.BytesIO(self.objects[(Bucket, Key)])}

    def put_object(self, Bucket, Key, Body, ContentType):
        self.objects[(Bucket, Key)] = Body


class FakeSSM:
    VALUES = {"dragon_data_bucket_name": "data-bucket", "dragon_data_file_name": "dragon_stats_one.json"}

    def get_parameter(self, Name):
        return {"Parameter": {"Name": Name, "Value": self.VALUES[Name]}}


@pytest.fixture(params=[True, False], ids=["s3-select", "no-s3-select"])
def s3(request, monkeypatch):
    if not S3SELECT.exists():
        pytest.skip("build the engine first: cargo build --release --bin s3select")
    fake = FakeS3(select_available=request.param)
    monkeypatch.setattr(dragons_api, "_clients", lambda: (fake, FakeSSM()))
    return fake


@pytest.fixture
def stored(monkeypatch):
    """The fakes without S3 Select, for the checks of what a report writes (no engine needed)."""
    fake = FakeS3(select_available=False)
    monkeypatch.setattr(dragons_api, "_clients", lambda: (fake, FakeSSM()))
    return fake


def data_file(fake):
    return fake.objects[("data-bucket", "dragon_stats_one.json")]


def get(params=None):
    answer = dragons_api.handler({"httpMethod": "GET", "queryStringParameters": params})
    return answer["statusCode"], json.loads(answer["body"]), answer["headers"]


def post(body, sub=None):
    """POST as API Gateway sends it: with the user-pool authorizer's claims when `sub` is given."""
    text = body if isinstance(body, str) else json.dumps(body)
    event = {"httpMethod": "POST", "body": text}
    if sub:
        event["requestContext"] = {"authorizer": {"claims": {"sub": sub, "cognito:username": "user-" + sub}}}
    answer = dragons_api.handler(event)
    return answer["statusCode"], json.loads(answer["body"])


def new_dragon(**changes):
    dragon = {
        "dragonName": "Wyvernling", "description": "Small and quick", "family": "red", "city": "anchorage",
        "country": "usa", "state": "alaska", "neighborhood": "w fireweed ln",
        "reportingPhoneNumber": "+1 555 0100", "confirmationRequired": False,
    }
    dragon.update(changes)
    return dragon


def test_lists_every_dragon_with_cors(s3):
    status, dragons, headers = get()
    assert status == 200 and len(dragons) == 62
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert {"dragon_name_str", "family_str", "location_city_str"} <= set(dragons[0])


def test_searches_by_name_and_family_and_family_wins(s3):
    assert [d["dragon_name_str"] for d in get({"dragonName": "Atlas"})[1]] == ["Atlas"]
    reds = get({"family": "red"})[1]
    assert len(reds) == 9 and {d["family_str"] for d in reds} == {"red"}
    assert len(get({"family": "red", "dragonName": "Atlas"})[1]) == 9
    assert get({"dragonName": "Nobody"})[1] == []


@pytest.mark.parametrize("attempt", ["x' or '1'='1", "Atlas' OR 'a'='a", "' or 1=1 --", "Atlas'--"])
def test_an_injection_in_dragon_name_is_just_a_name(s3, attempt):
    status, dragons, _ = get({"dragonName": attempt})
    assert status == 200 and dragons == []
    if s3.select_available:
        # The quotes were doubled: the engine saw one string literal.
        assert s3.expressions[-1] == "select * from s3object[*][*] s where s.dragon_name_str = '" + attempt.replace("'", "''") + "'"


def test_reports_a_dragon_then_finds_it_and_refuses_a_duplicate(s3):
    status, answer = post(new_dragon())
    assert status == 201 and "Wyvernling" in answer["message"]
    assert [d["location_city_str"] for d in get({"dragonName": "Wyvernling"})[1]] == ["anchorage"]
    assert post(new_dragon(dragonName="wyvernling"))[0] == 409, "names are unique regardless of case"
    assert len(get()[1]) == 63


@pytest.mark.parametrize("body, message", [
    ("not json", "JSON object"),
    ("[1, 2]", "JSON object"),
    (new_dragon(city=""), "Missing: city"),
    ({"dragonName": "A"}, "Missing: description"),
    (new_dragon(confirmationRequired="yes"), "true or false"),
    (new_dragon(description="x" * 501), "at most 500"),
    (new_dragon(family=7), "text"),
])
def test_bad_reports_are_refused_with_a_reason(s3, body, message):
    status, answer = post(body)
    assert status == 400 and message in answer["message"]
    assert len(get()[1]) == 62, "nothing was written"


DRAGON = "\U0001f409"  # four bytes in UTF-8; twelve as the \\u escapes ensure_ascii writes


def large_dragon(name, field=DRAGON * 125):
    """A report whose every field but the name is `field` (by default the most the rules allow)."""
    return new_dragon(dragonName=name, **{f: field for f in dragons_api.FIELDS if f != "dragonName"})


def test_field_limits_count_utf8_bytes_not_characters(stored):
    assert post(new_dragon(description=DRAGON * 126))[0] == 400, "126 four-byte characters are 504 bytes"
    assert post(new_dragon(description="\u00e9" * 251))[0] == 400
    assert post(new_dragon(description=DRAGON * 125))[0] == 201
    assert post(new_dragon(dragonName="\u00e9" * 250))[0] == 201


@pytest.mark.parametrize("text", ["line one\nline two", "bell\u0007", "\ud800 lone surrogate"])
def test_control_characters_and_lone_surrogates_are_refused(stored, text):
    status, answer = post(new_dragon(description=text))
    assert status == 400 and "one line of text" in answer["message"]
    assert data_file(stored) == DATA, "nothing was written"


def test_the_file_is_written_as_utf8_not_escaped(stored):
    assert post(new_dragon(dragonName="Dr\u00e4chlein " + DRAGON, city="m\u00fcnchen"))[0] == 201
    written = data_file(stored)
    assert ("Dr\u00e4chlein " + DRAGON).encode() in written and "m\u00fcnchen".encode() in written
    assert b"\\u" not in written, "no \\u escapes"
    assert json.loads(written)[-1]["dragon_name_str"] == "Dr\u00e4chlein " + DRAGON


def test_one_learner_may_keep_a_limited_number_of_reports(stored):
    limit = dragons_api.MAX_REPORTS_PER_REPORTER
    for n in range(limit):
        assert post(new_dragon(dragonName=f"Ava's dragon {n}"), sub="sub-ava")[0] == 201
    status, answer = post(new_dragon(dragonName="One too many"), sub="sub-ava")
    # A quota, not throttling: 403 with its own code (a 429 is retried by every AWS client).
    assert status == 403 and answer["error"] == "ReportLimitExceeded" and f"{limit} dragons" in answer["message"]
    assert post(new_dragon(dragonName="One too many"), sub="sub-ava")[0] == 403, "still refused: it does not wear off"
    assert post(new_dragon(dragonName="Ben's dragon"), sub="sub-ben")[0] == 201, "another learner still may"
    records = json.loads(data_file(stored))
    assert [r["reported_by_str"] for r in records[62:]] == ["sub-ava"] * limit + ["sub-ben"]
    assert b"user-sub-ava" not in data_file(stored), "the data guests read holds the opaque sub, not the username"


def test_the_reporter_comes_from_the_authorizer_or_the_iam_identity():
    claims = {"requestContext": {"authorizer": {"claims": {"sub": "0b1f-sub", "cognito:username": "ava"}}}}
    assert dragons_api.reporter(claims) == "0b1f-sub"
    iam = {"requestContext": {"identity": {"cognitoIdentityId": "us-east-1:abc", "userArn": "arn:aws:sts::1:assumed-role/r/s"}}}
    assert dragons_api.reporter(iam) == "us-east-1:abc"
    assert dragons_api.reporter({"requestContext": {"identity": {"userArn": "arn:aws:iam::1:user/i"}}}) == "arn:aws:iam::1:user/i"
    assert dragons_api.reporter({}) == dragons_api.reporter({"requestContext": {"authorizer": {}}}) == "anonymous"


def test_one_learner_cannot_grow_the_file_past_what_s3_select_reads(stored):
    """The finding: about 25 reports of 500 four-byte characters a field, written as 12-byte
    escapes, took the file (one record to S3 Select) past 1 MB; every list then failed."""
    for n in range(60):
        post(large_dragon(f"flood {n}", DRAGON * (500 if n % 2 else 125)), sub="sub-mallory")
    assert len(data_file(stored)) <= dragons_api.MAX_DATA_BYTES
    mallory = [r for r in json.loads(data_file(stored)) if r.get("reported_by_str") == "sub-mallory"]
    assert len(mallory) == dragons_api.MAX_REPORTS_PER_REPORTER


def fill_the_file(fake):
    """Learners report the largest dragons they may until the file is full: the refusal."""
    for learner in range(40):
        for n in range(dragons_api.MAX_REPORTS_PER_REPORTER):
            before = data_file(fake)
            status, answer = post(large_dragon(f"{learner}-{n}"), sub=f"sub-{learner}")
            if status != 201:
                assert data_file(fake) == before, "a refused report writes nothing"
                return status, answer
    raise AssertionError("the file never filled up")


def test_the_file_is_capped_in_bytes_well_under_s3_selects_record_limit(stored):
    assert dragons_api.MAX_DATA_BYTES <= 512 * 1024
    status, answer = fill_the_file(stored)
    assert status == 413 and "512 KiB" in answer["message"]
    assert dragons_api.MAX_DATA_BYTES - 8 * 1024 < len(data_file(stored)) <= dragons_api.MAX_DATA_BYTES


def test_a_full_file_is_still_one_record_s3_select_reads(s3):
    fill_the_file(s3)
    status, dragons, _ = get()
    assert status == 200 and len(dragons) == len(json.loads(data_file(s3)))
    if s3.select_available:
        # What the cap prevents: past 1 MB the engine, like S3, refuses the record.
        s3.objects[("data-bucket", "dragon_stats_one.json")] = json.dumps(json.loads(data_file(s3)) * 3).encode()
        with pytest.raises(ClientError, match="OverMaxRecordSize"):
            get()


def test_preflight_and_other_methods(s3, monkeypatch):
    assert dragons_api.handler({"httpMethod": "OPTIONS"})["statusCode"] == 200
    assert dragons_api.handler({"httpMethod": "DELETE"})["statusCode"] == 405


def test_cors_names_the_site_when_configured(monkeypatch):
    monkeypatch.setenv("ALLOWED_ORIGIN", "https://class.example.org")
    import importlib

    module = importlib.reload(dragons_api)
    try:
        answer = module.handler({"httpMethod": "OPTIONS"})
        assert answer["headers"]["Access-Control-Allow-Origin"] == "https://class.example.org"
    finally:
        monkeypatch.delenv("ALLOWED_ORIGIN")
        importlib.reload(dragons_api)
