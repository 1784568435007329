#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora and dictionaries (scripts/fuzz.sh runs it).

    python3 fuzz/seeds.py OUT_DIR

OUT_DIR/<target>/seed-<sha1> for each target, in the input layouts the targets document
(fuzz/fuzz_targets/*.rs), and OUT_DIR/<target>.dict. Seeds come from the engine's fixture corpus
(tests/fixtures/select/*.cases), its reference Parquet files, the AWS SigV4 suite (tests/fixtures/sigv4), hand-written AWS
answers and valid event-stream frames. Nothing here is committed: it is rebuilt on every run.
"""

import calendar
import hashlib
import json
import re
import struct
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "fixtures" / "select"
SIGV4 = ROOT / "tests" / "fixtures" / "sigv4"
PARQUET = ROOT / "crates" / "select" / "tests" / "parquet" / "data"

# Seeds stay under the targets' -max_len (fuzz/run.py).
ENGINE_MAX = 8192


def write(out: Path, target: str, data: bytes) -> None:
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / ("seed-" + hashlib.sha1(data).hexdigest())).write_bytes(data)


def write_dict(out: Path, target: str, words) -> None:
    lines = []
    for w in sorted(set(words)):
        esc = "".join(
            c if 32 <= ord(c) < 127 and c not in '"\\' else "\\x%02x" % ord(c)
            for c in w
        )
        lines.append('"%s"' % esc)
    (out / (target + ".dict")).write_text("\n".join(lines) + "\n")


def unescape(s: str) -> bytes:
    out = bytearray()
    i = 0
    b = s.encode()
    while i < len(b):
        if b[i] == 0x5C and i + 1 < len(b):
            c = chr(b[i + 1])
            if c == "x" and i + 3 < len(b):
                out.append(int(b[i + 2 : i + 4], 16))
                i += 4
                continue
            out.append({"n": 10, "r": 13, "t": 9, "\\": 0x5C}.get(c, b[i + 1]))
            i += 2
        else:
            out.append(b[i])
            i += 1
    return bytes(out)


def cases():
    """(sql, input, output, scan_range, data) for every case of the fixture corpus."""
    for path in sorted(CASES.glob("*.cases")):
        inp, outp, scan, data = '{"CSV":{}}', '{"CSV":{}}', None, b""
        for line in path.read_text().splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("=== "):
                inp, outp, scan, data = '{"CSV":{}}', '{"CSV":{}}', None, b""
            elif line.startswith("input: "):
                inp = line[7:]
            elif line.startswith("output: "):
                outp = line[8:]
            elif line.startswith("scan-range: "):
                scan = json.loads(line[12:])
            elif line == "data:":
                data = b""
            elif line.startswith("data: "):
                data = unescape(line[6:])
            elif line.startswith("data-file: "):
                data = (CASES / "data" / line[11:].strip()).read_bytes()
            elif " ==>" in line:
                yield line.split(" ==>", 1)[0].strip(), inp, outp, scan, data


def engine_seed(n, sql, inp, outp, scan, data) -> bytes:
    flags, start, length = 0, 0, 0
    if scan is not None:
        if "Start" in scan:
            start = scan["Start"]
            if "End" in scan:
                length = scan["End"] - start
            else:
                flags |= 4
        else:
            start, flags = max(0, len(data) - scan["End"]), flags | 4
        flags |= 2
    if not (0 <= start <= 0xFFFF and 0 <= length <= 0xFFFF):
        flags, start, length = 0, 0, 0
    text = b"\n".join([inp.encode(), outp.encode(), sql.encode()]) + b"\0"
    room = ENGINE_MAX - 6 - len(text)
    if len(data) > room:
        # The dragons files: keep whole records.
        cut = data.rfind(b"\n", 0, room)
        data = data[: cut + 1 if cut > 0 else room]
    seed = n % 255 + 1  # both the whole-input run and a chunked one
    return struct.pack("<BBHH", flags, seed, start, length) + text + data


def frame(headers, payload: bytes) -> bytes:
    hb = b""
    for k, v in headers:
        kb, vb = k.encode(), v.encode()
        hb += bytes([len(kb)]) + kb + b"\x07" + struct.pack(">H", len(vb)) + vb
    total = 12 + len(hb) + len(payload) + 4
    prelude = struct.pack(">II", total, len(hb))
    msg = prelude + struct.pack(">I", zlib.crc32(prelude)) + hb + payload
    return msg + struct.pack(">I", zlib.crc32(msg))


def event(kind: str, payload: bytes = b"") -> bytes:
    ct = "application/octet-stream" if kind == "Records" else "text/xml"
    return frame(
        [(":message-type", "event"), (":event-type", kind), (":content-type", ct)],
        payload,
    )


def stats(tag: str, a, b, c) -> bytes:
    xml = (
        "<%s><BytesScanned>%s</BytesScanned><BytesProcessed>%s</BytesProcessed>"
        "<BytesReturned>%s</BytesReturned></%s>" % (tag, a, b, c, tag)
    )
    return event(tag, xml.encode())


RESPONSES = [
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code>'
    b"<Message>The request signature we calculated does not match.</Message>"
    b"<CanonicalRequest>GET\n/\n\nhost:h\nx-amz-security-token:FQoG/abc=\n\nhost;x-amz-security-token\nUNSIGNED</CanonicalRequest>"
    b"<CanonicalRequestBytes>47 45 54 0a 2f</CanonicalRequestBytes>"
    b"<StringToSignBytes>41 57 53 34</StringToSignBytes><RequestId>4442587FB7D0A2F9</RequestId></Error>",
    b"<Error><Code>NoSuchKey</Code><Message>a &amp; b &#x41; &lt;</Message></Error>",
    b'{"__type":"com.amazonaws.ssm#ParameterNotFound","message":"no such parameter"}',
    b'{"__type":"NotAuthorizedException:http://internal","Message":"x-amz-security-token=abc"}',
    b'{"code":"ThrottlingException","message":"slow down"}',
    b'{"Parameter":{"Name":"/dragon/bucket","Type":"SecureString","Value":"v","Version":3}}',
    b'{"Parameters":[{"Name":"a","Value":"1","Version":1},{"Name":"b","Type":"StringList","Value":"x,y"}],"NextToken":"tok"}',
    b'<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>b</Name><Contents><Key>a &amp; b.json</Key>'
    b"<LastModified>2026-11-23T10:00:00.000Z</LastModified><Size>42</Size></Contents>"
    b"<Contents><Key>c.csv</Key><Size>7</Size></Contents><NextContinuationToken>tok</NextContinuationToken></ListBucketResult>",
    b'{"IdentityId":"us-east-1:1234"}',
    b'{"IdentityId":"us-east-1:1234","Token":"eyJraWQ"}',
    b'{"IdentityId":"x","Credentials":{"AccessKeyId":"ASIA","SecretKey":"k","SessionToken":"t","Expiration":1763900000.5}}',
    b"<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAX</AccessKeyId>"
    b"<SecretAccessKey>sk</SecretAccessKey><SessionToken>tok</SessionToken><Expiration>2026-11-23T12:00:00Z</Expiration>"
    b"</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>",
    b'{"AuthenticationResult":{"IdToken":"i","AccessToken":"a","RefreshToken":"r","ExpiresIn":3600}}',
    b'{"ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"s1","ChallengeParameters":{}}',
    b'[{"dragon_name_str":"Atlas","family_str":"red","description_str":"d","location_city_str":"c",'
    b'"location_country_str":"x","location_state_str":"s","location_neighborhood_str":"n"}]',
    b'{"message":"Dragon reported"}',
    b"Sun, 06 Nov 1994 08:49:37 GMT",
    b"Mon, 23 Nov 2026 10:15:00 GMT",
    b"Action=AssumeRoleWithWebIdentity&WebIdentityToken=abc&RoleArn=arn",
    b"GET\n/\n\nhost:example.com\nx-amz-security-token:FQoG/secret=\n\nhost;x-amz-security-token\nUNSIGNED",
]

RESPONSE_WORDS = [
    "<Error>", "</Error>", "<Code>", "</Code>", "<Message>", "</Message>", "<RequestId>",
    "</RequestId>", "<Contents>", "</Contents>", "<Key>", "</Key>", "<Size>", "</Size>",
    "<LastModified>", "<NextContinuationToken>", "<Credentials>", "<AccessKeyId>",
    "<SecretAccessKey>", "<SessionToken>", "<Expiration>", "</Expiration>",
    "<CanonicalRequestBytes>", "</CanonicalRequestBytes>", "<StringToSignBytes>", "<![CDATA[",
    "&amp;", "&#x", "__type", "message", "Message", "code", "Parameter", "Parameters", "Name",
    "Value", "Type", "Version", "NextToken", "IdentityId", "Token", "Credentials", "SecretKey",
    "AccessKeyId", "SessionToken", "Expiration", "AuthenticationResult", "IdToken",
    "AccessToken", "RefreshToken", "ExpiresIn", "ChallengeName", "NEW_PASSWORD_REQUIRED",
    "Session", "Logins", "PASSWORD", "dragon_name_str", "x-amz-security-token", " GMT", "Nov",
    "1e308", "1e300", "1e20", "-1", "18446744073709551616", "9223372036854775808",
    "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z",
]

SQL_WORDS = [
    "SELECT", "FROM", "S3Object", "WHERE", "LIMIT", "AS", "AND", "OR", "NOT", "IS", "NULL",
    "MISSING", "TRUE", "FALSE", "LIKE", "ESCAPE", "BETWEEN", "IN", "CASE", "WHEN", "THEN", "ELSE",
    "END", "CAST", "INT", "INTEGER", "FLOAT", "DECIMAL", "NUMERIC", "STRING", "BOOL", "BOOLEAN",
    "TIMESTAMP", "COUNT(*)", "[*]", ".*", "s.", "_1", "'", "''", '"', "||", "<>", "!=", "<=",
    ">=", "%", "(", ")", ",", "-", "e308", "9223372036854775807", "-9223372036854775808",
    "9223372036854775808", "2147483648", "4294967296", "1e400", "NaN", "2020-01-01T00:00:00Z",
    "`2000-01-01T`", "yyyy", "MMMM", "SSSSSSSSS", "DATE_ADD(month,", "DATE_DIFF(day,", "UTCNOW()",
]


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "fuzz" / "corpus")
    out.mkdir(parents=True, exist_ok=True)
    words = set(SQL_WORDS)
    for n, (sql, inp, outp, scan, data) in enumerate(cases()):
        write(out, "sql", sql.encode())
        write(out, "engine", engine_seed(n, sql, inp, outp, scan, data))
        words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", sql))
    for i in range(16):
        # Bytes for the SQL generator (wyvern_fuzz::gen::query), which reads every input too.
        write(out, "sql", b"".join(hashlib.sha256(bytes([i, j])).digest() for j in range(8)))
    write_dict(out, "sql", words)
    write_dict(out, "engine", words | {'"CSV"', '"JSON"', "FileHeaderInfo", "USE", "IGNORE",
                                        "LINES", "DOCUMENT", "GZIP", "BZIP2", "QuoteFields",
                                        "RecordDelimiter", "FieldDelimiter", "QuoteCharacter",
                                        "QuoteEscapeCharacter", "Comments", "ALWAYS",
                                        "AllowQuotedRecordDelimiter", "CompressionType"})

    # The reference Parquet files (pyarrow), each behind each query byte of the target.
    for f in sorted(PARQUET.glob("*.parquet")):
        data = f.read_bytes()
        if len(data) < 8191:
            for q in range(5):
                write(out, "parquet", bytes([q]) + data)
    write_dict(out, "parquet", {"PAR1", "name", "age", "id", "tags"})

    streams = [
        event("Records", b'{"a":1}\n') + event("Cont") + event("Records", b'{"a":2}\n')
        + stats("Stats", 100, 100, 16) + event("End"),
        event("Records", b"x\n") + frame(
            [(":message-type", "error"), (":error-code", "CastFailed"),
             (":error-message", "Attempt to convert failed")], b""),
        frame([(":message-type", "exception"), (":exception-type", "InternalError")], b"oops"),
        stats("Progress", 1, 2, 3) + event("Future", b"?") + event("End"),
        event("Records", b"a,b\n" * 20) + event("End") + b"\0\0",
    ]
    for i, s in enumerate(streams):
        # Mode 0 (raw bytes), chunk seeds that split the frames differently.
        write(out, "eventstream", bytes([0, 1 + i * 37]) + s)
    for i in range(4):
        # Mode 1 (frames described with `arbitrary`): any bytes make frames.
        write(out, "eventstream", bytes([1, 1 + i]) + hashlib.sha256(bytes([i])).digest() * 4)

    for i, body in enumerate(RESPONSES):
        for status in (200, 400, 403):
            write(out, "responses", struct.pack(">HB", status, i % 16) + body)
    for mode in (1, 2, 3):
        for i in range(6):
            # Bytes for the JSON, XML and HTTP date generators (wyvern_fuzz::gen).
            rnd = b"".join(hashlib.sha256(bytes([mode, i, j])).digest() for j in range(8))
            write(out, "responses", struct.pack(">HB", (200, 400, 403)[i % 3], mode << 4 | i) + rnd)
    write_dict(out, "responses", RESPONSE_WORDS)

    for ctx in sorted(SIGV4.glob("*/context.json")):
        c = json.loads(ctx.read_text())
        req = (ctx.parent / "request.txt").read_bytes()
        cred = c["credentials"]
        ts = c["timestamp"]  # 2015-08-30T12:36:00Z
        secs = calendar.timegm(time.strptime(ts, "%Y-%m-%dT%H:%M:%SZ"))
        for flags in (4 | (0 if c.get("normalize", True) else 16), 0, 1, 8 | 32):
            head = struct.pack("<BI", flags, secs)
            lines = [cred["access_key_id"], cred["secret_access_key"],
                     cred.get("token", c.get("token", "")), c["region"]]
            write(out, "sigv4", head + "\n".join(lines).encode() + b"\n" + req)
    write_dict(out, "sigv4", ["\n", "Host:", "X-Amz-Date:", "x-amz-security-token:", "GET ",
                              "POST ", "%2F", "%", "?", "&", "=", "/..", "/./", "//", "\r",
                              "\0", "\x7f", "us-east-1", "AKIDEXAMPLE"])


if __name__ == "__main__":
    main()
