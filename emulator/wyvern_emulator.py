#!/usr/bin/env python3
"""Wyvern's local AWS: moto's server, in this process, with the patches the app needs.

    python3 emulator/wyvern_emulator.py [--port 5005] [--state FILE] [--config FILE] [--bare]

It starts on 127.0.0.1, seeds a bucket with the dragon data and the course's SSM parameters,
then enforces SigV4 (a wrong secret gets SignatureDoesNotMatch). Ctrl+C (SIGINT/SIGTERM) stops it.

Patches:
- S3 SelectObjectContent answers with Wyvern's engine (the s3select command) instead of moto's
  partial SQL; moto's own event-stream encoder frames the records, so the framing stays
  independent of the client's decoder. The request's ScanRange goes to the engine.
- CORS, for pages on this machine only (127.0.0.1, localhost, [::1]): preflights are answered
  before authentication, and responses expose the AWS headers. Other origins get no CORS headers.
- SigV4 is checked against the request target the client sent, canonicalised (moto's decoded URL
  failed any listing by folder, prefix=notes%2F).
- S3 honours x-amz-expected-bucket-owner, and refuses an unsigned request (403 AccessDenied, not
  moto's 500); Parameter Store refuses the names, depths and value sizes AWS refuses; IAM
  authorises parameter calls on the parameters' ARNs, and a refusal is Parameter Store's JSON
  AccessDeniedException (HTTP 400), not moto's XML.
- Athena's query calls run the query on DuckDB over the S3 objects of the Glue tables it names
  (athena_service.py, athena_engine.py); the seed holds the dragon data as two tables
  (dragons.dragons_jsonl and dragons.dragons_csv) and workgroups with a result location.

--state is written with mode 0600: it holds secret keys.

Fault injection for tests (POST /_wyvern/faults): throttle the next N requests, skew the
server's clock, cut the next select stream mid-way or slow it down, answer as an account without
S3 Select, expire the temporary credentials issued so far, keep Athena queries running. GET /_wyvern/verified?signature=S
returns the canonical request and string to sign the emulator rebuilt when it checked S.

The instructor kit's template deploys into it (CloudFormation types moto lacks are added by
cloudformation_models.py), and the Dragon API's handler is the kit's Lambda, invoked with the
requestContext API Gateway would give it: the user-pool authorizer's claims, or the identity of a
SigV4 signer (see _caller).

Written for the tests and demos: --state gets the seeded names and the access keys of a
learner and an instructor; --config gets the config.json the web app reads for live mode (no
secrets in it). --bare seeds only those two IAM users: an empty account for deploy/deploy.sh.
"""
import argparse
import calendar
import json
import os
import pathlib
import re
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


# The pages the emulator serves are on this machine; any other site's page must not read its
# answers (it holds the learner's and the instructor's keys).
LOOPBACK_ORIGIN = re.compile(r"https?://(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?", re.IGNORECASE)


def loopback_origin(origin):
    return bool(origin) and LOOPBACK_ORIGIN.fullmatch(origin) is not None


def cors(app):
    """Answers preflights before moto's auth sees them; adds CORS headers to every response, for
    loopback origins only (others get none, and their preflights are refused as S3 refuses them)."""

    def wrapped(environ, start_response):
        origin = environ.get("HTTP_ORIGIN")
        extra = []
        if origin and not loopback_origin(origin):
            if environ.get("REQUEST_METHOD") == "OPTIONS":
                body = b"<Error><Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed.</Message></Error>"
                start_response("403 Forbidden", [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))])
                return [body]
        elif origin:
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
    "cut_next_select": true, "select_unavailable": true, "slow_select": SECONDS, "expire_sessions": true,
    "redirect_to": URL, "slow_athena": SECONDS}; GET returns them. Shared by the request
    threads. select_unavailable answers S3 Select as an account without it would
    (405 MethodNotAllowed); slow_select sends each event-stream frame SECONDS after the last, as
    a large object's answer trickles in; expire_sessions makes every temporary key seen so far answer ExpiredToken, as AWS
    does once credentials pass their Expiration; redirect_to answers every AWS call with a 307 to URL
    (until set to ""), and GET /_wyvern/redirected counts the requests that arrive there (a client that follows
    the redirect would carry its signed headers along); slow_athena keeps each Athena query started
    from then on RUNNING for SECONDS (athena_service.py)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.throttle = 0
        self.skew_seconds = 0
        self.cut_next_select = False
        self.select_unavailable = False
        self.slow_select = 0.0
        self.slow_athena = 0.0
        self.sessions_seen = set()
        self.sessions_expired = set()
        self.redirect_to = ""
        self.redirected_hits = 0

    def as_dict(self):
        return {
            "throttle": self.throttle, "skew_seconds": self.skew_seconds, "cut_next_select": self.cut_next_select,
            "select_unavailable": self.select_unavailable, "sessions_expired": len(self.sessions_expired),
            "redirect_to": self.redirect_to, "redirected_hits": self.redirected_hits,
            "slow_athena": self.slow_athena,
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


def canonical_target(target):
    """A request's path and query as SigV4 signs them: each part percent-decoded once and encoded
    again per RFC 3986 (unreserved characters bare; '/' kept in the path, %2F in the query; a
    space %20), so every way a client may encode it (boto3's prefix=notes%2F, a browser's '~' or
    '*') gives the string the client signed, never a double encoding."""
    from urllib.parse import quote, unquote_to_bytes, urlsplit

    if "://" in target.split("?", 1)[0]:
        parts = urlsplit(target)
        target = parts.path + ("?" + parts.query if parts.query else "")
    path, _, query = target.partition("?")
    pairs = []
    for part in query.split("&") if query else []:
        key, _, value = part.partition("=")
        pairs.append(quote(unquote_to_bytes(key), safe="-_.~") + "=" + quote(unquote_to_bytes(value), safe="-_.~"))
    path = quote(unquote_to_bytes(path or "/"), safe="/-_.~")
    return path + ("?" + "&".join(pairs) if pairs else "")


def raw_target(environ):
    """The request target exactly as the client sent it (werkzeug keeps it in RAW_URI)."""
    from urllib.parse import quote

    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return raw
    query = environ.get("QUERY_STRING", "")
    return quote(environ.get("PATH_INFO", "/")) + ("?" + query if query else "")


def patch_signed_target():
    """moto checks a signature against the URL Flask rebuilt, in which werkzeug has decoded the
    query (prefix=notes%2F becomes prefix=notes/) and the path (a key's %2B becomes +): any listing
    by folder and many keys answered SignatureDoesNotMatch. Check it against the request target
    the client sent, canonicalised as SigV4 wants."""
    from flask import has_request_context, request
    from moto.iam.access_control import IAMRequestBase

    create = IAMRequestBase._create_aws_request

    def create_aws_request(self):
        aws_request = create(self)
        if has_request_context():
            host = self._headers.get("Host", "localhost")
            aws_request.url = f"http://{host}{canonical_target(raw_target(request.environ))}"
        return aws_request

    IAMRequestBase._create_aws_request = create_aws_request


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
                    state.slow_athena = float(body.get("slow_athena", state.slow_athena))
                    state.redirect_to = str(body.get("redirect_to", state.redirect_to))
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

        if path == "/_wyvern/redirected":
            with state.lock:
                state.redirected_hits += 1
            return error(start_response, "200 OK", [("Content-Type", "text/plain")], b"followed")
        if environ.get("REQUEST_METHOD") == "OPTIONS" or path.startswith("/moto-api"):
            return app(environ, start_response)
        with state.lock:
            location = state.redirect_to
        if location:
            return error(start_response, "307 Temporary Redirect", [("Location", location)], b"")
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


# What API Gateway puts in requestContext.identity of a REST API's proxy event: every field, null
# unless the caller signed with SigV4 (AWS_IAM authorization), but sourceIp and userAgent.
IDENTITY_FIELDS = (
    "cognitoIdentityPoolId", "accountId", "cognitoIdentityId", "caller", "sourceIp", "principalOrgId", "accessKey",
    "cognitoAuthenticationType", "cognitoAuthenticationProvider", "userArn", "userAgent", "user",
)

# Temporary keys from the identity pool (GetCredentialsForIdentity), by access key id: what API
# Gateway reports of such a caller under AWS_IAM authorization (see patch_cognito_identity).
COGNITO_CALLERS = {}


def _caller(environ, region):
    """API Gateway's check of a Dragon API request, and what it then tells the Lambda of the caller
    (requestContext's "identity", and "authorizer" for a user-pool token), or None (401).

    The kit's template (deploy/template.yaml) puts a COGNITO_USER_POOLS authorizer on GET and POST
    /dragons, IdentitySource the Authorization header: the client sends the id token as it is,
    and real API Gateway passes the token's claims, every value a string, with exp and iat
    written as dates ("Sun Mar 28 13:40:42 UTC 2021"), in requestContext.authorizer.claims; the
    identity then has only sourceIp and userAgent. The claims here are those of the token the
    emulator's user pool issued (it checks the token is one it issued, not its expiry).

    The emulator also takes a SigV4 signature for execute-api by a known key, as a method with
    AWS_IAM authorization would (the app signs so when no one is signed in). The template's methods
    do not: real API Gateway would answer such a request 401. For it API Gateway passes no
    authorizer, and the identity of the signer: accountId, caller and user (the IAM user id, or
    role id:session), userArn, accessKey, and for identity-pool credentials cognitoIdentityId,
    cognitoIdentityPoolId, cognitoAuthenticationType and cognitoAuthenticationProvider. No IAM
    policy is evaluated here (AWS would ask for execute-api:Invoke on the method's ARN)."""
    from moto.cognitoidp.models import cognitoidp_backends
    from moto.core import DEFAULT_ACCOUNT_ID

    identity = dict.fromkeys(IDENTITY_FIELDS)
    identity.update(sourceIp=environ.get("REMOTE_ADDR"), userAgent=environ.get("HTTP_USER_AGENT"))
    header = environ.get("HTTP_AUTHORIZATION", "")
    if not header:
        return None
    if header.startswith("AWS4-HMAC-SHA256 "):
        signer = _sigv4_signer(environ, header, region)
        if signer is None:
            return None
        identity.update(signer)
        return {"identity": identity}
    pools = cognitoidp_backends[DEFAULT_ACCOUNT_ID][region].user_pools.values()
    if not any(header in pool.id_tokens for pool in pools):
        return None
    return {"identity": identity, "authorizer": {"claims": authorizer_claims(jwt_claims(header))}}


def jwt_claims(token):
    """The claims of a JWT (its payload), unverified: the caller checked the token."""
    import base64

    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def authorizer_claims(claims):
    """Claims as API Gateway's user-pool authorizer hands them to a REST API's Lambda: strings,
    exp and iat as dates. (A list, such as cognito:groups, is joined with commas: not checked
    against AWS.)"""
    out = {}
    for name, value in claims.items():
        if name in ("exp", "iat") and isinstance(value, (int, float)):
            value = time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(value))
        elif isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, list):
            value = ",".join(map(str, value))
        out[name] = str(value)
    return out


def _sigv4_signer(environ, header, region):
    """The signer of a valid SigV4 signature for execute-api, as requestContext.identity fields,
    or None (unknown key, wrong or missing session token, wrong signature)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.iam.access_control import CreateAccessKeyFailure, create_access_key
    from moto.sts.models import sts_backends

    try:
        fields = dict(part.strip().split("=", 1) for part in header[len("AWS4-HMAC-SHA256 "):].split(","))
        key_id = fields["Credential"].split("/")[0]
        signed = fields["SignedHeaders"].split(";")
    except (KeyError, ValueError):
        return None
    token = environ.get("HTTP_X_AMZ_SECURITY_TOKEN")
    try:
        key = create_access_key(DEFAULT_ACCOUNT_ID, "aws", key_id, {"X-Amz-Security-Token": token} if token else {})
    except CreateAccessKeyFailure:
        return None
    headers = {h: environ.get("HTTP_" + h.upper().replace("-", "_"), "") for h in signed}
    if "content-type" in signed:
        headers["content-type"] = environ.get("CONTENT_TYPE", "")
    url = f"http://{environ.get('HTTP_HOST')}{canonical_target(raw_target(environ))}"
    body = environ["wyvern.body"]
    request = AWSRequest(method=environ["REQUEST_METHOD"], url=url, data=body, headers=headers)
    signer = SigV4Auth(key.create_credentials(), "execute-api", region)
    request.context["timestamp"] = environ.get("HTTP_X_AMZ_DATE")
    canonical = signer.canonical_request(request)
    string_to_sign = signer.string_to_sign(request, canonical)
    if signer.signature(string_to_sign, request) != fields.get("Signature"):
        return None
    user_id, arn, account = sts_backends[DEFAULT_ACCOUNT_ID]["aws"].get_caller_identity(key_id, region)
    return {"accountId": account, "caller": user_id, "user": user_id, "userArn": arn, "accessKey": key_id,
            **COGNITO_CALLERS.get(key_id, {})}


def dragons(environ, start_response, region):
    """Serves the Dragon API with dragons_api.handler, as API Gateway would invoke it (a REST
    API's Lambda proxy event; see _caller for its requestContext)."""
    import urllib.parse
    import uuid
    from http import HTTPStatus

    from moto.core import DEFAULT_ACCOUNT_ID

    import dragons_api

    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wyvern.body"] = body
    caller = _caller(environ, region)
    if caller is None:
        out = json.dumps({"message": "Unauthorized"}).encode()
        start_response("401 Unauthorized", [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
        return [out]
    query = {k: v[-1] for k, v in urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).items()}
    method = environ["REQUEST_METHOD"]
    event = {
        "resource": "/dragons",
        "path": "/dragons",
        "httpMethod": method,
        "queryStringParameters": query or None,
        "headers": {k[5:].replace("_", "-").title(): v for k, v in environ.items() if k.startswith("HTTP_")},
        "body": body.decode("utf-8", "replace") if body else None,
        "requestContext": {
            "resourcePath": "/dragons", "httpMethod": method, "path": DRAGONS_PATH, "stage": "prod",
            "accountId": DEFAULT_ACCOUNT_ID, "requestId": str(uuid.uuid4()), **caller,
        },
    }
    result = dragons_api.handler(event)
    out = (result.get("body") or "").encode()
    status = result["statusCode"]
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Error"
    headers = [(k, v) for k, v in (result.get("headers") or {}).items() if not k.lower().startswith("access-control-")]
    start_response(f"{status} {reason}", headers + [("Content-Length", str(len(out)))])
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


def scan_range_shape(details, size):
    """xmltodict's view of <ScanRange> → the engine's --scan-range JSON. Numbers as numbers (the
    engine answers InvalidScanRange for anything else). With End alone S3 scans the object's last
    End bytes; the engine, reading stdin, cannot know the size, so it gets the Start instead."""
    out = {}
    for field in ("Start", "End"):
        value = (details or {}).get(field)
        if value is not None:
            text = str(value).strip()
            out[field] = int(text) if text.isdigit() else text
    if "Start" not in out and isinstance(out.get("End"), int):
        out = {"Start": max(0, size - out["End"])}
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


def patch_expected_bucket_owner():
    """S3 refuses a request whose x-amz-expected-bucket-owner (or, for the source of a copy,
    x-amz-source-expected-bucket-owner) names another account than the bucket's owner: 403
    AccessDenied. moto ignores both headers. Checked once the caller is authenticated."""
    from urllib.parse import unquote

    from moto.s3.exceptions import BucketAccessDeniedError
    from moto.s3.responses import S3Response

    authorize = S3Response._authenticate_and_authorize_s3_action

    def owner_differs(backend, bucket_name, expected):
        bucket = backend.buckets.get(bucket_name)
        return bucket is not None and expected is not None and bucket.account_id != expected.strip()

    def authenticate_and_check_owner(self, bucket_name=None, key_name=None):
        authorize(self, bucket_name=bucket_name, key_name=key_name)
        if bucket_name and owner_differs(self.backend, bucket_name, self.headers.get("x-amz-expected-bucket-owner")):
            raise BucketAccessDeniedError(bucket=bucket_name)
        source = self.headers.get("x-amz-copy-source")
        if source:
            source_bucket = unquote(source).lstrip("/").split("/", 1)[0]
            if owner_differs(self.backend, source_bucket, self.headers.get("x-amz-source-expected-bucket-owner")):
                raise BucketAccessDeniedError(bucket=source_bucket)

    S3Response._authenticate_and_authorize_s3_action = authenticate_and_check_owner


def patch_anonymous_s3():
    """An unsigned S3 request (no Authorization header, no presigned query) answered 500 (moto's
    signature check reads the Authorization header it lacks), or for an object an empty 403. S3
    answers an anonymous request to a private bucket 403 AccessDenied (its XML error), and 404
    NoSuchBucket when there is no such bucket. The emulator's buckets are private, as the kit's
    data bucket is: every anonymous request is refused. (Public bucket policies and public-read
    ACLs are not evaluated: moto never served anonymous requests once signatures were enforced.)
    Presigned URLs (X-Amz-Signature in the query) are left to moto."""
    from urllib.parse import parse_qs, urlparse

    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.s3.exceptions import MissingBucket, S3AccessDeniedError
    from moto.s3.responses import S3Response

    def refuse_if_anonymous(self, headers, url, bucket_name):
        if ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT:
            return  # still seeding: moto takes anything
        query = {k.lower() for k in parse_qs(urlparse(url).query, keep_blank_values=True)}
        if headers.get("Authorization") or query & {"x-amz-signature", "signature"}:
            return
        if bucket_name and bucket_name not in self.backend.buckets:
            raise MissingBucket(bucket=bucket_name)
        raise S3AccessDeniedError()

    authorize = S3Response._authenticate_and_authorize_s3_action

    def authorize_signed_only(self, bucket_name=None, key_name=None):
        refuse_if_anonymous(self, self.headers, self.uri, bucket_name)
        return authorize(self, bucket_name=bucket_name, key_name=key_name)

    S3Response._authenticate_and_authorize_s3_action = authorize_signed_only

    # moto answers an anonymous request for an object an empty 403 before it authenticates.
    key_response = S3Response._key_response

    def key_response_signed_only(self, request, full_url):
        refuse_if_anonymous(self, request.headers, full_url, self.parse_bucket_name_from_url(request, full_url))
        return key_response(self, request, full_url)

    S3Response._key_response = key_response_signed_only


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

    def select_object_content(self, bucket_name, key_name, select_query, input_details, output_details, scan_range=None):
        self.get_bucket(bucket_name)
        key = self.get_object(bucket_name, key_name)
        if key is None:
            from moto.s3.exceptions import MissingKey
            raise MissingKey(key=key_name)
        cmd = [
            str(s3select), "--expression", select_query,
            "--input-serialization", json.dumps(aws_cli_shape(input_details)),
            "--output-serialization", json.dumps(aws_cli_shape(output_details)),
            "--stats",
        ]
        if scan_range is not None:
            cmd += ["--scan-range", json.dumps(scan_range_shape(scan_range, len(key.value)))]
        cmd.append("-")
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
    from moto.s3.select_object_content import _create_data_message, serialize_select

    original = responses.S3Response._key_response_post

    def key_response_post(self, request, body, bucket_name, query, key_name):
        if "select" not in query:
            return original(self, request, body, bucket_name, query, key_name)
        # moto's select branch, passing on the ScanRange it drops.
        self._set_action("KEY", "POST", query)
        self._authenticate_and_authorize_s3_action(bucket_name=bucket_name, key_name=key_name)
        asked = xmltodict.parse(body)["SelectObjectContentRequest"]
        try:
            results, scanned = self.backend.select_object_content(
                bucket_name, key_name, asked["Expression"], asked["InputSerialization"],
                asked["OutputSerialization"], scan_range=asked.get("ScanRange"),
            )
        except MidStreamError as e:
            return 200, {}, _create_data_message(e.records) + error_frame(e.code, e.message)
        return 200, {}, serialize_select(results, scanned)

    responses.S3Response._key_response_post = key_response_post


# Parameter Store's documented limits, which moto does not check (it checks the reserved "aws" /
# "ssm" prefixes): docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html
# and parameter-store-advanced-parameters.html.
PARAMETER_NAME = re.compile(r"[a-zA-Z0-9_.\-/]+")
# Counted with the ARN before the name ("arn:aws:ssm:us-east-1:123456789012:parameter/" is 45).
PARAMETER_ARN_MAX = 1011
HIERARCHY_MAX = 15
VALUE_MAX = {"Standard": 4096, "Advanced": 8192}
# AWS's answer to a space or another character outside a-zA-Z0-9_.-/ (and to a path without its
# leading slash), as users quote it: the same text as for a reserved prefix.
INVALID_NAME = (
    'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of '
    "sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_"
)
# AWS's answer to a Standard value over 4096 characters. Quoted by users (aws-sdk-net#3157) with
# "advanced-parameter tier"; the wording below is theirs.
STANDARD_VALUE_TOO_LONG = (
    "Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter "
    "value, upgrade the parameter to use the advanced-parameter tier. For more information, see "
    "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html"
)
# Not confirmed against AWS (no quoted answer found): the wording of the too-long name, the too
# deep hierarchy (the API model's text for the exception) and the too-long Advanced value.
NAME_TOO_LONG = "Parameter name: the fully qualified name, counted with the ARN that precedes it, can have at most 1011 characters."
HIERARCHY_TOO_DEEP = "A hierarchy can have a maximum of 15 levels."
ADVANCED_VALUE_TOO_LONG = "Advanced tier parameters support a maximum parameter value of 8192 characters."


def check_parameter_name(name, account_id, region):
    """PutParameter's name rules (after AWS drops spaces around the name)."""
    from moto.ssm.exceptions import SSMException, ValidationException
    from moto.ssm.utils import parameter_arn

    levels = name.split("/")
    fully_qualified = "/" not in name or name.startswith("/")
    if not PARAMETER_NAME.fullmatch(name) or not fully_qualified or "" in levels[1:]:
        raise ValidationException(INVALID_NAME)
    if len(parameter_arn(account_id, region, name)) > PARAMETER_ARN_MAX:
        raise ValidationException(NAME_TOO_LONG)
    if len(levels[1:] if name.startswith("/") else levels) > HIERARCHY_MAX:
        raise SSMException("HierarchyLevelLimitExceededException", HIERARCHY_TOO_DEEP)


def parameter_tier(tier, value, previous):
    """The tier a put lands in (an overwrite keeps the parameter's tier; Intelligent-Tiering picks
    Advanced only for a value Standard cannot hold), refusing a value too long for it."""
    from moto.ssm.exceptions import ValidationException

    tier = tier or (previous.tier if previous else "Standard")
    if tier == "Intelligent-Tiering":
        tier = "Advanced" if len(value or "") > VALUE_MAX["Standard"] else "Standard"
    if tier in VALUE_MAX and len(value or "") > VALUE_MAX[tier]:
        raise ValidationException(STANDARD_VALUE_TOO_LONG if tier == "Standard" else ADVANCED_VALUE_TOO_LONG)
    return tier


def patch_parameter_store():
    """PutParameter refuses what AWS refuses (see check_parameter_name, parameter_tier), and IAM
    authorises parameter calls on the parameters' ARNs (moto asks about "*"), so a policy scoped
    to parameters or paths, like the instructor kit's, is evaluated as AWS evaluates it."""
    from moto.core.exceptions import AccessDeniedError
    from moto.ssm.models import SimpleSystemManagerBackend
    from moto.ssm.responses import SimpleSystemManagerResponse
    from moto.ssm.utils import parameter_arn

    put = SimpleSystemManagerBackend.put_parameter

    def put_parameter(self, name, description, value, parameter_type, allowed_pattern, keyid, overwrite, tags, data_type, tier, policies):
        if isinstance(name, str):
            name = name.strip(" ")
            check_parameter_name(name, self.account_id, self.region_name)
        versions = self._parameters.get(name)
        tier = parameter_tier(tier, value, versions[-1] if versions else None)
        return put(self, name, description, value, parameter_type, allowed_pattern, keyid, overwrite, tags, data_type, tier=tier, policies=policies)

    SimpleSystemManagerBackend.put_parameter = put_parameter

    on_parameters = {
        "GetParameter", "GetParameters", "GetParametersByPath", "GetParameterHistory", "PutParameter",
        "DeleteParameter", "DeleteParameters", "LabelParameterVersion", "UnlabelParameterVersion",
    }
    authorize = SimpleSystemManagerResponse._authenticate_and_authorize_normal_action

    def parameter_arns(self):
        try:
            asked = json.loads(self.body or "{}")
        except ValueError:
            return []
        names = asked.get("Names") or [asked.get("Name") or asked.get("Path")]
        # A name may carry a version or label selector (name:3), or be an ARN already.
        return [n if n.startswith("arn:") else parameter_arn(self.current_account, self.region, n.split(":")[0])
                for n in names if isinstance(n, str) and n]

    def authorize_each_parameter(self, resource="*"):
        arns = parameter_arns(self) if self._get_action() in on_parameters else []
        for arn in arns or [resource]:
            try:
                authorize(self, arn)
            except AccessDeniedError:
                error = parameter_access_denied(self, arn)
                # moto answers an authorisation failure with its body and status but its own
                # headers (which say XML): the JSON error's headers go with it.
                self.response_headers.update(error.get_headers())
                raise error from None

    SimpleSystemManagerResponse._authenticate_and_authorize_normal_action = authorize_each_parameter


def parameter_access_denied(response, resource):
    """Parameter Store's answer when IAM refuses a call: a JSON service's AccessDeniedException
    (iam_checks.json_access_denied) naming the parameter's ARN. moto's answer was its XML
    AccessDenied."""
    import iam_checks

    if resource == "*":
        resource = f"arn:aws:ssm:{response.region}:{response.current_account}:*"
    return iam_checks.json_access_denied(response, f"ssm:{response._get_action()}", resource)


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
    fixed fakes that no signature check accepts): signed-in role with Logins, guest role without.
    Each key is remembered with its identity (COGNITO_CALLERS), which API Gateway reports of a
    caller who signs with it."""
    from moto.cognitoidentity.models import cognitoidentity_backends
    from moto.cognitoidentity.responses import CognitoIdentityResponse
    from moto.sts.models import sts_backends

    def identity_pool_of(account, identity_id):
        try:
            pools = cognitoidentity_backends[account][str(identity_id).split(":")[0]].pools_identities
        except KeyError:
            return None
        return next((pool for pool, listed in pools.items()
                     if {"IdentityId": identity_id} in listed.get("Identities", [])), None)

    def authentication_provider(logins):
        """As API Gateway writes it for a user-pool login: "<provider>,<provider>:CognitoSignIn:<sub>"."""
        providers = []
        for provider, token in logins.items():
            try:
                sub = jwt_claims(token)["sub"]
            except (IndexError, KeyError, ValueError):
                providers.append(provider)
                continue
            providers.append(f"{provider},{provider}:CognitoSignIn:{sub}")
        return ",".join(providers) or None

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
        COGNITO_CALLERS[role.access_key_id] = {
            "cognitoIdentityId": identity_id,
            "cognitoIdentityPoolId": identity_pool_of(self.current_account, identity_id),
            "cognitoAuthenticationType": kind,
            "cognitoAuthenticationProvider": authentication_provider(logins),
        }
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
        ("unauthenticated", "wyvern-guest", ["s3:GetObject", "s3:ListBucket", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory", *ATHENA_ACTIONS]),
        ("authenticated", "wyvern-signed-in", ["s3:GetObject", "s3:ListBucket", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory", "execute-api:Invoke", *ATHENA_ACTIONS]),
    ]:
        arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        statements = [{"Effect": "Allow", "Action": actions, "Resource": "*"}, ATHENA_RESULTS_STATEMENT]
        iam.put_role_policy(RoleName=name, PolicyName="wyvern", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements}))
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


# What a learner's query on Athena needs (athena_service.py answers the four query calls).
ATHENA_ACTIONS = [
    "athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults",
    "athena:StopQueryExecution", "glue:GetDatabase", "glue:GetTable",
]
TABLES_BUCKET = "wyvern-dragon-tables"
RESULTS_BUCKET = "wyvern-athena-results"
# Athena writes and reads a query's result with the caller's permissions: learners may write
# there only.
ATHENA_RESULTS_STATEMENT = {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": f"arn:aws:s3:::{RESULTS_BUCKET}/*"}
ATHENA_DATABASE = "dragons"
ATHENA_WORKGROUP = "wyvern"
# A workgroup whose per-query scan limit (1000 bytes) is below any table's size, for tests of
# the limit (AWS's smallest is 10 MB; the emulator takes any).
ATHENA_TINY_WORKGROUP = "wyvern-tiny"


def seed_athena(session, endpoint):
    """What the instructor kit makes for Athena: the data as tables (one folder each) in a Glue
    database, and workgroups with their result location and per-query scan limit."""
    s3 = session.client("s3", endpoint_url=endpoint)
    for bucket in (TABLES_BUCKET, RESULTS_BUCKET):
        s3.create_bucket(Bucket=bucket)
    data = ROOT / "static" / "data"
    s3.put_object(Bucket=TABLES_BUCKET, Key="dragons_jsonl/dragons.jsonl", Body=(data / "dragons.jsonl").read_bytes())
    s3.put_object(Bucket=TABLES_BUCKET, Key="dragons_csv/dragons.csv", Body=(data / "dragons.csv").read_bytes())
    glue = session.client("glue", endpoint_url=endpoint)
    glue.create_database(DatabaseInput={"Name": ATHENA_DATABASE})
    header = (data / "dragons.csv").read_text().splitlines()[0].split(",")
    typed = {"wingspan_ft": "bigint", "age_years": "bigint", "weight_tons": "double"}
    for name, serde, columns, parameters in [
        ("dragons_jsonl", "org.openx.data.jsonserde.JsonSerDe",
         [{"Name": c, "Type": typed.get(c, "string")} for c in header], {}),
        ("dragons_csv", "org.apache.hadoop.hive.serde2.OpenCSVSerde",
         [{"Name": c, "Type": "string"} for c in header], {"skip.header.line.count": "1"}),
    ]:
        glue.create_table(DatabaseName=ATHENA_DATABASE, TableInput={
            "Name": name, "TableType": "EXTERNAL_TABLE", "Parameters": parameters,
            "StorageDescriptor": {"Columns": columns, "Location": f"s3://{TABLES_BUCKET}/{name}/",
                                  "SerdeInfo": {"SerializationLibrary": serde}},
        })
    from botocore.config import Config

    # boto3 refuses a cutoff under AWS's 10 MB minimum: the tiny workgroup is made without its checks.
    athena = session.client("athena", endpoint_url=endpoint, config=Config(parameter_validation=False))
    for workgroup, cutoff in [(ATHENA_WORKGROUP, 10_000_000), (ATHENA_TINY_WORKGROUP, 1000)]:
        athena.create_work_group(Name=workgroup, Configuration={
            "ResultConfiguration": {"OutputLocation": f"s3://{RESULTS_BUCKET}/{workgroup}/"},
            "EnforceWorkGroupConfiguration": True,
            "BytesScannedCutoffPerQuery": cutoff,
        })


def seed_users(session, endpoint):
    """IAM users with access keys: a learner (S3 and SSM) and an instructor (everything)."""
    iam = session.client("iam", endpoint_url=endpoint)
    keys = {}
    for name, actions, prefix in [("wyvern-learner", ["s3:*", "ssm:*", *ATHENA_ACTIONS], ""), ("wyvern-instructor", "*", "instructor_")]:
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
    for name in ("dragons.csv", "dragons.jsonl", "dragons.parquet"):
        s3.put_object(Bucket=BUCKET, Key=f"samples/{name}", Body=(ROOT / "static" / "data" / name).read_bytes())
    ssm = session.client("ssm", endpoint_url=endpoint)
    ssm.put_parameter(Name="dragon_data_bucket_name", Value=BUCKET, Type="String")
    ssm.put_parameter(Name="dragon_data_file_name", Value=KEY, Type="String")
    ssm.put_parameter(Name="/dragons/api/stage", Value="prod", Type="String")
    ssm.put_parameter(Name="/dragons/families", Value="red,blue,black,green,gold,silver,white", Type="StringList")
    ssm.put_parameter(Name="/dragons/secret/feeding-schedule", Value="dawn and dusk", Type="SecureString")
    seed_athena(session, endpoint)
    return seed_cognito(session, endpoint)


def write_private(path, text):
    """Writes a file only its owner can read (the state holds secret keys): created 0600 from the
    start under a temporary name, then renamed over `path`, so no reader sees it half written and
    an older file's looser mode does not carry over."""
    path = pathlib.Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


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
    patch_expected_bucket_owner()
    patch_anonymous_s3()
    patch_parameter_store()
    patch_cognito_identity()
    patch_public_operations()
    patch_signature_record()
    patch_signed_target()
    patch_cloudformation()
    import athena_service

    injected = Faults()
    athena_service.patch(injected)
    app = cors(faults(DomainDispatcherApplication(create_backend_app), injected))
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
        state.update({"bucket": BUCKET, "key": KEY, "dragon_api": endpoint + DRAGONS_PATH,
                      "athena_database": ATHENA_DATABASE, "athena_workgroup": ATHENA_WORKGROUP,
                      "athena_tiny_workgroup": ATHENA_TINY_WORKGROUP})
    if args.state:
        write_private(args.state, json.dumps(state, indent=2))
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
            "athenaWorkGroup": ATHENA_WORKGROUP,
            "athenaDatabase": ATHENA_DATABASE,
            "athenaJsonTable": "dragons_jsonl",
            "athenaCsvTable": "dragons_csv",
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
