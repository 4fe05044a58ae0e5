//! `lifecircle serve`: serves the viewer and the user's files on 127.0.0.1, nothing else,
//! to many clients at once, whatever some of them send.

mod common;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use common::{data, lifecircle, repo_root, temp_dir, texts, write};

/// A running `lifecircle serve`, killed when dropped.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    addr: String,
    /// What follows the address in the printed viewer URL (`/?roads=…`).
    start: String,
}

impl Server {
    fn start(viewer: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lifecircle"))
            .current_dir(repo_root())
            .args(["serve", "--viewer"])
            .arg(viewer)
            .args(["--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let url = first
            .trim()
            .strip_prefix("lifecircle viewer: http://")
            .unwrap_or_else(|| panic!("no viewer URL in {first:?}"));
        let (addr, query) = url.split_once('/').unwrap();
        Server {
            addr: addr.to_string(),
            start: format!("/{query}"),
            child,
        }
    }

    fn port(&self) -> u16 {
        self.addr.rsplit_once(':').unwrap().1.parse().unwrap()
    }

    /// Waits (at most 30 s) for the server to stop by itself.
    fn wait(&mut self) -> ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not stop");
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Peak resident memory of the server process, KiB (Linux).
    #[cfg(target_os = "linux")]
    fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn connect(addr: &str) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
}

/// Sends `raw` and reads until the server closes the connection.
fn exchange(addr: &str, raw: &[u8]) -> Vec<u8> {
    let mut stream = connect(addr);
    stream.write_all(raw).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    response
}

/// Head (as text) and body of a response.
fn split(response: &[u8]) -> (String, Vec<u8>) {
    let end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| {
            panic!(
                "no response head in {:?}",
                String::from_utf8_lossy(response)
            )
        });
    let head = String::from_utf8_lossy(&response[..end]).to_string();
    (head, response[end + 4..].to_vec())
}

fn status(head: &str) -> u16 {
    head.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The value of a response header, by case-insensitive name.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// `GET path` as a well-behaved client sends it; the answer's head and body.
fn get(addr: &str, path: &str) -> (String, Vec<u8>) {
    request(addr, "GET", path)
}

fn request(addr: &str, method: &str, path: &str) -> (String, Vec<u8>) {
    let raw = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    split(&exchange(addr, raw.as_bytes()))
}

/// Decodes a query value as the viewer's `URLSearchParams` does.
fn query_value(start: &str, key: &str) -> String {
    let query = start.split_once('?').unwrap().1;
    let raw = query
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{key}=")))
        .unwrap();
    let mut out = Vec::new();
    let mut bytes = raw.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'%' => {
                let hex = [bytes.next().unwrap(), bytes.next().unwrap()];
                out.push(u8::from_str_radix(std::str::from_utf8(&hex).unwrap(), 16).unwrap());
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
    }
    String::from_utf8(out).unwrap()
}

/// A viewer folder with an index page.
fn viewer() -> tempfile::TempDir {
    let viewer = temp_dir();
    write(
        viewer.path(),
        "index.html",
        b"<!doctype html><title>viewer</title>",
    );
    viewer
}

#[test]
fn serves_the_viewer_and_the_named_files_only() {
    let viewer = viewer();
    std::fs::create_dir_all(viewer.path().join("assets")).unwrap();
    write(viewer.path(), "assets/pkg.wasm", b"\0asm");
    // The built viewer brings its sample under data/.
    std::fs::create_dir_all(viewer.path().join("data")).unwrap();
    write(viewer.path(), "data/sample.osm.pbf", b"sample");
    let mut server = Server::start(
        viewer.path(),
        &[
            "--roads",
            "data/monaco.osm.pbf",
            "--centers-osm",
            "amenity=library",
            "--demand-osm",
            "building",
            "--max-requests",
            "8",
        ],
    );
    assert_eq!(
        server.start,
        "/?roads=data/monaco.osm.pbf&centers=data/monaco.osm.pbf&centersFilter=amenity%3Dlibrary&demand=data/monaco.osm.pbf&demandFilter=building"
    );
    let addr = server.addr.clone();

    let (head, body) = get(&addr, &server.start);
    assert_eq!(status(&head), 200, "{head}");
    assert_eq!(
        header(&head, "content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(header(&head, "cache-control"), Some("no-cache"));
    assert_eq!(body, b"<!doctype html><title>viewer</title>");
    let (head, body) = get(&addr, "/data/monaco.osm.pbf");
    assert_eq!(status(&head), 200, "{head}");
    assert_eq!(body, std::fs::read(data("monaco.osm.pbf")).unwrap());
    let (head, _) = get(&addr, "/assets/pkg.wasm");
    assert_eq!(header(&head, "content-type"), Some("application/wasm"));
    // HEAD: the same head, no body.
    let (head, body) = request(&addr, "HEAD", "/assets/pkg.wasm");
    assert_eq!(status(&head), 200, "{head}");
    assert_eq!(header(&head, "content-length"), Some("4"));
    assert!(body.is_empty());
    let (head, _) = get(&addr, "/../Cargo.toml");
    assert_eq!(status(&head), 404, "{head}");
    // Only the named files under data/, not their neighbours, besides the viewer's own.
    let (head, _) = get(&addr, "/data/isle_of_man.osm.pbf");
    assert_eq!(status(&head), 404, "{head}");
    let (head, body) = get(&addr, "/data/sample.osm.pbf");
    assert_eq!(status(&head), 200, "{head}");
    assert_eq!(body, b"sample");
    let (head, _) = request(&addr, "POST", "/");
    assert_eq!(status(&head), 405, "{head}");
    assert!(server.wait().success());
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
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("missing.geojson: no such file"), "{stderr}");
    let roads = data("monaco.osm.pbf");
    let out = lifecircle(&["serve", "--viewer", dir, "--roads", roads.to_str().unwrap()]);
    let (_, stderr) = texts(&out);
    assert!(
        stderr.contains("--centers FILE or --centers-osm"),
        "{stderr}"
    );

    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = lifecircle(&["serve", "--viewer", dir, "--port", &port]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
}

/// Before: one connection at a time without timeouts, so one client that connected and
/// sent nothing (or sent slowly) froze the server for everyone.
#[test]
fn serve_answers_others_while_a_client_is_idle() {
    let viewer = viewer();
    let big: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    write(viewer.path(), "big.bin", &big);
    let server = Server::start(viewer.path(), &[]);
    let addr = server.addr.clone();

    // Connected, nothing sent.
    let idle: Vec<TcpStream> = (0..8).map(|_| connect(&addr)).collect();
    // A request sent one byte every 200 ms: slower than the server's header timeout.
    let slow: Vec<_> = (0..8)
        .map(|_| {
            let addr = addr.clone();
            thread::spawn(move || {
                let mut stream = connect(&addr);
                let raw = format!("GET /index.html HTTP/1.1\r\nHost: {addr}\r\n\r\n");
                let started = Instant::now();
                for b in raw.bytes() {
                    if stream.write_all(&[b]).is_err() {
                        return Some(started.elapsed());
                    }
                    thread::sleep(Duration::from_millis(200));
                }
                // Sent whole: the server must not have answered it but closed.
                let mut rest = Vec::new();
                let closed = stream.read_to_end(&mut rest).is_ok_and(|_| rest.is_empty());
                closed.then(|| started.elapsed())
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(300));

    let clients = 200;
    let barrier = Arc::new(Barrier::new(clients));
    let started = Instant::now();
    let normal: Vec<_> = (0..clients)
        .map(|i| {
            let (addr, barrier) = (addr.clone(), barrier.clone());
            thread::spawn(move || {
                barrier.wait();
                let path = if i % 2 == 0 { "/big.bin" } else { "/" };
                let (head, body) = get(&addr, path);
                (i, status(&head), body)
            })
        })
        .collect();
    for client in normal {
        let (i, status, body) = client.join().unwrap();
        assert_eq!(status, 200, "client {i}");
        if i % 2 == 0 {
            assert!(body == big, "client {i}: {} bytes", body.len());
        } else {
            assert_eq!(body, b"<!doctype html><title>viewer</title>", "client {i}");
        }
    }
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");

    // The server drops the idle and the slow connections by itself.
    for mut stream in idle {
        let mut rest = Vec::new();
        match stream.read_to_end(&mut rest) {
            Ok(_) => {}
            Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionReset, "{e}"),
        }
    }
    for handle in slow {
        let cut = handle.join().unwrap();
        assert!(cut.is_some(), "a slow request was answered");
    }
}

/// Before: the request line was read into memory whole, however long.
#[test]
fn serve_bounds_request_head_size() {
    let viewer = viewer();
    let server = Server::start(viewer.path(), &[]);
    let addr = server.addr.clone();
    assert_eq!(status(&get(&addr, "/").0), 200);
    #[cfg(target_os = "linux")]
    let peak_before = server.peak_rss_kib();

    // A 16 MiB request line: refused with 431 or cut, never read whole.
    let mut stream = connect(&addr);
    let writer = {
        let mut stream = stream.try_clone().unwrap();
        thread::spawn(move || {
            let piece = vec![b'a'; 64 * 1024];
            let _ = stream.write_all(b"GET /");
            for _ in 0..256 {
                if stream.write_all(&piece).is_err() {
                    return false;
                }
            }
            true
        })
    };
    let mut response = Vec::new();
    match stream.read_to_end(&mut response) {
        Ok(_) => assert!(
            response.is_empty()
                || response.starts_with(b"HTTP/1.1 431")
                || response.starts_with(b"HTTP/1.1 414"),
            "{}",
            String::from_utf8_lossy(&response)
        ),
        Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionReset, "{e}"),
    }
    let _ = stream.shutdown(Shutdown::Both);
    assert!(!writer.join().unwrap(), "the server read all 16 MiB");

    // Headers past the limit, in size or in number: 431.
    for (count, size) in [(40, 1000), (101, 1)] {
        let mut raw = format!("GET / HTTP/1.1\r\nHost: {addr}\r\n");
        for i in 0..count {
            raw.push_str(&format!("X-Filler-{i}: {}\r\n", "b".repeat(size)));
        }
        raw.push_str("\r\n");
        let mut stream = connect(&addr);
        let _ = stream.write_all(raw.as_bytes());
        let mut response = Vec::new();
        match stream.read_to_end(&mut response) {
            Ok(_) => assert!(
                response.starts_with(b"HTTP/1.1 431"),
                "{count} headers: {}",
                String::from_utf8_lossy(&response)
            ),
            Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionReset, "{e}"),
        }
    }

    // Still serving, without having grown by the size of what it was sent.
    let (head, body) = get(&addr, "/");
    assert_eq!(status(&head), 200, "{head}");
    assert_eq!(body, b"<!doctype html><title>viewer</title>");
    #[cfg(target_os = "linux")]
    {
        let grown = server.peak_rss_kib().saturating_sub(peak_before);
        assert!(grown < 8 * 1024, "peak memory grew by {grown} KiB");
    }
}

/// Before: a request was answered however big a body it announced, after waiting for it.
#[test]
fn serve_refuses_request_bodies() {
    let viewer = viewer();
    let server = Server::start(viewer.path(), &[]);
    let addr = server.addr.clone();
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let (head, _) = request(&addr, method, "/");
        assert_eq!(status(&head), 405, "{method}: {head}");
        assert_eq!(header(&head, "allow"), Some("GET, HEAD"), "{head}");
    }
    // A body announced but never sent: refused at once, the connection closed.
    for framing in ["Content-Length: 100000000", "Transfer-Encoding: chunked"] {
        for method in ["GET", "POST"] {
            let raw = format!("{method} / HTTP/1.1\r\nHost: {addr}\r\n{framing}\r\n\r\n0123456789");
            let (head, _) = split(&exchange(&addr, raw.as_bytes()));
            assert!(
                [405, 413].contains(&status(&head)),
                "{method} {framing}: {head}"
            );
            assert_eq!(header(&head, "connection"), Some("close"), "{head}");
        }
    }
    let (head, body) = request(&addr, "HEAD", "/missing");
    assert_eq!(status(&head), 404, "{head}");
    assert!(body.is_empty());
}

/// Connections are kept alive between requests, and closed when idle.
#[test]
fn serve_keeps_connections_alive_and_closes_idle_ones() {
    let viewer = viewer();
    let server = Server::start(viewer.path(), &[]);
    let addr = server.addr.clone();
    let mut stream = connect(&addr);
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    for _ in 0..3 {
        write!(stream, "GET / HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        assert_eq!(status(&head), 200, "{head}");
        let len: usize = header(&head, "content-length").unwrap().parse().unwrap();
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        assert_eq!(body, b"<!doctype html><title>viewer</title>");
    }
    // Then nothing more: the server closes the connection (timeout of a few seconds).
    let started = Instant::now();
    let mut rest = Vec::new();
    match reader.read_to_end(&mut rest) {
        Ok(_) => assert!(rest.is_empty() || rest.starts_with(b"HTTP/1.1 408")),
        Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionReset, "{e}"),
    }
    assert!(started.elapsed() < Duration::from_secs(25));
}

/// Before: symlinks were followed out of the viewer folder (it served `/etc/shadow`).
/// A path is served when its canonical form is a regular file inside the canonical viewer
/// folder: symlinks that stay inside it are followed, any that lead out are not found.
#[cfg(unix)]
#[test]
fn serve_refuses_symlink_out_of_viewer() {
    use std::os::unix::fs::symlink;

    let outer = temp_dir();
    let root = outer.path();
    write(root, "secret.txt", b"secret");
    std::fs::create_dir_all(root.join("viewer/assets")).unwrap();
    let viewer = root.join("viewer");
    write(&viewer, "index.html", b"<html>");
    write(&viewer, "assets/inside.txt", b"inside");
    symlink(root.join("secret.txt"), viewer.join("leak.txt")).unwrap();
    symlink("../secret.txt", viewer.join("relative-leak.txt")).unwrap();
    symlink("/etc/passwd", viewer.join("passwd")).unwrap();
    symlink(root, viewer.join("outside")).unwrap();
    symlink("assets/inside.txt", viewer.join("alias.txt")).unwrap();
    symlink("assets", viewer.join("assets-alias")).unwrap();
    symlink("missing.txt", viewer.join("dangling.txt")).unwrap();
    // The viewer folder itself may be given through a symlink.
    symlink(&viewer, root.join("viewer-link")).unwrap();
    let server = Server::start(&root.join("viewer-link"), &[]);
    let addr = server.addr.clone();

    for path in [
        "/leak.txt",
        "/relative-leak.txt",
        "/passwd",
        "/outside/secret.txt",
        "/dangling.txt",
        "/assets",
    ] {
        let (head, body) = get(&addr, path);
        assert_eq!(status(&head), 404, "{path}: {head}");
        assert_eq!(body, b"not found\n", "{path}");
    }
    for (path, expected) in [
        ("/", &b"<html>"[..]),
        ("/assets/inside.txt", b"inside"),
        ("/alias.txt", b"inside"),
        ("/assets-alias/inside.txt", b"inside"),
        // Out and back in: what counts is where the path ends up.
        ("/outside/viewer/index.html", b"<html>"),
    ] {
        let (head, body) = get(&addr, path);
        assert_eq!(status(&head), 200, "{path}: {head}");
        assert_eq!(body, expected, "{path}");
    }
}

/// Before: the `Host` header was ignored, so a page whose name was rebound to 127.0.0.1
/// (DNS rebinding) could read everything served.
#[test]
fn serve_refuses_foreign_host_header() {
    let viewer = viewer();
    let server = Server::start(viewer.path(), &[]);
    let addr = server.addr.clone();
    let port = server.port();
    let other_port = if port == 1 { 2 } else { port - 1 };
    let ask = |head_lines: &str| {
        let raw = format!("{head_lines}\r\nConnection: close\r\n\r\n");
        split(&exchange(&addr, raw.as_bytes()))
    };
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1:{other_port}"),
        format!("127.0.0.1:{port}x"),
        "127.0.0.2".to_string(),
        "[::1]".to_string(),
        String::new(),
    ] {
        let (head, body) = ask(&format!("GET / HTTP/1.1\r\nHost: {host}"));
        assert_eq!(status(&head), 421, "{host}: {head}");
        assert_eq!(
            String::from_utf8_lossy(&body),
            "this server answers only to 127.0.0.1 and localhost\n"
        );
    }
    // The target of an absolute-form request must name this server too.
    let (head, _) = ask(&format!(
        "GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1:{port}"
    ));
    assert_eq!(status(&head), 421, "{head}");
    // No Host, or two.
    for lines in [
        "GET / HTTP/1.1".to_string(),
        "GET / HTTP/1.0".to_string(),
        format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example"),
    ] {
        let (head, body) = ask(&lines);
        assert_eq!(status(&head), 400, "{lines}: {head}");
        assert!(String::from_utf8_lossy(&body).contains("Host"), "{head}");
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("LocalHost:{port}"),
        "localhost".to_string(),
        "127.0.0.1".to_string(),
    ] {
        let (head, body) = ask(&format!("GET / HTTP/1.1\r\nHost: {host}"));
        assert_eq!(status(&head), 200, "{host}: {head}");
        assert_eq!(body, b"<!doctype html><title>viewer</title>");
    }
}

/// Before: request paths were not percent-decoded, so names with spaces, `#` or Chinese
/// letters were not found, including the data URLs the server printed itself.
#[test]
fn serve_decodes_percent_encoded_names() {
    let viewer = viewer();
    for (name, content) in [
        ("a b.txt", "space"),
        ("c#1.txt", "hash"),
        ("武汉.txt", "wuhan"),
        ("100%.txt", "percent"),
        ("plus+sign.txt", "plus"),
    ] {
        write(viewer.path(), name, content.as_bytes());
    }
    let inputs = temp_dir();
    let roads = write(
        inputs.path(),
        "my city #1 武汉.geojson",
        br#"{"type":"FeatureCollection","features":[]}"#,
    );
    let server = Server::start(
        viewer.path(),
        &[
            "--roads",
            &roads,
            "--centers-osm",
            "amenity=library",
            "--demand-osm",
            "building",
        ],
    );
    let addr = server.addr.clone();

    for (path, content) in [
        ("/a%20b.txt", "space"),
        ("/c%231.txt", "hash"),
        ("/%E6%AD%A6%E6%B1%89.txt", "wuhan"),
        ("/%e6%ad%a6%e6%b1%89.txt", "wuhan"),
        ("/100%25.txt", "percent"),
        ("/plus+sign.txt", "plus"),
        ("/plus%2Bsign.txt", "plus"),
    ] {
        let (head, body) = get(&addr, path);
        assert_eq!(status(&head), 200, "{path}: {head}");
        assert_eq!(String::from_utf8_lossy(&body), content, "{path}");
    }

    // The printed URL can be copied as it is (ASCII, no space or bare `#`), and the roads
    // URL the viewer reads from it fetches the file.
    assert!(
        server
            .start
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'#'),
        "{}",
        server.start
    );
    let roads_url = query_value(&server.start, "roads");
    assert_eq!(
        roads_url,
        "data/my%20city%20%231%20%E6%AD%A6%E6%B1%89.geojson"
    );
    assert_eq!(query_value(&server.start, "centers"), roads_url);
    let (head, body) = get(&addr, &format!("/{roads_url}"));
    assert_eq!(status(&head), 200, "{head}");
    assert_eq!(header(&head, "content-type"), Some("application/json"));
    assert_eq!(body, std::fs::read(&roads).unwrap());
}

/// `..` in any spelling, NUL and backslashes never reach the file system.
#[test]
fn serve_refuses_path_traversal() {
    let outer = temp_dir();
    write(outer.path(), "secret.txt", b"secret");
    std::fs::create_dir_all(outer.path().join("viewer/assets")).unwrap();
    let viewer = outer.path().join("viewer");
    write(&viewer, "index.html", b"<html>");
    let server = Server::start(&viewer, &[]);
    let addr = server.addr.clone();
    for path in [
        "/../secret.txt",
        "/assets/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/.%2e/secret.txt",
        "/..%5csecret.txt",
        "/assets%5c..%5c..%5csecret.txt",
        "/data/..%2f..%2fsecret.txt",
        "/index.html%00.txt",
        "//secret.txt",
    ] {
        let (head, body) = get(&addr, path);
        assert_eq!(status(&head), 404, "{path}: {head}");
        assert_eq!(body, b"not found\n", "{path}");
    }
    for path in ["/%zz", "/%2", "/%C3%28.txt"] {
        let (head, _) = get(&addr, path);
        assert_eq!(status(&head), 400, "{path}: {head}");
    }
}
