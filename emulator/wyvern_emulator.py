#!/usr/bin/env python3
"""Wyvern's local AWS: moto's server, in this process, with the patches the app needs.

    python3 emulator/wyvern_emulator.py [--port 5005] [--state FILE] [--config FILE] [--bare]

It starts on 127.0.0.1, seeds a bucket with the dragon data and the course's SSM parameters,
then enforces SigV4 (a wrong secret gets SignatureDoesNotMatch). Ctrl+C (SIGINT/SIGTERM) stops it.

Patches:
- S3 SelectObjectContent answers with Wyvern's engine (the s3select command) instead of moto's
  partial SQL; moto's own event-stream encoder frames the records, so the framing stays
  independent of the client's decoder.
- CORS: preflights are answered before authentication, and responses expose the AWS headers.

Fault injection for tests (POST /_wyvern/faults): throttle the next N requests, skew the
server's clock, cut the next select stream mid-way or slow it down, answer as an account without
S3 Select, expire the temporary credentials issued so far. GET /_wyvern/verified?signature=S
returns the canonical request and string to sign the emulator rebuilt when it checked S.

The instructor kit's template deploys into it (CloudFormation types moto lacks are added by
cloudformation_models.py), and the Dragon API's handler is the kit's Lambda.

Written for the tests and demos: --state gets the seeded names and the access keys of a
learner and an instructor; --config gets the config.json the web app reads for live mode (no
secrets in it). --bare seeds only those two IAM users: an empty account for deploy/deploy.sh.
"""
import argparse
import calendar
import json
import os
import pathlib
import signal
import subprocess
import sys
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "static" / "data" / "dragons.json"
BUCKET = "wyvern-dragon-data"
KEY = "dragon_stats_one.json"
REGION = "us-east-1"

EXPOSED = "x-amz-request-id,x-amz-id-2,x-amzn-requestid,x-amzn-errortype,etag,date,content-length,content-range,x-amz-version-id"


def cors(app):
    """Answers preflights before moto's auth sees them; adds CORS headers to every response."""

    def wrapped(environ, start_response):
        origin = environ.get("HTTP_ORIGIN")
        extra = []
        if origin:
            extra = [
                ("Access-Control-Allow-Origin", origin),
                ("Access-Control-Expose-Headers", EXPOSED),
                ("Vary", "Origin"),
            ]
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            asked = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")
            start_response("200 OK", extra + [
                ("Access-Control-Allow-Methods", "GET,PUT,POST,DELETE,HEAD"),
                ("Access-Control-Allow-Headers", asked or "*"),
                ("Access-Control-Max-Age", "600"),
                ("Content-Length", "0"),
            ])
            return [b""]

        def start(status, headers, exc_info=None):
            names = {h.lower() for h, _ in headers}
            headers = [h for h in headers if not h[0].lower().startswith("access-control-")]
            headers += [h for h in extra if h[0].lower() not in names or h[0].lower().startswith("access-control-")]
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return wrapped


class Faults:
    """Faults for tests, set with POST /_wyvern/faults {"throttle": N, "skew_seconds": S,
    "cut_next_select": true, "select_unavailable": true, "slow_select": SECONDS, "expire_sessions": true}; GET returns them. Shared by the request
    threads. select_unavailable answers S3 Select as an account without it would
    (405 MethodNotAllowed); slow_select sends each event-stream frame SECONDS after the last, as
    a large object's answer trickles in; expire_sessions makes every temporary key seen so far answer ExpiredToken, as AWS
    does once credentials pass their Expiration."""

    def __init__(self):
        self.lock = threading.Lock()
        self.throttle = 0
        self.skew_seconds = 0
        self.cut_next_select = False
        self.select_unavailable = False
        self.slow_select = 0.0
        self.sessions_seen = set()
        self.sessions_expired = set()

    def as_dict(self):
        return {
            "throttle": self.throttle, "skew_seconds": self.skew_seconds, "cut_next_select": self.cut_next_select,
            "select_unavailable": self.select_unavailable, "sessions_expired": len(self.sessions_expired),
        }


def http_date(t):
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(t))


def request_time(environ):
    """The signing time of a request (X-Amz-Date), as epoch seconds."""
    value = environ.get("HTTP_X_AMZ_DATE")
    if not value:
        return None
    try:
        return calendar.timegm(time.strptime(value, "%Y%m%dT%H%M%SZ"))
    except ValueError:
        return None


def access_key_id(environ):
    """The access key id in a SigV4 Authorization header."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    if "Credential=" not in auth:
        return None
    return auth.split("Credential=", 1)[1].split("/", 1)[0]


# What the emulator verified, by signature: the canonical request and string to sign it
# computed (with botocore) from the request it received. GET /_wyvern/verified?signature=…
VERIFIED = {}
VERIFIED_LOCK = threading.Lock()


def patch_signature_record():
    from moto.iam.access_control import IAMRequestBase

    def _calculate_signature(self):
        credentials = self._access_key.create_credentials()
        auth = self._create_auth(credentials)
        request = self._create_aws_request()
        canonical_request = auth.canonical_request(request)
        string_to_sign = auth.string_to_sign(request, canonical_request)
        signature = auth.signature(string_to_sign, request)
        with VERIFIED_LOCK:
            VERIFIED[signature] = {"canonicalRequest": canonical_request, "stringToSign": string_to_sign}
            while len(VERIFIED) > 500:
                VERIFIED.pop(next(iter(VERIFIED)))
        return signature

    IAMRequestBase._calculate_signature = _calculate_signature


def patch_cloudformation():
    """moto's CloudFormation reads AWS::ApiGateway::Method as if every integration had a URI and
    an HTTP method; a MOCK integration (the CORS preflight) has neither. And it lacks types."""
    from moto.apigateway.models import Method

    create = Method.create_from_cloudformation_json.__func__

    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, *args, **kwargs):
        integration = cloudformation_json["Properties"].setdefault("Integration", {"Type": "MOCK"})
        integration.setdefault("IntegrationHttpMethod", cloudformation_json["Properties"]["HttpMethod"])
        integration.setdefault("Uri", "")
        return create(cls, resource_name, cloudformation_json, *args, **kwargs)

    Method.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)

    # Executing a change set (what `aws cloudformation deploy` does) updates the resources but
    # leaves the outputs of the empty stack it started from.
    from moto.cloudformation.models import ChangeSet

    apply = ChangeSet.apply

    def apply_and_refresh_outputs(self):
        apply(self)
        self.stack.template_dict = self.template_dict
        self.stack.output_map = self.stack._create_output_map()

    ChangeSet.apply = apply_and_refresh_outputs

    # Inline policies of roles made by CloudFormation are stored as parsed documents, which
    # moto's permission check then cannot read (it expects text).
    from moto.iam.access_control import IAMPolicy

    policy_init = IAMPolicy.__init__

    def init_accepting_documents(self, policy):
        if isinstance(policy, dict) and "Statement" in policy:
            policy = json.dumps(policy)
        policy_init(self, policy)

    IAMPolicy.__init__ = init_accepting_documents

    # The types the instructor kit uses that moto's CloudFormation lacks (Cognito pools, the API's
    # authorizer, stage and gateway responses, bucket policies).
    import cloudformation_models

    cloudformation_models.install(ROLES)


def verified(environ, start_response):
    from urllib.parse import parse_qs

    signature = parse_qs(environ.get("QUERY_STRING", "")).get("signature", [""])[0]
    with VERIFIED_LOCK:
        found = VERIFIED.get(signature)
    status = "200 OK" if found else "404 Not Found"
    body = json.dumps(found or {"message": "no request with that signature was verified"}).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def trickle(app, environ, start_response, pause):
    """Sends a successful event-stream answer frame by frame, `pause` seconds apart."""
    captured = {}

    def capture(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers
        return lambda data: None

    body = b"".join(app(environ, capture))
    headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
    if not captured["status"].startswith("200"):
        start_response(captured["status"], headers + [("Content-Length", str(len(body)))])
        return [body]
    start_response(captured["status"], headers)

    def frames():
        at = 0
        while at + 4 <= len(body):
            size = int.from_bytes(body[at:at + 4], "big") or len(body)
            yield body[at:at + size]
            at += size
            time.sleep(pause)

    return frames()


def faults(app, state):
    """Applies the injected faults before moto sees a request."""

    def error(start_response, status, headers, body):
        start_response(status, headers + [("Content-Length", str(len(body)))])
        return [body]

    def wrapped(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/_wyvern/faults":
            if environ.get("REQUEST_METHOD") == "POST":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                body = json.loads(environ["wsgi.input"].read(length) or b"{}")
                with state.lock:
                    state.throttle = int(body.get("throttle", state.throttle))
                    state.skew_seconds = int(body.get("skew_seconds", state.skew_seconds))
                    state.cut_next_select = bool(body.get("cut_next_select", state.cut_next_select))
                    state.select_unavailable = bool(body.get("select_unavailable", state.select_unavailable))
                    state.slow_select = float(body.get("slow_select", state.slow_select))
                    if body.get("expire_sessions"):
                        state.sessions_expired |= state.sessions_seen
            out = json.dumps(state.as_dict()).encode()
            return error(start_response, "200 OK", [("Content-Type", "application/json")], out)
        server_now = time.time() + state.skew_seconds
        date = [("Date", http_date(server_now))]
        outer_start = start_response

        def start_response(status, headers, exc_info=None):
            # One Date header, from the emulator's (possibly skewed) clock.
            headers = [h for h in headers if h[0].lower() != "date"] + date
            return outer_start(status, headers, exc_info)

        if environ.get("REQUEST_METHOD") == "OPTIONS" or path.startswith("/moto-api"):
            return app(environ, start_response)
        json_service = bool(environ.get("HTTP_X_AMZ_TARGET"))
        with state.lock:
            throttled = state.throttle > 0
            if throttled:
                state.throttle -= 1
        if throttled:
            if json_service:
                body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()
                return error(start_response, "400 Bad Request", [("Content-Type", "application/x-amz-json-1.1")], body)
            body = b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>WYVERNTHROTTLE</RequestId></Error>"
            return error(start_response, "503 Slow Down", [("Content-Type", "application/xml")], body)
        signed_at = request_time(environ)
        if signed_at is not None and abs(server_now - signed_at) > 15 * 60:
            if json_service:
                body = json.dumps({"__type": "InvalidSignatureException", "message": "Signature expired: the request time is too far from the server time."}).encode()
                return error(start_response, "400 Bad Request", [("Content-Type", "application/x-amz-json-1.1")], body)
            body = b"<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><RequestId>WYVERNSKEW</RequestId></Error>"
            return error(start_response, "403 Forbidden", [("Content-Type", "application/xml")], body)
        key_id = access_key_id(environ)
        if key_id and key_id.startswith("ASIA"):
            with state.lock:
                state.sessions_seen.add(key_id)
                expired = key_id in state.sessions_expired
            if expired:
                if json_service:
                    body = json.dumps({"__type": "ExpiredTokenException", "message": "The security token included in the request is expired"}).encode()
                    return error(start_response, "400 Bad Request", [("Content-Type", "application/x-amz-json-1.1")], body)
                body = b"<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message><RequestId>WYVERNEXPIRED</RequestId></Error>"
                return error(start_response, "400 Bad Request", [("Content-Type", "application/xml")], body)
        if path == "/_wyvern/verified":
            return verified(environ, start_response)
        if path == DRAGONS_PATH:
            return dragons(environ, start_response, REGION)
        is_select = "select" in environ.get("QUERY_STRING", "") and environ.get("REQUEST_METHOD") == "POST"
        if is_select and state.select_unavailable:
            body = b"<Error><Code>MethodNotAllowed</Code><Message>The specified method is not allowed against this resource.</Message><RequestId>WYVERNNOSELECT</RequestId></Error>"
            return error(start_response, "405 Method Not Allowed", [("Content-Type", "application/xml")], body)
        with state.lock:
            cut = is_select and state.cut_next_select
            if cut:
                state.cut_next_select = False
            slow = state.slow_select if is_select else 0
        if slow:
            return trickle(app, environ, start_response, slow)
        if not cut:
            return app(environ, start_response)
        # Cut the stream mid-way: drop the last frames (End and most of Stats).
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        body = b"".join(app(environ, capture))
        body = body[: max(0, len(body) - 60)]
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(captured["status"], headers + [("Content-Length", str(len(body)))])
        return [body]

    return wrapped


def _no_date_handler():
    from werkzeug.serving import WSGIRequestHandler

    class NoDateHandler(WSGIRequestHandler):
        """Leaves the Date header to the application (the emulator's clock can be skewed)."""

        def send_response(self, code, message=None):
            self.log_request(code)
            self.send_response_only(code, message)
            self.send_header("Server", self.version_string())

    return NoDateHandler


DRAGONS_PATH = "/prod/dragons"


def _authorized(environ, region):
    """API Gateway's check: a user-pool id token (Authorization: <IdToken>), or IAM auth (a
    SigV4 signature for execute-api by a known key)."""
    from moto.cognitoidp.models import cognitoidp_backends
    from moto.core import DEFAULT_ACCOUNT_ID

    header = environ.get("HTTP_AUTHORIZATION", "")
    if not header:
        return False
    if header.startswith("AWS4-HMAC-SHA256 "):
        return _sigv4_valid(environ, header, region)
    pools = cognitoidp_backends[DEFAULT_ACCOUNT_ID][region].user_pools.values()
    return any(header in pool.id_tokens for pool in pools)


def _sigv4_valid(environ, header, region):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.iam.models import iam_backends

    fields = dict(part.strip().split("=", 1) for part in header[len("AWS4-HMAC-SHA256 "):].split(","))
    key_id = fields["Credential"].split("/")[0]
    try:
        secret = iam_backends[DEFAULT_ACCOUNT_ID]["aws"].access_keys[key_id].secret_access_key
    except KeyError:
        return False
    signed = fields["SignedHeaders"].split(";")
    headers = {h: environ.get("HTTP_" + h.upper().replace("-", "_"), "") for h in signed}
    if "content-type" in signed:
        headers["content-type"] = environ.get("CONTENT_TYPE", "")
    url = f"http://{environ.get('HTTP_HOST')}{environ.get('PATH_INFO')}"
    if environ.get("QUERY_STRING"):
        url += "?" + environ["QUERY_STRING"]
    body = environ["wyvern.body"]
    request = AWSRequest(method=environ["REQUEST_METHOD"], url=url, data=body, headers=headers)
    token = environ.get("HTTP_X_AMZ_SECURITY_TOKEN")
    signer = SigV4Auth(Credentials(key_id, secret, token), "execute-api", region)
    request.context["timestamp"] = environ.get("HTTP_X_AMZ_DATE")
    canonical = signer.canonical_request(request)
    string_to_sign = signer.string_to_sign(request, canonical)
    expected = signer.signature(string_to_sign, request)
    return expected == fields["Signature"]


def dragons(environ, start_response, region):
    """Serves the Dragon API with dragons_api.handler, as API Gateway would invoke it."""
    import urllib.parse

    import dragons_api

    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wyvern.body"] = body
    if not _authorized(environ, region):
        out = json.dumps({"message": "Unauthorized"}).encode()
        start_response("401 Unauthorized", [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
        return [out]
    query = {k: v[-1] for k, v in urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).items()}
    event = {
        "httpMethod": environ["REQUEST_METHOD"],
        "path": "/dragons",
        "queryStringParameters": query or None,
        "headers": {k[5:].replace("_", "-").title(): v for k, v in environ.items() if k.startswith("HTTP_")},
        "body": body.decode("utf-8", "replace") if body else None,
    }
    result = dragons_api.handler(event)
    out = (result.get("body") or "").encode()
    reason = {200: "OK", 201: "Created", 400: "Bad Request", 405: "Method Not Allowed", 409: "Conflict"}.get(result["statusCode"], "Error")
    headers = [(k, v) for k, v in (result.get("headers") or {}).items() if not k.lower().startswith("access-control-")]
    start_response(f"{result['statusCode']} {reason}", headers + [("Content-Length", str(len(out)))])
    return [out]


def aws_cli_shape(details):
    """xmltodict's view of <InputSerialization>/<OutputSerialization> → the AWS CLI JSON shape."""
    out = {}
    for key, value in (details or {}).items():
        if isinstance(value, dict):
            out[key] = aws_cli_shape(value)
        elif value is None:
            out[key] = {}
        elif key == "AllowQuotedRecordDelimiter":
            out[key] = str(value).upper() == "TRUE"
        else:
            out[key] = value
    return out


class MidStreamError(Exception):
    def __init__(self, records, code, message):
        super().__init__(code)
        self.records, self.code, self.message = records, code, message


def error_frame(code, message):
    """An error message of the event stream, built with moto's header encoder."""
    import binascii
    import struct

    from moto.s3.select_object_content import _create_header

    headers = _create_header(b":message-type", b"error")
    headers += _create_header(b":error-code", code.encode())
    headers += _create_header(b":error-message", message.encode())
    prelude = struct.pack("!I", len(headers) + 16) + struct.pack("!I", len(headers))
    prelude_crc = struct.pack("!I", binascii.crc32(prelude))
    return prelude + prelude_crc + headers + struct.pack("!I", binascii.crc32(prelude + prelude_crc + headers))


def patch_s3_select(s3select):
    import xmltodict
    from moto.s3.exceptions import S3ClientError
    from moto.s3.models import S3Backend

    # IAM authorises SelectObjectContent as s3:GetObject; moto asks for a made-up s3:SelectObject.
    from moto.s3.responses import ACTION_MAP

    ACTION_MAP["KEY"]["POST"]["select"] = "GetObject"

    # moto reads the request with xmltodict, which strips whitespace: a RecordDelimiter of "\n"
    # would vanish. Keep whitespace for select requests.
    parse = xmltodict.parse

    def parse_keeping_delimiters(xml, *a, **kw):
        text = xml.decode("utf-8", "replace") if isinstance(xml, bytes) else str(xml)
        if "<SelectObjectContentRequest" in text:
            kw.setdefault("strip_whitespace", False)
        return parse(xml, *a, **kw)

    xmltodict.parse = parse_keeping_delimiters

    def select_object_content(self, bucket_name, key_name, select_query, input_details, output_details):
        self.get_bucket(bucket_name)
        key = self.get_object(bucket_name, key_name)
        if key is None:
            from moto.s3.exceptions import MissingKey
            raise MissingKey(key=key_name)
        cmd = [
            str(s3select), "--expression", select_query,
            "--input-serialization", json.dumps(aws_cli_shape(input_details)),
            "--output-serialization", json.dumps(aws_cli_shape(output_details)),
            "--stats", "-",
        ]
        done = subprocess.run(cmd, input=key.value, capture_output=True)
        lines = done.stderr.decode("utf-8", "replace").splitlines()
        if done.returncode != 0:
            code, _, message = (lines[0] if lines else "InternalError: s3select failed").partition(": ")
            if done.stdout:
                # Records went out before the error: S3 answers 200 and ends the stream with an
                # error event (and no End), which clients must surface.
                raise MidStreamError(done.stdout, code, message)
            raise S3ClientError(code, message)
        stats = json.loads(lines[-1]) if lines else {"BytesScanned": len(key.value)}
        return [done.stdout], stats["BytesScanned"]

    S3Backend.select_object_content = select_object_content

    from moto.s3 import responses
    from moto.s3.select_object_content import _create_data_message

    original = responses.S3Response._key_response_post

    def key_response_post(self, *args, **kwargs):
        try:
            return original(self, *args, **kwargs)
        except MidStreamError as e:
            return 200, {}, _create_data_message(e.records) + error_frame(e.code, e.message)

    responses.S3Response._key_response_post = key_response_post


# Set by seed(): the identity pool's roles, by kind.
ROLES = {}


def patch_public_operations():
    """The calls AWS takes without a signature: Cognito Identity's GetId, GetOpenIdToken and
    GetCredentialsForIdentity, user-pool sign-in, and STS AssumeRoleWithWebIdentity."""
    from moto.core.authorization import ActionAuthenticatorMixin

    public = ActionAuthenticatorMixin.PUBLIC_OPERATIONS
    for op in [
        "AWSCognitoIdentityService.GetId",
        "AWSCognitoIdentityService.GetOpenIdToken",
        "AWSCognitoIdentityService.GetCredentialsForIdentity",
        "AWSCognitoIdentityProviderService.InitiateAuth",
        "AWSCognitoIdentityProviderService.RespondToAuthChallenge",
    ]:
        if op not in public:
            public.append(op)
    original = ActionAuthenticatorMixin._authenticate_and_authorize_action

    def authenticate(self, iam_request_cls, resource="*"):
        if self._get_action() == "AssumeRoleWithWebIdentity" and "Authorization" not in self.headers:
            return
        return original(self, iam_request_cls, resource)

    ActionAuthenticatorMixin._authenticate_and_authorize_action = authenticate


def patch_cognito_identity():
    """GetCredentialsForIdentity returns real STS credentials for the pool's role (moto's are
    fixed fakes that no signature check accepts): signed-in role with Logins, guest role without."""
    from moto.cognitoidentity.responses import CognitoIdentityResponse
    from moto.sts.models import sts_backends

    def get_credentials_for_identity(self):
        identity_id = self._get_param("IdentityId")
        logins = self._get_param("Logins") or {}
        kind = "authenticated" if logins else "unauthenticated"
        sts = sts_backends[self.current_account]["aws"]
        role = sts.assume_role(
            region_name=REGION,
            role_session_name=f"wyvern-{kind}",
            role_arn=ROLES[kind],
            policy=None,
            duration=int(os.environ.get("WYVERN_CREDENTIALS_SECONDS", "3600")),
            external_id=None,
        )
        return json.dumps({
            "IdentityId": identity_id,
            "Credentials": {
                "AccessKeyId": role.access_key_id,
                "SecretKey": role.secret_access_key,
                "SessionToken": role.session_token,
                "Expiration": role.expiration.timestamp(),
            },
        })

    CognitoIdentityResponse.get_credentials_for_identity = get_credentials_for_identity


def seed_cognito(session, endpoint):
    iam = session.client("iam", endpoint_url=endpoint)
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}]})
    for kind, name, actions in [
        # As the instructor kit's roles: guests read the data and the class's parameters, signed-in
        # learners also call the Dragon API. Writing parameters takes your own keys.
        ("unauthenticated", "wyvern-guest", ["s3:GetObject", "s3:ListBucket", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"]),
        ("authenticated", "wyvern-signed-in", ["s3:GetObject", "s3:ListBucket", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory", "execute-api:Invoke"]),
    ]:
        arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        iam.put_role_policy(RoleName=name, PolicyName="wyvern", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}))
        ROLES[kind] = arn
    idp = session.client("cognito-idp", endpoint_url=endpoint)
    pool = idp.create_user_pool(PoolName="wyvern-class")["UserPool"]["Id"]
    client = idp.create_user_pool_client(
        UserPoolId=pool, ClientName="wyvern-web", GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool, Username="learner", TemporaryPassword="Temp-pass-1!", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username="learner", Password="Dragon-rider-1!", Permanent=True)
    # A user who must choose a new password at first sign-in (NEW_PASSWORD_REQUIRED).
    idp.admin_create_user(UserPoolId=pool, Username="newcomer", TemporaryPassword="Temp-pass-2!", MessageAction="SUPPRESS")
    ident = session.client("cognito-identity", endpoint_url=endpoint)
    provider = f"cognito-idp.{REGION}.amazonaws.com/{pool}"
    identity_pool = ident.create_identity_pool(
        IdentityPoolName="wyvern_class", AllowUnauthenticatedIdentities=True,
        CognitoIdentityProviders=[{"ProviderName": provider, "ClientId": client}],
    )["IdentityPoolId"]
    # moto has no SetIdentityPoolRoles: the roles live in ROLES, used by the patched
    # GetCredentialsForIdentity.
    return {
        "user_pool_id": pool,
        "user_pool_client_id": client,
        "identity_pool_id": identity_pool,
        "guest_role_arn": ROLES["unauthenticated"],
        "users": {"learner": "Dragon-rider-1!", "newcomer": "Temp-pass-2!"},
    }


def seed_users(session, endpoint):
    """IAM users with access keys: a learner (S3 and SSM) and an instructor (everything)."""
    iam = session.client("iam", endpoint_url=endpoint)
    keys = {}
    for name, actions, prefix in [("wyvern-learner", ["s3:*", "ssm:*"], ""), ("wyvern-instructor", "*", "instructor_")]:
        iam.create_user(UserName=name)
        iam.put_user_policy(
            UserName=name,
            PolicyName="playground",
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}),
        )
        key = iam.create_access_key(UserName=name)["AccessKey"]
        keys[prefix + "access_key_id"] = key["AccessKeyId"]
        keys[prefix + "secret_access_key"] = key["SecretAccessKey"]
    return keys


def seed_class(session, endpoint):
    """A class environment, as the instructor kit makes one: data, parameters, Cognito."""
    s3 = session.client("s3", endpoint_url=endpoint)
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=DATA.read_bytes(), ContentType="application/json")
    for name in ("dragons.csv", "dragons.jsonl"):
        s3.put_object(Bucket=BUCKET, Key=f"samples/{name}", Body=(ROOT / "static" / "data" / name).read_bytes())
    ssm = session.client("ssm", endpoint_url=endpoint)
    ssm.put_parameter(Name="dragon_data_bucket_name", Value=BUCKET, Type="String")
    ssm.put_parameter(Name="dragon_data_file_name", Value=KEY, Type="String")
    ssm.put_parameter(Name="/dragons/api/stage", Value="prod", Type="String")
    ssm.put_parameter(Name="/dragons/families", Value="red,blue,black,green,gold,silver,white", Type="StringList")
    ssm.put_parameter(Name="/dragons/secret/feeding-schedule", Value="dawn and dusk", Type="SecureString")
    return seed_cognito(session, endpoint)


def seed(endpoint, bare):
    import boto3

    session = boto3.session.Session(aws_access_key_id="seed", aws_secret_access_key="seed", region_name=REGION)
    keys = seed_users(session, endpoint)
    if not bare:
        keys.update(seed_class(session, endpoint))
    return keys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=int(os.environ.get("WYVERN_EMULATOR_PORT", 5005)))
    ap.add_argument("--state", help="write seeded names and the learner's keys here (JSON)")
    ap.add_argument("--config", help="write the web app's config.json here")
    ap.add_argument("--bare", action="store_true", help="only the IAM users: an empty account to deploy the instructor kit into")
    ap.add_argument("--s3select", default=str(ROOT / "target" / "release" / "s3select"))
    args = ap.parse_args()
    if not pathlib.Path(args.s3select).exists():
        sys.exit(f"{args.s3select} is missing: cargo build --release --bin s3select")

    from moto import settings
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    NoDateHandler = _no_date_handler()

    patch_s3_select(args.s3select)
    patch_cognito_identity()
    patch_public_operations()
    patch_signature_record()
    patch_cloudformation()
    app = cors(faults(DomainDispatcherApplication(create_backend_app), Faults()))
    server = make_server("127.0.0.1", args.port, app, threaded=True, request_handler=NoDateHandler)
    endpoint = f"http://127.0.0.1:{args.port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    if args.bare and args.config:
        sys.exit("--config needs the class environment: drop --bare")
    keys = seed(endpoint, args.bare)
    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0  # from now on, every request must be signed
    # The Dragon API's handler calls S3 and SSM here, as the course's Lambda role would.
    os.environ.update({
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": keys["access_key_id"],
        "AWS_SECRET_ACCESS_KEY": keys["secret_access_key"],
        "AWS_DEFAULT_REGION": REGION,
    })
    # The Dragon API's handler is the instructor kit's Lambda.
    sys.path.insert(0, str(ROOT / "deploy" / "lambda"))
    state = {"endpoint": endpoint, "region": REGION, **keys}
    if not args.bare:
        state.update({"bucket": BUCKET, "key": KEY, "dragon_api": endpoint + DRAGONS_PATH})
    if args.state:
        pathlib.Path(args.state).write_text(json.dumps(state, indent=2))
    if args.config:
        config = {
            "region": REGION,
            "endpoint": endpoint,
            "identityPoolId": keys["identity_pool_id"],
            "userPoolId": keys["user_pool_id"],
            "userPoolClientId": keys["user_pool_client_id"],
            "guestRoleArn": keys["guest_role_arn"],
            "dragonApiUrl": endpoint + DRAGONS_PATH,
            "dataBucketParameter": "dragon_data_bucket_name",
            "dataKeyParameter": "dragon_data_file_name",
        }
        pathlib.Path(args.config).write_text(json.dumps(config, indent=2))
    print(f"wyvern emulator ready on {endpoint}", flush=True)

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    server.shutdown()


if __name__ == "__main__":
    main()
