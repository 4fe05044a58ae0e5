//! `lifecircle serve`: serves the viewer and the user's files on 127.0.0.1, nothing else.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use common::{data, lifecircle, repo_root, temp_dir, texts, write};

fn get(addr: &str, path: &str) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    (head, response[split + 4..].to_vec())
}

#[test]
fn serves_the_viewer_and_the_named_files_only() {
    let viewer = temp_dir();
    write(
        viewer.path(),
        "index.html",
        b"<!doctype html><title>viewer</title>",
    );
    std::fs::create_dir_all(viewer.path().join("assets")).unwrap();
    write(viewer.path(), "assets/pkg.wasm", b"\0asm");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lifecircle"))
        .current_dir(repo_root())
        .args(["serve", "--viewer"])
        .arg(viewer.path())
        .args([
            "--roads",
            "data/monaco.osm.pbf",
            "--centers-osm",
            "amenity=library",
            "--demand-osm",
            "building",
            "--port",
            "0",
            "--max-requests",
            "5",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut first).unwrap();
    let url = first
        .trim()
        .strip_prefix("lifecircle viewer: http://")
        .unwrap();
    let (addr, query) = url.split_once('/').unwrap();
    assert_eq!(
        query,
        "?roads=data/monaco.osm.pbf&centers=data/monaco.osm.pbf&centersFilter=amenity%3Dlibrary&demand=data/monaco.osm.pbf&demandFilter=building"
    );

    let (head, body) = get(addr, &format!("/{query}"));
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("text/html"), "{head}");
    assert_eq!(body, b"<!doctype html><title>viewer</title>");
    let (head, body) = get(addr, "/data/monaco.osm.pbf");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(body, std::fs::read(data("monaco.osm.pbf")).unwrap());
    let (head, _) = get(addr, "/assets/pkg.wasm");
    assert!(head.contains("application/wasm"), "{head}");
    let (head, _) = get(addr, "/../Cargo.toml");
    assert!(head.starts_with("HTTP/1.1 404"), "{head}");
    let (head, _) = get(addr, "/data/isle_of_man.osm.pbf");
    assert!(head.starts_with("HTTP/1.1 404"), "{head}");
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_missing_viewer_or_input_is_a_clear_error() {
    let empty = temp_dir();
    let out = lifecircle(&["serve", "--viewer", empty.path().to_str().unwrap()]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("no built viewer here"), "{stderr}");

    let viewer = temp_dir();
    write(viewer.path(), "index.html", b"<html>");
    let dir = viewer.path().to_str().unwrap();
    let out = lifecircle(&["serve", "--viewer", dir, "--roads", "missing.geojson"]);
    let (_, stderr) = texts(&out);
    assert!(stderr.contains("missing.geojson: no such file"), "{stderr}");
    let roads = data("monaco.osm.pbf");
    let out = lifecircle(&["serve", "--viewer", dir, "--roads", roads.to_str().unwrap()]);
    let (_, stderr) = texts(&out);
    assert!(
        stderr.contains("--centers FILE or --centers-osm"),
        "{stderr}"
    );
}
