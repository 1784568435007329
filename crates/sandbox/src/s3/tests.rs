use crate::s3::store::{Object, MAX_OBJECT_BYTES, MAX_STORED_BYTES};
use crate::state::{DATA_BUCKET, DATA_FILE};
use crate::testing::{now, s3, s3_request, s3_request_as, signed, xml_all, xml_text};
use crate::{Sandbox, State};
use std::time::Duration;
use wyvern_aws::credentials::Credentials;
use wyvern_aws::eventstream::{SelectEvent, SelectStreamDecoder, StreamError};
use wyvern_aws::http_request::Request;
use wyvern_aws::signing::Service;

const B: &str = "/dragons-app-practice";

fn seeded() -> Sandbox {
    Sandbox::seeded(now())
}

fn status(r: &http::Response<Vec<u8>>) -> u16 {
    r.status().as_u16()
}

fn code(r: &http::Response<Vec<u8>>) -> (u16, String) {
    (status(r), xml_text(r.body(), "Code").unwrap_or_default())
}

fn put(s: &mut Sandbox, key: &str, body: &[u8]) {
    let r = s3(
        s,
        "PUT",
        &wyvern_aws::s3::object_path(DATA_BUCKET, key),
        body,
    );
    assert_eq!(status(&r), 200, "{}", String::from_utf8_lossy(r.body()));
}

/// Keys and common prefixes of a listing.
fn listed(r: &http::Response<Vec<u8>>) -> (Vec<String>, Vec<String>) {
    let prefixes = xml_all(r.body(), "CommonPrefixes")
        .iter()
        .filter_map(|p| xml_text(p.as_bytes(), "Prefix"))
        .collect();
    (xml_all(r.body(), "Key"), prefixes)
}

#[test]
fn lists_the_class_bucket() {
    let mut s = seeded();
    let r = s3(&mut s, "GET", "/", b"");
    assert_eq!(status(&r), 200);
    assert_eq!(xml_all(r.body(), "Name"), [DATA_BUCKET]);
    assert_eq!(
        xml_text(r.body(), "BucketRegion").as_deref(),
        Some("us-east-1")
    );
    assert_eq!(
        xml_text(r.body(), "CreationDate").as_deref(),
        Some("2026-11-30T18:00:00.000Z")
    );
    assert_eq!(r.headers()["content-type"], "application/xml");
    assert_eq!(r.headers()["x-amz-request-id"].len(), 16);
    let head = s3(&mut s, "HEAD", B, b"");
    assert_eq!(
        (
            status(&head),
            head.headers()["x-amz-bucket-region"].to_str().unwrap()
        ),
        (200, "us-east-1")
    );
    assert_eq!(status(&s3(&mut s, "HEAD", "/nope", b"")), 404);
}

#[test]
fn listing_with_prefix_and_delimiter() {
    let mut s = seeded();
    for key in [
        "notes/a.txt",
        "notes/b b+c.txt",
        "notes/deep/x.txt",
        "notes.txt",
    ] {
        put(&mut s, key, key.as_bytes());
    }
    let r = s3(
        &mut s,
        "GET",
        &format!("{B}?list-type=2&delimiter=%2F"),
        b"",
    );
    let (keys, prefixes) = listed(&r);
    assert_eq!(keys, [DATA_FILE, "notes.txt"]);
    assert_eq!(prefixes, ["notes/", "samples/"]);
    assert_eq!(xml_text(r.body(), "KeyCount").as_deref(), Some("4"));
    assert_eq!(xml_text(r.body(), "IsTruncated").as_deref(), Some("false"));

    let r = s3(
        &mut s,
        "GET",
        &format!("{B}?list-type=2&prefix=notes%2F&delimiter=%2F&encoding-type=url"),
        b"",
    );
    let (keys, prefixes) = listed(&r);
    assert_eq!(keys, ["notes/a.txt", "notes/b%20b%2Bc.txt"]);
    assert_eq!(prefixes, ["notes/deep/"]);
    assert_eq!(xml_text(r.body(), "EncodingType").as_deref(), Some("url"));
    let entry = xml_all(r.body(), "Contents").remove(0);
    assert_eq!(xml_text(entry.as_bytes(), "Size").as_deref(), Some("11"));
    assert_eq!(
        xml_text(entry.as_bytes(), "StorageClass").as_deref(),
        Some("STANDARD")
    );
    assert_eq!(xml_text(entry.as_bytes(), "ETag").unwrap().len(), 34);

    let r = s3(
        &mut s,
        "GET",
        &format!("{B}?list-type=2&prefix=notes&start-after=notes%2Fa.txt"),
        b"",
    );
    assert_eq!(listed(&r).0, ["notes/b b+c.txt", "notes/deep/x.txt"]);
    assert_eq!(
        xml_text(r.body(), "StartAfter").as_deref(),
        Some("notes/a.txt")
    );
}

#[test]
fn listing_in_pages() {
    let mut s = seeded();
    for key in ["a/1", "a/2", "b", "c/1", "c/2", "c/3", "d"] {
        put(&mut s, key, b"x");
    }
    for (query, expected) in [
        (
            "max-keys=2",
            vec![
                "a/1",
                "a/2",
                "b",
                "c/1",
                "c/2",
                "c/3",
                "d",
                DATA_FILE,
                "samples/dragons.csv",
                "samples/dragons.jsonl",
                "samples/dragons.parquet",
            ],
        ),
        (
            "max-keys=1&delimiter=%2F",
            vec!["a/", "b", "c/", "d", DATA_FILE, "samples/"],
        ),
        ("max-keys=3&delimiter=%2F&prefix=c", vec!["c/"]),
    ] {
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..20 {
            let mut q = format!("{B}?list-type=2&{query}");
            if let Some(t) = &token {
                q += &format!("&continuation-token={}", wyvern_aws::url::encode(t));
            }
            let r = s3(&mut s, "GET", &q, b"");
            assert_eq!(status(&r), 200);
            let (keys, prefixes) = listed(&r);
            let count = keys.len() + prefixes.len();
            assert_eq!(xml_text(r.body(), "KeyCount"), Some(count.to_string()));
            // S3 lists keys and prefixes apart; in one page they interleave in key order.
            let mut page: Vec<String> = keys.into_iter().chain(prefixes).collect();
            page.sort();
            seen.extend(page);
            token = xml_text(r.body(), "NextContinuationToken");
            assert_eq!(
                xml_text(r.body(), "IsTruncated").as_deref() == Some("true"),
                token.is_some()
            );
            if token.is_none() {
                break;
            }
        }
        assert_eq!(seen, expected, "{query}");
    }
    let r = s3(&mut s, "GET", &format!("{B}?list-type=2&max-keys=0"), b"");
    assert_eq!(listed(&r).0.len(), 0);
    assert_eq!(xml_text(r.body(), "IsTruncated").as_deref(), Some("false"));
}

#[test]
fn listing_refusals() {
    let mut s = seeded();
    for (query, argument) in [
        ("continuation-token=bm9wZQ%3D%3D", "continuation-token"),
        ("continuation-token=%%%", "continuation-token"),
        ("max-keys=-1", "max-keys"),
        ("max-keys=lots", "max-keys"),
        ("encoding-type=base64", "encoding-type"),
    ] {
        let r = s3(&mut s, "GET", &format!("{B}?list-type=2&{query}"), b"");
        assert_eq!(code(&r), (400, "InvalidArgument".into()), "{query}");
        assert_eq!(
            xml_text(r.body(), "ArgumentName").as_deref(),
            Some(argument)
        );
    }
    assert_eq!(
        code(&s3(&mut s, "GET", "/nope?list-type=2", b"")),
        (404, "NoSuchBucket".into())
    );
    assert_eq!(code(&s3(&mut s, "GET", B, b"")).1, "NotImplemented");
}

#[test]
fn objects_round_trip_with_their_headers() {
    let mut s = seeded();
    let req = s3_request(
        "PUT",
        &format!("{B}/notes/hello.txt"),
        &[
            ("content-type", "text/plain"),
            ("x-amz-meta-colour", "red"),
            ("x-amz-checksum-crc32", "DUoRhQ=="),
        ],
        b"hello world".to_vec(),
    );
    let r = s.handle(&req, now());
    assert_eq!(status(&r), 200);
    assert_eq!(r.headers()["etag"], "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"");
    assert_eq!(r.headers()["x-amz-checksum-crc32"], "DUoRhQ==");

    let r = s3(&mut s, "GET", &format!("{B}/notes/hello.txt"), b"");
    assert_eq!(
        (status(&r), r.body().as_slice()),
        (200, &b"hello world"[..])
    );
    assert_eq!(r.headers()["content-type"], "text/plain");
    assert_eq!(r.headers()["x-amz-meta-colour"], "red");
    assert_eq!(
        r.headers()["last-modified"],
        "Mon, 30 Nov 2026 18:00:00 GMT"
    );
    assert_eq!(r.headers()["accept-ranges"], "bytes");
    assert!(!r.headers().contains_key("x-amz-checksum-crc32"));
    let asked = s3_request(
        "GET",
        &format!("{B}/notes/hello.txt"),
        &[("x-amz-checksum-mode", "ENABLED")],
        Vec::new(),
    );
    assert_eq!(
        s.handle(&asked, now()).headers()["x-amz-checksum-crc32"],
        "DUoRhQ=="
    );

    let head = s3(&mut s, "HEAD", &format!("{B}/notes/hello.txt"), b"");
    assert_eq!(status(&head), 200);
    assert!(head.body().is_empty());
    assert_eq!(head.headers()["content-length"], "11");

    put(&mut s, "untyped", b"");
    let r = s3(&mut s, "GET", &format!("{B}/untyped"), b"");
    assert_eq!(r.headers()["content-type"], "binary/octet-stream");
    assert_eq!(r.headers()["etag"], "\"d41d8cd98f00b204e9800998ecf8427e\"");
}

#[test]
fn ranges() {
    let mut s = seeded();
    put(&mut s, "r", b"hello world");
    let get = |s: &mut Sandbox, range: &str| {
        let req = s3_request("GET", &format!("{B}/r"), &[("range", range)], Vec::new());
        s.handle(&req, now())
    };
    for (range, body, content_range) in [
        ("bytes=2-4", &b"llo"[..], "bytes 2-4/11"),
        ("bytes=6-", b"world", "bytes 6-10/11"),
        ("bytes=-5", b"world", "bytes 6-10/11"),
        ("bytes=0-100", b"hello world", "bytes 0-10/11"),
    ] {
        let r = get(&mut s, range);
        assert_eq!((status(&r), r.body().as_slice()), (206, body), "{range}");
        assert_eq!(r.headers()["content-range"], content_range);
    }
    let r = get(&mut s, "bytes=11-");
    assert_eq!(code(&r), (416, "InvalidRange".into()));
    assert_eq!(
        xml_text(r.body(), "ActualObjectSize").as_deref(),
        Some("11")
    );
    let r = get(&mut s, "bytes=4-2");
    assert_eq!((status(&r), r.body().len()), (200, 11));
}

#[test]
fn missing_things() {
    let mut s = seeded();
    let r = s3(&mut s, "GET", &format!("{B}/no/such.txt"), b"");
    assert_eq!(code(&r), (404, "NoSuchKey".into()));
    assert_eq!(xml_text(r.body(), "Key").as_deref(), Some("no/such.txt"));
    assert_eq!(
        xml_text(r.body(), "RequestId").unwrap(),
        r.headers()["x-amz-request-id"].to_str().unwrap()
    );
    let head = s3(&mut s, "HEAD", &format!("{B}/no/such.txt"), b"");
    assert_eq!(status(&head), 404);
    assert!(head.body().is_empty());
    let r = s3(&mut s, "GET", "/other-bucket/k", b"");
    assert_eq!(code(&r), (404, "NoSuchBucket".into()));
    assert_eq!(
        xml_text(r.body(), "BucketName").as_deref(),
        Some("other-bucket")
    );
    assert_eq!(
        code(&s3(&mut s, "PUT", "/other-bucket/k", b"x")).1,
        "NoSuchBucket"
    );
    assert_eq!(
        code(&s3(&mut s, "DELETE", "/other-bucket/k", b"")).1,
        "NoSuchBucket"
    );
}

#[test]
fn deleting_and_the_revision() {
    let mut s = seeded();
    assert_eq!(s.revision(), 0);
    put(&mut s, "gone.txt", b"soon gone");
    assert_eq!(s.revision(), 1);
    s3(&mut s, "GET", &format!("{B}/gone.txt"), b"");
    assert_eq!(s.revision(), 1);
    assert_eq!(
        status(&s3(&mut s, "DELETE", &format!("{B}/gone.txt"), b"")),
        204
    );
    assert_eq!(s.revision(), 2);
    assert_eq!(
        status(&s3(&mut s, "DELETE", &format!("{B}/gone.txt"), b"")),
        204
    );
    assert_eq!(s.revision(), 2);
    assert_eq!(
        code(&s3(&mut s, "GET", &format!("{B}/gone.txt"), b"")).1,
        "NoSuchKey"
    );
}

#[test]
fn puts_s3_refuses() {
    let mut s = seeded();
    let with = |headers: &[(&str, &str)], body: &[u8]| {
        s3_request("PUT", &format!("{B}/k"), headers, body.to_vec())
    };
    for (headers, expected) in [
        (
            vec![("content-md5", "XrY7u+Ae7tCTyyK7j1rNww==")],
            "BadDigest",
        ),
        (vec![("content-md5", "short")], "InvalidDigest"),
        (vec![("x-amz-checksum-crc32", "AAAAAA==")], "BadDigest"),
        (vec![("x-amz-copy-source", "/b/k")], "NotImplemented"),
    ] {
        let r = s.handle(&with(&headers, b"hello"), now());
        assert_eq!(code(&r).1, expected, "{headers:?}");
    }
    let right = with(
        &[("content-md5", "XrY7u+Ae7tCTyyK7j1rNww==")],
        b"hello world",
    );
    assert_eq!(status(&s.handle(&right, now())), 200);
    let long = "k".repeat(1025);
    assert_eq!(
        code(&s3(&mut s, "PUT", &format!("{B}/{long}"), b"")).1,
        "KeyTooLongError"
    );
    let value = "v".repeat(2100);
    let r = s.handle(&with(&[("x-amz-meta-big", &value)], b""), now());
    assert_eq!(code(&r).1, "MetadataTooLarge");
}

#[test]
fn storage_is_bounded() {
    let mut state = State::seed(now());
    let big = Object::new(
        vec![0; MAX_STORED_BYTES - state.s3.stored_bytes() - 10],
        "x",
        0,
    );
    state
        .s3
        .buckets
        .get_mut(DATA_BUCKET)
        .unwrap()
        .objects
        .insert("big".into(), big);
    let mut s = Sandbox::from_state(state);
    put(&mut s, "fits", &[1; 10]);
    let r = s3(&mut s, "PUT", &format!("{B}/overflows"), b"!");
    assert_eq!(code(&r), (400, "EntityTooLarge".into()));
    let r = s3(
        &mut s,
        "PUT",
        &format!("{B}/huge"),
        &vec![0; MAX_OBJECT_BYTES + 1],
    );
    assert_eq!(code(&r), (400, "EntityTooLarge".into()));
    assert_eq!(
        xml_text(r.body(), "MaxSizeAllowed"),
        Some(MAX_OBJECT_BYTES.to_string())
    );
    let head = s3_request("PUT", &format!("{B}/huge"), &[], Vec::new());
    assert_eq!(crate::body_limit(&head), MAX_OBJECT_BYTES);
    assert_eq!(
        code(&s.too_large(&head, 1 << 30, now())).1,
        "EntityTooLarge"
    );
    let get = s3_request("POST", &format!("{B}/k?select"), &[], Vec::new());
    assert_eq!(crate::body_limit(&get), crate::MAX_BODY_BYTES);
    assert_eq!(
        code(&s.too_large(&get, 1 << 30, now())).1,
        "MaxMessageLengthExceeded"
    );
}

#[test]
fn signatures_as_s3_checks_them() {
    let mut s = seeded();
    let path = format!("{B}/{DATA_FILE}");
    let unsigned = http::Request::builder()
        .uri(&path)
        .header("host", "127.0.0.1:5006")
        .body(Vec::new())
        .unwrap();
    let r = s.handle(&unsigned, now());
    assert_eq!(code(&r), (403, "AccessDenied".into()));
    assert_eq!(
        xml_text(r.body(), "Message").as_deref(),
        Some("Access Denied")
    );
    let unsigned = http::Request::builder()
        .uri("/nope/k")
        .header("host", "h")
        .body(Vec::new())
        .unwrap();
    assert_eq!(
        code(&s.handle(&unsigned, now())),
        (404, "NoSuchBucket".into())
    );
    let unsigned = http::Request::builder()
        .uri("/")
        .header("host", "h")
        .body(Vec::new())
        .unwrap();
    assert_eq!(
        code(&s.handle(&unsigned, now())),
        (403, "AccessDenied".into())
    );

    let wrong = Credentials::new(crate::PRACTICE_ACCESS_KEY_ID, "wrong", None);
    let r = s.handle(
        &s3_request_as("GET", &path, &[], Vec::new(), &wrong, now()),
        now(),
    );
    assert_eq!(code(&r), (403, "SignatureDoesNotMatch".into()));
    let other = Credentials::new("AKIAOTHER00000000000", "x", None);
    let r = s.handle(
        &s3_request_as("GET", &path, &[], Vec::new(), &other, now()),
        now(),
    );
    assert_eq!(code(&r), (403, "InvalidAccessKeyId".into()));
    assert_eq!(
        xml_text(r.body(), "AWSAccessKeyId").as_deref(),
        Some("AKIAOTHER00000000000")
    );
    let old = s3_request_as(
        "GET",
        &path,
        &[],
        Vec::new(),
        &crate::auth::practice_credentials(),
        now() - Duration::from_secs(20 * 60),
    );
    let r = s.handle(&old, now());
    assert_eq!(code(&r), (403, "RequestTimeTooSkewed".into()));
    assert_eq!(
        xml_text(r.body(), "MaxAllowedSkewMilliseconds").as_deref(),
        Some("900000")
    );

    let mut tampered = s3_request("PUT", &format!("{B}/t"), &[], b"signed".to_vec());
    *tampered.body_mut() = b"sent!!".to_vec();
    assert_eq!(
        code(&s.handle(&tampered, now())),
        (400, "XAmzContentSHA256Mismatch".into())
    );
    let mut unsigned_payload = s3_request("GET", &path, &[], Vec::new());
    unsigned_payload.headers_mut().insert(
        "x-amz-content-sha256",
        http::HeaderValue::from_static("UNSIGNED-PAYLOAD"),
    );
    assert_eq!(
        code(&s.handle(&unsigned_payload, now())),
        (501, "NotImplemented".into())
    );
    let mut changed_key = s3_request("GET", &path, &[], Vec::new());
    *changed_key.uri_mut() = format!("{B}/samples/dragons.csv").parse().unwrap();
    assert_eq!(
        code(&s.handle(&changed_key, now())),
        (403, "SignatureDoesNotMatch".into())
    );

    let owner = |id: &str| {
        s3_request(
            "GET",
            &path,
            &[("x-amz-expected-bucket-owner", id)],
            Vec::new(),
        )
    };
    assert_eq!(status(&s.handle(&owner(crate::ACCOUNT_ID), now())), 200);
    assert_eq!(
        code(&s.handle(&owner("111122223333"), now())),
        (403, "AccessDenied".into())
    );
}

#[test]
fn virtual_hosted_requests() {
    let mut s = seeded();
    for host in [
        "dragons-app-practice.s3.us-east-1.amazonaws.com",
        "dragons-app-practice.localhost:5006",
    ] {
        let url = format!("http://{host}/samples/dragons.csv");
        let req = signed(
            "GET",
            &url,
            &[],
            Vec::new(),
            &crate::auth::practice_credentials(),
            Service::S3,
            now(),
        );
        let r = s.handle(&req, now());
        assert_eq!(status(&r), 200, "{host}");
        assert!(r.body().starts_with(b"dragon_name_str,"));
    }
}

#[test]
fn what_the_practice_account_does_not_offer() {
    let mut s = seeded();
    for (method, path, expected) in [
        ("PUT", "/new-bucket", (501, "NotImplemented")),
        ("DELETE", B, (501, "NotImplemented")),
        ("GET", &format!("{B}?acl"), (501, "NotImplemented")),
        (
            "GET",
            &format!("{B}/{DATA_FILE}?tagging"),
            (501, "NotImplemented"),
        ),
        (
            "POST",
            &format!("{B}/{DATA_FILE}?restore"),
            (501, "NotImplemented"),
        ),
        ("GET", &format!("{B}?list-type=3"), (400, "InvalidArgument")),
        (
            "PATCH",
            &format!("{B}/{DATA_FILE}"),
            (405, "MethodNotAllowed"),
        ),
        ("POST", "/", (405, "MethodNotAllowed")),
    ] {
        let r = s3(&mut s, method, path, b"");
        assert_eq!(
            code(&r),
            (expected.0, expected.1.to_string()),
            "{method} {path}"
        );
    }
}

#[test]
fn objects_survive_a_snapshot() {
    let mut s = seeded();
    put(&mut s, "bytes.bin", &[0, 159, 146, 150, 255]);
    let snapshot = s.state().to_json();
    let mut restored = Sandbox::from_state(State::from_json(&snapshot).unwrap());
    for key in ["bytes.bin", DATA_FILE] {
        let a = s3(&mut s, "GET", &format!("{B}/{key}"), b"");
        let b = s3(&mut restored, "GET", &format!("{B}/{key}"), b"");
        assert_eq!(
            (a.body(), &a.headers()["etag"]),
            (b.body(), &b.headers()["etag"])
        );
    }
}

/// The events of a select answer, decoded as live mode decodes them.
fn events(r: &http::Response<Vec<u8>>) -> Result<Vec<SelectEvent>, StreamError> {
    let mut decoder = SelectStreamDecoder::new();
    let events = decoder.feed(r.body())?;
    decoder.finish()?;
    Ok(events)
}

fn records(events: &[SelectEvent]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            SelectEvent::Records(r) => Some(String::from_utf8_lossy(r).into_owned()),
            _ => None,
        })
        .collect()
}

fn select_body(sql: &str, input: &str, output: &str, extra: &str) -> Vec<u8> {
    format!(
        "<SelectObjectContentRequest xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Expression>{}</Expression><ExpressionType>SQL</ExpressionType><InputSerialization>{input}</InputSerialization><OutputSerialization>{output}</OutputSerialization>{extra}</SelectObjectContentRequest>",
        quick_xml::escape::escape(sql)
    )
    .into_bytes()
}

fn select(s: &mut Sandbox, key: &str, body: Vec<u8>) -> http::Response<Vec<u8>> {
    s3(s, "POST", &format!("{B}/{key}?select&select-type=2"), &body)
}

#[test]
fn select_over_csv_and_json() {
    let mut s = seeded();
    let body = select_body(
        "SELECT s.dragon_name_str FROM S3Object s WHERE s.family_str = 'red' LIMIT 2",
        "<CSV><FileHeaderInfo>USE</FileHeaderInfo></CSV>",
        "<CSV/>",
        "",
    );
    let r = select(&mut s, "samples/dragons.csv", body);
    assert_eq!(status(&r), 200);
    let events = events(&r).unwrap();
    assert_eq!(records(&events), "Atlas\nHydra\n");
    let Some(SelectEvent::Stats(stats)) =
        events.iter().find(|e| matches!(e, SelectEvent::Stats(_)))
    else {
        panic!("no Stats")
    };
    assert_eq!(stats.bytes_returned, 12);
    assert_eq!(events.last(), Some(&SelectEvent::End));

    // The course's query: the whole data file, one JSON record a line.
    let body = select_body(
        "select * from s3object[*][*] s",
        "<JSON><Type>Document</Type></JSON>",
        "<JSON/>",
        "",
    );
    let text = records(&events_of(select(&mut s, DATA_FILE, body)));
    let data: Vec<serde_json::Value> =
        serde_json::from_slice(crate::s3::seed::OBJECTS[0].1).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines, data);
}

fn events_of(r: http::Response<Vec<u8>>) -> Vec<SelectEvent> {
    assert_eq!(status(&r), 200, "{}", String::from_utf8_lossy(r.body()));
    events(&r).unwrap()
}

/// A gzip member holding `data` in one stored (uncompressed) deflate block.
fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let len = u16::try_from(data.len()).unwrap();
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 1];
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32fast::hash(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

#[test]
fn select_over_gzip_and_with_a_scan_range() {
    let mut s = seeded();
    put(&mut s, "n.csv.gz", &gzip_stored(b"a,b\n1,2\n3,4\n"));
    let body = select_body(
        "SELECT SUM(CAST(s.b AS INT)) FROM S3Object s",
        "<CSV><FileHeaderInfo>USE</FileHeaderInfo></CSV><CompressionType>GZIP</CompressionType>",
        "<JSON/>",
        "",
    );
    assert_eq!(
        records(&events_of(select(&mut s, "n.csv.gz", body))),
        "{\"_1\":6}\n"
    );
    put(&mut s, "n.csv", b"1\n2\n3\n");
    let body = select_body(
        "SELECT s._1 FROM S3Object s",
        "<CSV/>",
        "<CSV/>",
        "<ScanRange><End>2</End></ScanRange>",
    );
    assert_eq!(records(&events_of(select(&mut s, "n.csv", body))), "3\n");
}

/// The practice worker's build: its engine has no Parquet reader, so S3 Select says so with
/// the code live mode falls back on (the page then reads the object by ranged GETs).
#[cfg(not(feature = "parquet"))]
#[test]
fn a_parquet_select_is_not_implemented_here_and_the_object_is_seeded() {
    let mut s = seeded();
    let body = select_body("SELECT COUNT(*) FROM S3Object", "<Parquet/>", "<CSV/>", "");
    let r = select(&mut s, "samples/dragons.parquet", body);
    assert_eq!(code(&r), (501, "NotImplemented".into()));
    assert!(xml_text(r.body(), "Message")
        .unwrap()
        .contains("read by the engine in your browser"));
    // A ranged GET of its footer, as the page's engine reads it.
    let req = s3_request(
        "GET",
        &format!("{B}/samples/dragons.parquet"),
        &[("range", "bytes=-8")],
        Vec::new(),
    );
    let r = s.handle(&req, now());
    assert_eq!(status(&r), 206);
    assert_eq!(&r.body()[4..], b"PAR1");
}

#[test]
fn select_errors_as_s3_sends_them() {
    let mut s = seeded();
    let body = select_body("SELECT FROM", "<CSV/>", "<CSV/>", "");
    let r = select(&mut s, "samples/dragons.csv", body);
    assert_eq!(status(&r), 400);
    assert!(xml_text(r.body(), "Code").unwrap().starts_with("Parse"));
    let r = select(&mut s, "samples/dragons.csv", b"<not-xml".to_vec());
    assert_eq!(code(&r), (400, "MalformedXML".into()));
    let body = select_body("SELECT * FROM S3Object", "<CSV/>", "<CSV/>", "");
    assert_eq!(
        code(&select(&mut s, "no-such-key", body)),
        (404, "NoSuchKey".into())
    );
    // Records went out before the failure: HTTP 200, and the stream ends in the error.
    put(&mut s, "bad.csv", b"1\n2\nthree\n");
    let body = select_body(
        "SELECT CAST(s._1 AS INT) FROM S3Object s",
        "<CSV/>",
        "<CSV/>",
        "",
    );
    let r = select(&mut s, "bad.csv", body);
    assert_eq!(status(&r), 200);
    let mut decoder = SelectStreamDecoder::new();
    assert!(
        matches!(decoder.feed(r.body()), Err(StreamError::Service { code, .. }) if code == "CastFailed")
    );
    // Failing before any record: an HTTP error, as the emulator answers.
    let body = select_body(
        "SELECT CAST(s._1 AS INT) FROM S3Object s",
        "<CSV/>",
        "<CSV/>",
        "",
    );
    put(&mut s, "worse.csv", b"three\n");
    assert_eq!(
        code(&select(&mut s, "worse.csv", body)),
        (400, "CastFailed".into())
    );
    let body = select_body(
        "SELECT * FROM S3Object",
        "<JSON><Type>DOCUMENT</Type></JSON>",
        "<CSV/>",
        "<ScanRange><Start>1</Start></ScanRange>",
    );
    assert_eq!(
        code(&select(&mut s, DATA_FILE, body)).1,
        "UnsupportedScanRangeInput"
    );
}

/// Whatever the path, query, headers and body, an S3 request gets an answer, never a panic.
#[test]
fn arbitrary_requests_never_panic() {
    let mut s = seeded();
    let paths = [
        "/",
        B,
        "/%",
        "/%FF",
        "/a/%C3",
        "//",
        "/dragons-app-practice/",
        "/dragons-app-practice//x",
        "/dragons-app-practice/dragon_stats_one.json",
        "/dragons-app-practice/samples/dragons.csv",
    ];
    let queries = [
        "",
        "?",
        "?select",
        "?select&select-type=2",
        "?list-type=2&max-keys=99999999999999999999",
        "?list-type=2&continuation-token=",
        "?list-type=2&delimiter=&prefix=%",
        "?list-type=2&start-after=%F0%9F%90%89",
        "?list-type=2&delimiter=s&prefix=s",
        "?=&&=",
        "?acl&list-type=2",
    ];
    let ranges = [
        "bytes=0-",
        "bytes=-",
        "bytes=--1",
        "bytes=9999999999999999999999-1",
        "bytes=1-0",
        "bytes=3",
    ];
    let bodies: [&[u8]; 4] = [
        b"",
        b"<SelectObjectContentRequest/>",
        b"\xff\xfe",
        b"<a><b></a>",
    ];
    let methods = ["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"];
    let mut seed = 7u64;
    for _ in 0..1500 {
        let mut pick = |n: usize| {
            seed = crate::reply::splitmix64(seed);
            (seed % n as u64) as usize
        };
        let uri = format!(
            "{}{}",
            paths[pick(paths.len())],
            queries[pick(queries.len())]
        );
        let method = methods[pick(methods.len())];
        let range = ranges[pick(ranges.len())];
        let body = bodies[pick(bodies.len())];
        let Ok(req) = Request::new(method, &format!("http://127.0.0.1:5006{uri}"))
            .and_then(|r| r.header("host", "127.0.0.1:5006"))
            .and_then(|r| r.header("range", range))
        else {
            continue;
        };
        let mut req = req.body(body.to_vec());
        let credentials = crate::auth::practice_credentials();
        let overrides = wyvern_aws::signing::Overrides::default();
        if wyvern_aws::signing::sign_request(
            &mut req,
            &credentials,
            "us-east-1",
            Service::S3,
            now(),
            overrides,
        )
        .is_err()
        {
            continue;
        }
        let r = s.handle(&req.into_http().expect("signed requests convert"), now());
        assert!(r.status().as_u16() >= 200, "{method} {uri}");
    }
}
