//! `dyad serve` as a process on a real socket: the server codes a text exactly as
//! `dyad code` does (same pipeline), and serves the store's article with its records.

use assert_cmd::Command;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};

const EXAMPLE: &str = "../../examples/asean-beijing.txt";
const DATE: &str = "2026-11-20";

/// The server process, ended when the test ends, failed assertions included.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `dyad serve` on a free port; returns the process and its address.
fn serve(db: &std::path::Path) -> (Server, String) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dyad"))
        .args(["serve", "--db"])
        .arg(db)
        .args(["--addr", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    (Server(child), addr)
}

/// One HTTP/1.1 exchange; returns the status and the JSON body.
fn http(addr: &str, method: &str, path: &str, body: &str) -> (u16, Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let (head, payload) = answer.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(payload).unwrap())
}

/// A record without the fields that name the article (`pasted` in the server).
fn contents(mut record: Value) -> Value {
    let o = record.as_object_mut().unwrap();
    for k in ["id", "article_id", "event_id"] {
        o.remove(k);
    }
    record
}

/// The contents of each event of a response.
fn event_contents(response: &Value) -> Vec<Value> {
    response["events"]
        .as_array()
        .unwrap()
        .iter()
        .cloned()
        .map(contents)
        .collect()
}

#[test]
fn the_server_codes_as_dyad_code_and_serves_the_stored_article() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("events.db");
    Command::cargo_bin("dyad")
        .unwrap()
        .args(["ingest", "-q", "--date", DATE, "--db"])
        .arg(&db)
        .arg(EXAMPLE)
        .assert()
        .success();
    let out = Command::cargo_bin("dyad")
        .unwrap()
        .args(["code", "--date", DATE, EXAMPLE])
        .output()
        .unwrap();
    let cli: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| contents(serde_json::from_str(l).unwrap()))
        .collect();
    assert!(!cli.is_empty());

    let (_server, addr) = serve(&db);
    let text = std::fs::read_to_string(EXAMPLE).unwrap();
    let body = serde_json::json!({"text": text, "date": DATE}).to_string();
    let (status, coded) = http(&addr, "POST", "/api/code", &body);
    assert_eq!(status, 200);
    assert_eq!(event_contents(&coded), cli);
    let (status, article) = http(&addr, "GET", "/api/articles/asean-beijing", "");
    assert_eq!(status, 200);
    assert_eq!(event_contents(&article), cli);
    let (status, err) = http(&addr, "GET", "/api/events?quad=7", "");
    assert_eq!((status, err["status"].as_u64()), (400, Some(400)));
}
