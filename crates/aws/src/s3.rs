//! S3 object calls beside Select: GetObject (optionally a byte range), HeadObject and
//! ListObjectsV2, and the fallback that answers a Select query locally from GetObject bytes.

use quick_xml::events::Event;
use quick_xml::Reader;

/// `/bucket/key` with each key segment percent-encoded once (path-style addressing).
pub fn object_path(bucket: &str, key: &str) -> String {
    let mut path = format!("/{}", crate::url::encode(bucket));
    for segment in key.split('/') {
        path.push('/');
        path.push_str(&crate::url::encode(segment));
    }
    path
}

/// The `Range` header value for bytes `start..=end`.
pub fn range_header(start: u64, end: Option<u64>) -> String {
    match end {
        Some(e) => format!("bytes={start}-{e}"),
        None => format!("bytes={start}-"),
    }
}

/// The `Range` header value for the object's last `n` bytes (a suffix range: the answer's
/// `Content-Range` tells the whole size).
pub fn last_bytes_header(n: u64) -> String {
    format!("bytes=-{n}")
}

/// `/bucket?list-type=2&prefix=…&continuation-token=…`, values percent-encoded as the SDKs send
/// them (`/` as `%2F`).
pub fn list_objects_path(bucket: &str, prefix: &str, continuation: Option<&str>) -> String {
    let mut q = format!("/{}?list-type=2", crate::url::encode(bucket));
    if !prefix.is_empty() {
        q += &format!("&prefix={}", crate::url::encode(prefix));
    }
    if let Some(c) = continuation {
        q += &format!("&continuation-token={}", crate::url::encode(c));
    }
    q
}

/// One folder of a bucket: [`list_objects_path`] with `delimiter=/`, so the answer holds the
/// objects directly under `prefix` and the next level's folders as common prefixes.
pub fn list_folder_path(bucket: &str, prefix: &str, continuation: Option<&str>) -> String {
    list_objects_path(bucket, prefix, continuation) + "&delimiter=%2F"
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectEntry {
    pub key: String,
    pub size: u64,
    pub last_modified: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Listing {
    pub objects: Vec<ObjectEntry>,
    /// Common prefixes (with a delimiter): the folders one level down, each ending in it.
    pub folders: Vec<String>,
    pub next_continuation_token: Option<String>,
}

/// Reads a ListObjectsV2 answer.
pub fn parse_list_objects(body: &[u8]) -> Listing {
    let mut reader = Reader::from_reader(body);
    let mut buf = Vec::new();
    let mut listing = Listing::default();
    let mut path: Vec<Vec<u8>> = Vec::new();
    let mut entry: Option<ObjectEntry> = None;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                if e.name().as_ref() == b"Contents" {
                    entry = Some(ObjectEntry {
                        key: String::new(),
                        size: 0,
                        last_modified: String::new(),
                    });
                }
                path.push(e.name().as_ref().to_vec());
            }
            Ok(Event::End(e)) => {
                if e.name().as_ref() == b"Contents" {
                    listing.objects.extend(entry.take());
                }
                path.pop();
            }
            Ok(Event::Text(t)) => {
                let text = t.unescape().map(|s| s.into_owned()).unwrap_or_default();
                let in_common_prefixes =
                    matches!(path.as_slice(), [.., parent, _] if parent == b"CommonPrefixes");
                match (path.last().map(Vec::as_slice), entry.as_mut()) {
                    (Some(b"Key"), Some(e)) => e.key = text,
                    (Some(b"Size"), Some(e)) => e.size = text.trim().parse().unwrap_or(0),
                    (Some(b"LastModified"), Some(e)) => e.last_modified = text,
                    (Some(b"NextContinuationToken"), None) => {
                        listing.next_continuation_token = Some(text)
                    }
                    (Some(b"Prefix"), None) if in_common_prefixes => listing.folders.push(text),
                    _ => {}
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    listing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_ranges() {
        assert_eq!(object_path("b", "a b/c+d.json"), "/b/a%20b/c%2Bd.json");
        assert_eq!(range_header(0, Some(99)), "bytes=0-99");
        assert_eq!(range_header(100, None), "bytes=100-");
        assert_eq!(last_bytes_header(65536), "bytes=-65536");
        assert_eq!(
            list_objects_path("b", "samples/", Some("t/1")),
            "/b?list-type=2&prefix=samples%2F&continuation-token=t%2F1"
        );
        assert_eq!(
            list_folder_path("b", "", None),
            "/b?list-type=2&delimiter=%2F"
        );
    }

    #[test]
    fn reads_a_listing() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult><Name>b</Name><Contents><Key>a &amp; b.json</Key><LastModified>2026-11-23T10:00:00.000Z</LastModified><Size>42</Size></Contents><Contents><Key>c.csv</Key><Size>7</Size></Contents><NextContinuationToken>tok</NextContinuationToken></ListBucketResult>"#;
        let l = parse_list_objects(xml);
        assert_eq!(l.objects.len(), 2);
        assert_eq!(
            (l.objects[0].key.as_str(), l.objects[0].size),
            ("a & b.json", 42)
        );
        assert_eq!(l.next_continuation_token.as_deref(), Some("tok"));
        assert!(l.folders.is_empty());
    }

    #[test]
    fn reads_the_folders_of_a_folder_listing() {
        let xml = br#"<ListBucketResult><Name>b</Name><Prefix>notes/</Prefix><Delimiter>/</Delimiter><Contents><Key>notes/a.csv</Key><Size>3</Size></Contents><CommonPrefixes><Prefix>notes/2026/</Prefix></CommonPrefixes><CommonPrefixes><Prefix>notes/old &amp; new/</Prefix></CommonPrefixes></ListBucketResult>"#;
        let l = parse_list_objects(xml);
        assert_eq!(l.folders, ["notes/2026/", "notes/old & new/"]);
        let keys: Vec<_> = l.objects.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(keys, ["notes/a.csv"]);
    }
}
