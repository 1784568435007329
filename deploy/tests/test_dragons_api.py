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


def get(params=None):
    answer = dragons_api.handler({"httpMethod": "GET", "queryStringParameters": params})
    return answer["statusCode"], json.loads(answer["body"]), answer["headers"]


def post(body):
    text = body if isinstance(body, str) else json.dumps(body)
    answer = dragons_api.handler({"httpMethod": "POST", "body": text})
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
