//! The `wyvern-sandbox` binary end to end: signed requests over TCP (one with a chunked body),
//! and the account saved to `--state` after a change.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::SystemTime;
use wyvern_aws::credentials::Credentials;
use wyvern_aws::request::{json11, Endpoint};
use wyvern_aws::signing::Service;
use wyvern_sandbox::{PRACTICE_ACCESS_KEY_ID, PRACTICE_SECRET_ACCESS_KEY};

struct Server {
    child: Child,
    origin: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(state: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wyvern-sandbox"))
        .args(["--port", "0", "--state"])
        .arg(state)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let origin = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .expect("the first line names the endpoint")
        .to_string();
    Server { child, origin }
}

/// Sends a signed SSM call, with a chunked body if asked; the status and JSON answer.
fn send(server: &Server, operation: &str, body: Value, chunked: bool) -> (u16, Value) {
    let endpoint = Endpoint {
        region: "us-east-1".into(),
        custom: Some(server.origin.clone()),
    };
    let credentials = Credentials::new(PRACTICE_ACCESS_KEY_ID, PRACTICE_SECRET_ACCESS_KEY, None);
    let req = json11(
        &endpoint,
        Service::Ssm,
        &format!("AmazonSSM.{operation}"),
        &body,
        Some(&credentials),
        SystemTime::now(),
    )
    .unwrap();
    let mut wire = b"POST / HTTP/1.1\r\n".to_vec();
    for (name, value) in &req.headers {
        wire.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    let payload = &req.body;
    if chunked {
        let (a, b) = payload.split_at(payload.len() / 2);
        wire.extend_from_slice(b"transfer-encoding: chunked\r\n\r\n");
        for part in [a, b] {
            wire.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
            wire.extend_from_slice(part);
            wire.extend_from_slice(b"\r\n");
        }
        wire.extend_from_slice(b"0\r\n\r\n");
    } else {
        wire.extend_from_slice(format!("content-length: {}\r\n\r\n", payload.len()).as_bytes());
        wire.extend_from_slice(payload);
    }
    let address = server.origin.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    stream.write_all(&wire).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("");
    (status, serde_json::from_str(body).unwrap())
}

#[test]
fn serves_signed_calls_and_saves_the_account() {
    let dir = std::env::temp_dir().join(format!("wyvern-sandbox-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("account.json");
    let _ = std::fs::remove_file(&state);
    {
        let server = start(&state);
        let put = json!({"Name": "/bin/colour", "Value": "red", "Type": "String"});
        assert_eq!(
            send(&server, "PutParameter", put, true),
            (200, json!({"Version": 1, "Tier": "Standard"}))
        );
        let (status, got) = send(
            &server,
            "GetParameter",
            json!({"Name": "/bin/colour"}),
            false,
        );
        assert_eq!(
            (status, got["Parameter"]["Value"].as_str()),
            (200, Some("red"))
        );
        let (status, seeded) = send(
            &server,
            "GetParameter",
            json!({"Name": "dragon_data_file_name"}),
            false,
        );
        assert_eq!(
            (status, seeded["Parameter"]["Value"].as_str()),
            (200, Some("dragon_stats_one.json"))
        );
    }
    let saved = std::fs::read_to_string(&state).expect("the account was saved");
    assert!(saved.contains("/bin/colour"));
    // A restart reads the account back.
    let server = start(&state);
    let (status, got) = send(
        &server,
        "GetParameter",
        json!({"Name": "/bin/colour"}),
        false,
    );
    assert_eq!(
        (status, got["Parameter"]["Version"].as_i64()),
        (200, Some(1))
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
