//! The HTTP side of `serve`: hyper's HTTP/1 server on a tokio runtime, one task per
//! connection, with bounded request heads, timeouts and a `Host` check.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;

use anyhow::{Context, Result};
use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio::time::{Instant, Sleep};

use super::files::{Files, Found, Lookup};

/// A client must send a whole request head within this time, the first one after
/// connecting and each later one after the previous response (the keep-alive idle time).
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);
/// A connection on which no byte moves either way for this long is closed (a client that
/// stops reading a response).
const STALL_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest request head (request line and headers) read; longer ones get 431.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Connections served at once; more wait in the listen backlog.
const MAX_CONNECTIONS: usize = 512;
const LISTEN_BACKLOG: u32 = 1024;
/// After `--max-requests`, time left to open connections to finish their responses.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// File bodies are sent in pieces of this size, never read whole into memory.
const CHUNK: usize = 64 * 1024;

/// Binds 127.0.0.1:`port`. Call inside the runtime.
pub(super) fn bind(port: u16) -> Result<TcpListener> {
    let listen = || -> io::Result<TcpListener> {
        let socket = TcpSocket::new_v4()?;
        // As std does on Unix: a restarted server may rebind while old connections linger.
        #[cfg(unix)]
        socket.set_reuseaddr(true)?;
        socket.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
        socket.listen(LISTEN_BACKLOG)
    };
    listen().with_context(|| format!("cannot listen on 127.0.0.1:{port}"))
}

/// What every connection shares.
struct Site {
    files: Files,
    port: u16,
    max_requests: Option<usize>,
    served: AtomicUsize,
    stop: watch::Sender<bool>,
}

/// Serves until `max_requests` requests have been answered (forever without it).
pub(super) async fn serve(listener: TcpListener, files: Files, max_requests: Option<usize>) {
    let port = listener.local_addr().map_or(0, |a| a.port());
    let site = Arc::new(Site {
        files,
        port,
        max_requests,
        served: AtomicUsize::new(0),
        stop: watch::channel(false).0,
    });
    let mut stop = site.stop.subscribe();
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut connections = JoinSet::new();
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            _ = stop.wait_for(|s| *s) => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file descriptors and the like: let others finish, then retry.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stop.wait_for(|s| *s) => break,
        };
        while connections.try_join_next().is_some() {}
        connections.spawn(connection(stream, site.clone(), permit));
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, drain).await;
}

async fn connection(stream: TcpStream, site: Arc<Site>, _permit: OwnedSemaphorePermit) {
    let _ = stream.set_nodelay(true);
    let io = TokioIo::new(StallGuard::new(stream));
    let service = service_fn(|request| {
        let site = site.clone();
        async move { Ok::<_, Infallible>(answer(&site, request).await) }
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .max_buf_size(MAX_HEAD_BYTES)
        .keep_alive(true);
    let mut conn = pin!(builder.serve_connection(io, service));
    let mut stop = site.stop.subscribe();
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = stop.wait_for(|s| *s) => {}
    }
    // Finish the response under way, then close.
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}

/// Answers one request and counts it towards `--max-requests`.
async fn answer(site: &Arc<Site>, request: Request<Incoming>) -> Response<ServeBody> {
    let mut response = respond(site, &request).await;
    if has_body(&request) {
        // Its body is never read: the connection cannot carry another request.
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    let served = site.served.fetch_add(1, Ordering::SeqCst) + 1;
    if site.max_requests.is_some_and(|n| served >= n) {
        site.stop.send_replace(true);
    }
    response
}

async fn respond(site: &Arc<Site>, request: &Request<Incoming>) -> Response<ServeBody> {
    if let Err((status, reason)) = check_host(request, site.port) {
        return text(status, reason);
    }
    let head_only = match *request.method() {
        Method::GET => false,
        Method::HEAD => true,
        _ => {
            let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "GET and HEAD only\n");
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            return response;
        }
    };
    if has_body(request) {
        return text(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request bodies are not accepted\n",
        );
    }
    let path = request.uri().path().to_string();
    let lookup_site = site.clone();
    let lookup = tokio::task::spawn_blocking(move || lookup_site.files.lookup(&path)).await;
    match lookup {
        Ok(Lookup::Found(found)) => file_response(found, head_only),
        Ok(Lookup::NotFound) => text(StatusCode::NOT_FOUND, "not found\n"),
        Ok(Lookup::BadPath) => text(
            StatusCode::BAD_REQUEST,
            "path is not valid percent-encoded UTF-8\n",
        ),
        Ok(Lookup::Unreadable) | Err(_) => {
            text(StatusCode::INTERNAL_SERVER_ERROR, "cannot read file\n")
        }
    }
}

/// Whether the request announces a body (any `Transfer-Encoding`, a nonzero length).
fn has_body(request: &Request<Incoming>) -> bool {
    let headers = request.headers();
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get_all(header::CONTENT_LENGTH)
            .iter()
            .any(|v| v.as_bytes() != b"0")
}

/// Accepts only requests addressed to this server by loopback name (`127.0.0.1` or
/// `localhost`, with no port or the bound one), so that a page on another site whose
/// name was rebound to 127.0.0.1 cannot read the files.
fn check_host(
    request: &Request<Incoming>,
    port: u16,
) -> std::result::Result<(), (StatusCode, &'static str)> {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let (Some(host), None) = (hosts.next(), hosts.next()) else {
        return Err((
            StatusCode::BAD_REQUEST,
            "one Host header is required (127.0.0.1 or localhost)\n",
        ));
    };
    // An absolute-form target (`GET http://name/ HTTP/1.1`) must name this server too.
    let target = request
        .uri()
        .authority()
        .map(hyper::http::uri::Authority::as_str);
    let ours = |value: &str| {
        let value = value.to_ascii_lowercase();
        let (name, given_port) = match value.rsplit_once(':') {
            Some((name, p)) => match p.parse::<u16>() {
                Ok(p) => (name.to_string(), Some(p)),
                Err(_) => return false,
            },
            None => (value, None),
        };
        (name == "127.0.0.1" || name == "localhost") && given_port.is_none_or(|p| p == port)
    };
    let host_ok = host.to_str().is_ok_and(ours);
    if host_ok && target.is_none_or(ours) {
        Ok(())
    } else {
        Err((
            StatusCode::MISDIRECTED_REQUEST,
            "this server answers only to 127.0.0.1 and localhost\n",
        ))
    }
}

fn text(status: StatusCode, body: &'static str) -> Response<ServeBody> {
    response(
        status,
        "text/plain; charset=utf-8",
        body.len() as u64,
        ServeBody::Text(Some(Bytes::from_static(body.as_bytes()))),
    )
}

fn file_response(found: Found, head_only: bool) -> Response<ServeBody> {
    let body = if head_only {
        ServeBody::Text(None)
    } else {
        ServeBody::File {
            file: tokio::fs::File::from_std(found.file),
            remaining: found.len,
        }
    };
    response(StatusCode::OK, found.content_type, found.len, body)
}

fn response(
    status: StatusCode,
    kind: &'static str,
    len: u64,
    body: ServeBody,
) -> Response<ServeBody> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// A response body: a short text, or a file streamed in pieces. (A HEAD response is an
/// empty text with the file's `Content-Length`.)
enum ServeBody {
    Text(Option<Bytes>),
    File {
        file: tokio::fs::File,
        remaining: u64,
    },
}

impl Body for ServeBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
    ) -> Poll<Option<io::Result<Frame<Bytes>>>> {
        match self.get_mut() {
            ServeBody::Text(text) => Poll::Ready(text.take().map(|b| Ok(Frame::data(b)))),
            ServeBody::File { file, remaining } => {
                if *remaining == 0 {
                    return Poll::Ready(None);
                }
                let want = usize::try_from(*remaining).map_or(CHUNK, |r| r.min(CHUNK));
                let mut chunk = vec![0; want];
                let mut buf = ReadBuf::new(&mut chunk);
                match Pin::new(file).poll_read(cx, &mut buf) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
                    Poll::Ready(Ok(())) => {
                        let n = buf.filled().len();
                        if n == 0 {
                            // The file shrank after its length was sent.
                            return Poll::Ready(Some(Err(io::ErrorKind::UnexpectedEof.into())));
                        }
                        *remaining -= n as u64;
                        chunk.truncate(n);
                        Poll::Ready(Some(Ok(Frame::data(Bytes::from(chunk)))))
                    }
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            ServeBody::Text(text) => text.is_none(),
            ServeBody::File { remaining, .. } => *remaining == 0,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            ServeBody::Text(text) => {
                SizeHint::with_exact(text.as_ref().map_or(0, |b| b.len() as u64))
            }
            ServeBody::File { remaining, .. } => SizeHint::with_exact(*remaining),
        }
    }
}

/// A TCP stream that fails with `TimedOut` once no byte has moved either way for
/// `STALL_TIMEOUT` while hyper waits on it.
struct StallGuard {
    stream: TcpStream,
    deadline: Pin<Box<Sleep>>,
}

impl StallGuard {
    fn new(stream: TcpStream) -> Self {
        StallGuard {
            stream,
            deadline: Box::pin(tokio::time::sleep(STALL_TIMEOUT)),
        }
    }

    fn progress(&mut self) {
        self.deadline.as_mut().reset(Instant::now() + STALL_TIMEOUT);
    }

    /// On `Pending`, whether the deadline has passed (then the wait becomes an error).
    fn check<T>(
        &mut self,
        cx: &mut TaskContext<'_>,
        poll: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match poll {
            Poll::Pending if self.deadline.as_mut().poll(cx).is_ready() => {
                Poll::Ready(Err(io::ErrorKind::TimedOut.into()))
            }
            other => other,
        }
    }
}

impl AsyncRead for StallGuard {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let poll = Pin::new(&mut this.stream).poll_read(cx, buf);
        if matches!(poll, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.progress();
        }
        this.check(cx, poll)
    }
}

impl AsyncWrite for StallGuard {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_write(cx, buf);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            this.progress();
        }
        this.check(cx, poll)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            this.progress();
        }
        this.check(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_flush(cx);
        this.check(cx, poll)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_shutdown(cx);
        this.check(cx, poll)
    }
}
