//! `wyvern-sandbox [--port N] [--state FILE]`: the practice AWS account over HTTP on
//! 127.0.0.1, for the AWS CLI, boto3 and tests: Parameter Store, S3 (path-style, or
//! `bucket.localhost`) and the Dragon API at `/prod/dragons`, all on one port. One request at a
//! time; with `--state`, the account is loaded from FILE (if present) and saved there after
//! every change.

mod wire;

use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};
use wire::{Incoming, WireError};
use wyvern_sandbox::{Sandbox, State, PRACTICE_ACCESS_KEY_ID, PRACTICE_SECRET_ACCESS_KEY};

const DEFAULT_PORT: u16 = 5006;
const USAGE: &str = "usage: wyvern-sandbox [--port N] [--state FILE]
  --port N      listen on 127.0.0.1:N (default 5006; 0 picks a free port)
  --state FILE  load the account from FILE if it exists, and save it there after every change";

struct Options {
    port: u16,
    state: Option<PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut opts = Options {
        port: DEFAULT_PORT,
        state: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                let value = args.next().ok_or("--port needs a number")?;
                opts.port = value
                    .parse()
                    .map_err(|_| format!("--port {value}: not a port number"))?;
            }
            "--state" => opts.state = Some(args.next().ok_or("--state needs a file")?.into()),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(opts)
}

fn load(path: Option<&Path>) -> Result<State, String> {
    match path {
        Some(p) if p.exists() => {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            State::from_json(&text).map_err(|e| format!("{}: {e}", p.display()))
        }
        _ => Ok(State::seed(SystemTime::now())),
    }
}

/// Writes the snapshot beside the file, then renames it over: a reader never sees half of one.
fn save(path: &Path, state: &State) -> std::io::Result<()> {
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, state.to_json())?;
    std::fs::rename(&temporary, path)
}

fn serve(sandbox: &mut Sandbox, stream: TcpStream) -> Result<(), WireError> {
    // A client that stops mid-request must not hold the (single) line forever.
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let mut out = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let response = match wire::read_request(&mut reader, &mut out, wyvern_sandbox::body_limit) {
        Ok(Incoming::Request(req)) => sandbox.handle(&req, SystemTime::now()),
        Ok(Incoming::TooLarge(head, n)) => sandbox.too_large(&head, n, SystemTime::now()),
        Err(WireError::Malformed(what)) => {
            let body = format!("malformed request: {what}");
            let text = format!("HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
            out.write_all(text.as_bytes())?;
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    wire::write_response(&mut out, &response)?;
    Ok(())
}

fn main() -> ExitCode {
    let opts = match options() {
        Ok(o) => o,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("wyvern-sandbox: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let state = match load(opts.state.as_deref()) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("wyvern-sandbox: {message}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match TcpListener::bind(("127.0.0.1", opts.port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "wyvern-sandbox: cannot listen on 127.0.0.1:{}: {e}",
                opts.port
            );
            return ExitCode::FAILURE;
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(opts.port);
    // Written once, and a closed stdout (`| head -1`) is no reason to stop serving.
    let banner = format!(
        "Wyvern practice account on http://127.0.0.1:{port}
  Parameter Store (SSM), any region; the class's parameters are in us-east-1
  S3 (path-style), the class's bucket {bucket} with S3 Select
  the Dragon API at http://127.0.0.1:{port}{dragons} (SigV4 for execute-api)
  access key id:     {PRACTICE_ACCESS_KEY_ID}
  secret access key: {PRACTICE_SECRET_ACCESS_KEY}
  (public practice keys: they work here and nowhere else)
  try: aws --endpoint-url http://127.0.0.1:{port} ssm get-parameter --name dragon_data_bucket_name
       aws --endpoint-url http://127.0.0.1:{port} s3 ls s3://{bucket}/
",
        bucket = wyvern_sandbox::state::DATA_BUCKET,
        dragons = wyvern_sandbox::dragons::PATH,
    );
    let mut stdout = std::io::stdout();
    let _ = stdout
        .write_all(banner.as_bytes())
        .and_then(|()| stdout.flush());

    let mut sandbox = Sandbox::from_state(state);
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let before = sandbox.revision();
        if let Err(e) = serve(&mut sandbox, stream) {
            eprintln!("wyvern-sandbox: {e}");
        }
        if let Some(path) = &opts.state {
            if sandbox.revision() != before {
                if let Err(e) = save(path, sandbox.state()) {
                    eprintln!("wyvern-sandbox: cannot save {}: {e}", path.display());
                }
            }
        }
    }
    ExitCode::SUCCESS
}
