//! The connections of `waymark serve`: accepting them, reading and checking
//! each request head, and writing the reply, so that no request, however
//! large, slow, malformed or hostile, and no number of connections, stops the
//! server or starves the other clients.
//!
//! - Connections are accepted here, at most [`Limits::max_connections`] at a
//!   time, each on a thread of its own (so the threads are bounded too). When
//!   all are taken, the connection idle the longest is closed to make room, or
//!   failing that the oldest request still arriving after 2 s (or half the
//!   request timeout); when there is neither, the newcomer gets 503. Accept errors (too many open
//!   files, say) are logged and retried after a pause, never fatal.
//! - A request head is read into a buffer of at most [`Limits::max_head`]
//!   bytes and parsed with `httparse` (at most [`Limits::max_header_lines`]
//!   headers); beyond either limit the reply is 431. A request line that is
//!   not ASCII gets 400, an HTTP version other than 1.0 or 1.1 gets 505, at
//!   once. The head, then the body, must arrive within
//!   [`Limits::request_timeout`]; a connection waits at most
//!   [`Limits::idle_timeout`] for its next request.
//! - A body longer than [`Limits::max_body`] gets 413 and is never read, let
//!   alone allocated; a shorter one is read in small pieces and dropped.
//! - Only requests whose `Host` names this machine are answered (421
//!   otherwise), so a page on another site cannot read the preview through DNS
//!   rebinding.
//! - The reply is written with tiny_http's response writer.

use std::collections::HashMap;
use std::io::{self, BufWriter, ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::serve::http::{self, Body, Reply};

/// What a client may use, and for how long.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections open at once (also the number of connection threads).
    pub max_connections: usize,
    /// How long a connection may wait for its next request (or its first).
    pub idle_timeout: Duration,
    /// How long a request's head and body may take to arrive, from its first byte.
    pub request_timeout: Duration,
    /// How long a reply may take to send (a client that reads slowly is closed).
    pub write_timeout: Duration,
    /// The request line and headers, in bytes.
    pub max_head: usize,
    /// Header lines in one request.
    pub max_header_lines: usize,
    /// A request body, in bytes (the site only answers GET and HEAD).
    pub max_body: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 256,
            idle_timeout: Duration::from_secs(30),
            request_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
            max_head: 16 * 1024,
            max_header_lines: 100,
            max_body: 16 * 1024,
        }
    }
}

/// A request that passed the checks, as the site sees it.
#[derive(Debug)]
pub struct Request<'a> {
    /// `GET`, `HEAD`, …
    pub method: &'a str,
    /// The request target, e.g. `/doncaster/?x=1`.
    pub target: &'a str,
    /// The `If-None-Match` header, if any.
    pub if_none_match: Option<&'a str>,
}

/// What answers the requests.
pub type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// A running server; [`Server::stop`] stops it.
pub struct Server {
    inner: Arc<Inner>,
    address: SocketAddr,
}

struct Inner {
    limits: Limits,
    handler: Arc<Handler>,
    /// The names a `Host` header may give (lowercase, without the port).
    hosts: Vec<String>,
    connections: Mutex<Connections>,
    /// Connection threads alive, including ones closed but not yet ended.
    threads: AtomicUsize,
    stop: AtomicBool,
}

#[derive(Default)]
struct Connections {
    next: u64,
    open: HashMap<u64, Open>,
}

struct Open {
    /// A handle to shut the connection down from the accepting thread.
    stream: TcpStream,
    /// What it is doing, and since when.
    state: State,
}

#[derive(Clone, Copy)]
enum State {
    /// Waiting for a request (or for its first).
    Idle(Instant),
    /// Receiving a request.
    Reading(Instant),
    /// Sending a response.
    Answering,
}

/// How many threads closed connections may keep alive beyond the limit while they end.
const THREAD_SLACK: usize = 32;
/// Each connection thread's stack: it parses a head and copies a reply.
const STACK: usize = 256 * 1024;

impl Server {
    /// Serves the connections of `listener` with `handler` until stopped.
    pub fn start(
        listener: TcpListener,
        mut limits: Limits,
        handler: Arc<Handler>,
    ) -> io::Result<Server> {
        let address = listener.local_addr()?;
        limits.max_connections = limits.max_connections.min(descriptor_budget()).max(1);
        let inner = Arc::new(Inner {
            hosts: host_names(address.ip()),
            limits,
            handler,
            connections: Mutex::default(),
            threads: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
        });
        let accepting = Arc::clone(&inner);
        std::thread::Builder::new()
            .name("accept".into())
            .spawn(move || accept_loop(&listener, &accepting))?;
        Ok(Server { inner, address })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The connection limit in force (lowered when the process may open few files).
    pub fn max_connections(&self) -> usize {
        self.inner.limits.max_connections
    }

    /// Stops accepting and closes every connection.
    pub fn stop(&self) {
        self.inner.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread, blocked in accept.
        let ip = match self.address.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        let _ = TcpStream::connect_timeout(
            &SocketAddr::new(ip, self.address.port()),
            Duration::from_secs(1),
        );
        let connections = self.inner.lock();
        for open in connections.open.values() {
            let _ = open.stream.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !self.inner.stop.load(Ordering::SeqCst) {
            self.stop();
        }
    }
}

impl Inner {
    fn lock(&self) -> std::sync::MutexGuard<'_, Connections> {
        self.connections
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn set_state(&self, id: u64, state: State) {
        if let Some(open) = self.lock().open.get_mut(&id) {
            open.state = state;
        }
    }
}

/// How many connections the open-file limit leaves room for (the site's own files,
/// the watcher and the terminal keep some).
fn descriptor_budget() -> usize {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let limit = getrlimit(Resource::Nofile);
        // Use what the system allows this process, as most servers do.
        if let (Some(current), Some(maximum)) = (limit.current, limit.maximum)
            && current < maximum
        {
            let _ = setrlimit(
                Resource::Nofile,
                Rlimit {
                    current: Some(maximum.min(65_536).max(current)),
                    maximum: Some(maximum),
                },
            );
        }
        match getrlimit(Resource::Nofile).current {
            Some(n) => usize::try_from(n.saturating_sub(64)).unwrap_or(usize::MAX),
            None => usize::MAX,
        }
    }
    #[cfg(not(unix))]
    {
        usize::MAX
    }
}

/// The host names that mean this machine for a server bound to `ip`.
fn host_names(ip: IpAddr) -> Vec<String> {
    let mut names = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "[::1]".to_string(),
    ];
    let mut add = |ip: IpAddr| {
        let name = match ip {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => format!("[{v6}]"),
        };
        if !names.contains(&name) {
            names.push(name);
        }
    };
    if ip.is_unspecified() {
        if let Ok(interfaces) = if_addrs::get_if_addrs() {
            for interface in interfaces {
                add(interface.ip());
            }
        }
    } else {
        add(ip);
    }
    names
}

/// Whether a `Host` header value names this machine: one of `names`, or a
/// `*.localhost` name, with or without a port.
fn host_allowed(value: &str, names: &[String]) -> bool {
    let value = value.trim().to_ascii_lowercase();
    let (name, port) = if value.starts_with('[') {
        match value.find(']') {
            Some(end) => (&value[..=end], &value[end + 1..]),
            None => return false,
        }
    } else {
        match value.find(':') {
            Some(at) => (&value[..at], &value[at..]),
            None => (value.as_str(), ""),
        }
    };
    let port_ok = port.is_empty()
        || port.strip_prefix(':').is_some_and(|p| {
            !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())
        });
    let name = name.strip_suffix('.').unwrap_or(name);
    port_ok && (names.iter().any(|n| n == name) || name.ends_with(".localhost"))
}

fn accept_loop(listener: &TcpListener, inner: &Arc<Inner>) {
    let mut pause = Duration::from_millis(10);
    let mut logged: Option<Instant> = None;
    while !inner.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                pause = Duration::from_millis(10);
                if inner.stop.load(Ordering::SeqCst) {
                    break;
                }
                admit(stream, inner);
            }
            // The client gave up before it was accepted: nothing to wait for.
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::ConnectionAborted | ErrorKind::Interrupted
                ) => {}
            Err(e) => {
                // Out of file descriptors or memory, say: wait for some to be freed.
                if logged.is_none_or(|t| t.elapsed() > Duration::from_secs(10)) {
                    eprintln!("warning: cannot accept a connection ({e}); trying again");
                    logged = Some(Instant::now());
                }
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_secs(1));
            }
        }
    }
}

/// Takes a new connection: makes room if every place is taken, and starts its thread.
fn admit(stream: TcpStream, inner: &Arc<Inner>) {
    let limits = &inner.limits;
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(limits.write_timeout));
    let Ok(handle) = stream.try_clone() else {
        return;
    };
    let id = {
        let mut connections = inner.lock();
        if connections.open.len() >= limits.max_connections {
            // The connection idle the longest; failing that, the slowest request under way,
            // if it is taking far longer than any real client would.
            let idle = connections
                .open
                .iter()
                .filter_map(|(id, open)| match open.state {
                    State::Idle(since) => Some((since, *id)),
                    _ => None,
                })
                .min();
            let slow = || {
                let patience = (limits.request_timeout / 2).min(Duration::from_secs(2));
                connections
                    .open
                    .iter()
                    .filter_map(|(id, open)| match open.state {
                        State::Reading(since) if since.elapsed() >= patience => Some((since, *id)),
                        _ => None,
                    })
                    .min()
            };
            match idle.or_else(slow) {
                Some((_, id)) => {
                    if let Some(open) = connections.open.remove(&id) {
                        let _ = open.stream.shutdown(Shutdown::Both);
                    }
                }
                None => {
                    drop(connections);
                    refuse_busy(stream);
                    return;
                }
            }
        }
        connections.next += 1;
        let id = connections.next;
        connections.open.insert(
            id,
            Open {
                stream: handle,
                state: State::Idle(Instant::now()),
            },
        );
        id
    };
    // Closed connections end their threads at once; wait (briefly) if many are still ending.
    let started = Instant::now();
    while inner.threads.load(Ordering::SeqCst) >= limits.max_connections + THREAD_SLACK
        && started.elapsed() < Duration::from_secs(5)
    {
        std::thread::sleep(Duration::from_millis(2));
    }
    inner.threads.fetch_add(1, Ordering::SeqCst);
    let serving = Arc::clone(inner);
    let spawned = std::thread::Builder::new()
        .name("connection".into())
        .stack_size(STACK)
        .spawn(move || {
            let _ended = Ended {
                inner: &serving,
                id,
            };
            connection(stream, id, &serving);
        });
    if let Err(e) = spawned {
        inner.threads.fetch_sub(1, Ordering::SeqCst);
        if let Some(open) = inner.lock().open.remove(&id) {
            let _ = open.stream.shutdown(Shutdown::Both);
        }
        eprintln!("warning: cannot start a thread for a connection ({e}); it was closed");
    }
}

/// Forgets a connection when its thread ends, however it ends.
struct Ended<'a> {
    inner: &'a Inner,
    id: u64,
}

impl Drop for Ended<'_> {
    fn drop(&mut self) {
        self.inner.lock().open.remove(&self.id);
        self.inner.threads.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Every place is taken by a connection in the middle of a request: say so and close.
fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
    let mut out = Vec::new();
    let reply = text_reply(503, "The server is busy; try again.\n");
    let _ = write_reply(&mut out, reply, Version::Http11, false, Keep::Close);
    let _ = stream.write_all(&out);
    let _ = stream.shutdown(Shutdown::Both);
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Version {
    Http10,
    Http11,
}

/// What happens to the connection after a reply.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// HTTP/1.1's default: no header needed.
    Open,
    /// An HTTP/1.0 client that asked to keep it: it must be told `Connection: keep-alive`.
    OpenSaid,
    /// Closed after the reply.
    Close,
}

/// Why reading stopped.
enum Stop {
    /// The client closed, timed out while idle, or the connection was shut.
    Quiet,
    /// The request took too long to arrive.
    Slow,
}

/// Reads into `buf` until `deadline`, at most `most` bytes; `Ok(0)` when the client closed.
fn read_some(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    most: usize,
    deadline: Instant,
) -> Result<usize, Stop> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(Stop::Slow);
    }
    let _ = stream.set_read_timeout(Some(left));
    let mut chunk = [0u8; 4096];
    let want = most.min(chunk.len()).max(1);
    loop {
        match stream.read(&mut chunk[..want]) {
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                return Ok(n);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(Stop::Slow);
            }
            Err(_) => return Err(Stop::Quiet),
        }
    }
}

/// What the head of a request said, owned, once checked.
struct Head {
    method: String,
    target: String,
    version: Version,
    if_none_match: Option<String>,
    hosts: Vec<String>,
    content_lengths: Vec<String>,
    chunked_or_other_coding: bool,
    connection: String,
}

/// The outcome of reading one request head.
enum Read1 {
    Head(Head),
    /// Answer with this status and close.
    Refuse(u16, &'static str),
    Stop(Stop),
}

/// Serves one connection until it closes, fails, or idles too long.
fn connection(mut stream: TcpStream, id: u64, inner: &Inner) {
    let limits = &inner.limits;
    let mut buf: Vec<u8> = Vec::with_capacity(2048);
    loop {
        if inner.stop.load(Ordering::SeqCst) {
            return;
        }
        if buf.is_empty() {
            inner.set_state(id, State::Idle(Instant::now()));
            let idle_until = Instant::now() + limits.idle_timeout;
            match read_some(&mut stream, &mut buf, limits.max_head, idle_until) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
        inner.set_state(id, State::Reading(Instant::now()));
        let deadline = Instant::now() + limits.request_timeout;
        let head = match read_head(&mut stream, &mut buf, limits, deadline) {
            Read1::Head(head) => head,
            Read1::Refuse(status, text) => return refuse(inner, id, stream, status, text),
            Read1::Stop(Stop::Quiet) => return,
            Read1::Stop(Stop::Slow) => {
                return refuse(
                    inner,
                    id,
                    stream,
                    408,
                    "The request took too long to arrive.\n",
                );
            }
        };
        // The body: its length must be clear, and small.
        if head.chunked_or_other_coding {
            return refuse(
                inner,
                id,
                stream,
                411,
                "Requests with a body need a Content-Length.\n",
            );
        }
        let length = match content_length(&head.content_lengths) {
            Ok(length) => length,
            Err(()) => return refuse(inner, id, stream, 400, "Bad request.\n"),
        };
        if length > limits.max_body as u64 {
            return refuse(inner, id, stream, 413, "The request body is too large.\n");
        }
        // Drop the body, from what was read already and then from the connection.
        let mut left = usize::try_from(length).unwrap_or(usize::MAX);
        let taken = left.min(buf.len());
        buf.drain(..taken);
        left -= taken;
        while left > 0 {
            let mut piece = Vec::new();
            match read_some(&mut stream, &mut piece, left, deadline) {
                Ok(0) | Err(Stop::Quiet) => return,
                Ok(n) => left -= n,
                Err(Stop::Slow) => {
                    return refuse(
                        inner,
                        id,
                        stream,
                        408,
                        "The request took too long to arrive.\n",
                    );
                }
            }
        }
        let asked = head.connection.to_ascii_lowercase();
        let tokens: Vec<&str> = asked.split(',').map(str::trim).collect();
        let keep = match head.version {
            _ if tokens.contains(&"close") => Keep::Close,
            Version::Http11 => Keep::Open,
            Version::Http10 if tokens.contains(&"keep-alive") => Keep::OpenSaid,
            Version::Http10 => Keep::Close,
        };
        let reply = match head.hosts.as_slice() {
            [] if head.version == Version::Http10 => None,
            [host] if host_allowed(host, &inner.hosts) => None,
            [_] => Some(text_reply(
                421,
                "This server answers only requests for this machine (localhost).\n",
            )),
            _ => return refuse(inner, id, stream, 400, "Bad request.\n"),
        }
        .unwrap_or_else(|| {
            (inner.handler)(&Request {
                method: &head.method,
                target: &head.target,
                if_none_match: head.if_none_match.as_deref(),
            })
        });
        inner.set_state(id, State::Answering);
        let head_only = head.method == "HEAD";
        let until = Instant::now() + limits.write_timeout;
        let mut out = BufWriter::with_capacity(16 * 1024, Timed(&stream, until));
        let written =
            write_reply(&mut out, reply, head.version, head_only, keep).and_then(|()| out.flush());
        drop(out);
        if written.is_err() || keep == Keep::Close {
            let _ = stream.shutdown(Shutdown::Write);
            return;
        }
    }
}

/// A connection that must take what is written to it by a deadline.
struct Timed<'a>(&'a TcpStream, Instant);

impl Write for Timed<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let left = self.1.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        self.0.set_write_timeout(Some(left))?;
        (&mut &*self.0).write(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reads and parses one request head; leaves in `buf` whatever follows it.
fn read_head(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    limits: &Limits,
    deadline: Instant,
) -> Read1 {
    loop {
        // The request line must be ASCII; say so as soon as it is not.
        let line_end = memchr::memchr(b'\n', buf).unwrap_or(buf.len());
        if buf[..line_end].iter().any(|b| !b.is_ascii()) {
            return Read1::Refuse(400, "Bad request.\n");
        }
        let mut headers = vec![httparse::EMPTY_HEADER; limits.max_header_lines];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(buf) {
            Ok(httparse::Status::Complete(end)) => {
                if end > limits.max_head {
                    return Read1::Refuse(431, "The request's headers are too large.\n");
                }
                let head = owned_head(&request);
                buf.drain(..end);
                return match head {
                    Some(head) => Read1::Head(head),
                    None => Read1::Refuse(400, "Bad request.\n"),
                };
            }
            Ok(httparse::Status::Partial) => {
                if buf.len() > limits.max_head {
                    return Read1::Refuse(431, "The request's headers are too large.\n");
                }
            }
            Err(httparse::Error::TooManyHeaders) => {
                return Read1::Refuse(431, "The request has too many headers.\n");
            }
            Err(httparse::Error::Version) if other_version(&buf[..line_end]) => {
                return Read1::Refuse(505, "Only HTTP/1.0 and HTTP/1.1 are spoken here.\n");
            }
            Err(_) => return Read1::Refuse(400, "Bad request.\n"),
        }
        let room = limits.max_head + 1 - buf.len().min(limits.max_head);
        match read_some(stream, buf, room, deadline) {
            Ok(0) => return Read1::Stop(Stop::Quiet),
            Ok(_) => {}
            Err(stop) => return Read1::Stop(stop),
        }
    }
}

/// Whether a request line that httparse refused for its version names a well-formed
/// version of HTTP other than 1.0 and 1.1 (`HTTP/2.0`, `HTTP/3`), which earns 505, not 400.
fn other_version(line: &[u8]) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let Some(at) = line.iter().rposition(|b| *b == b' ') else {
        return false;
    };
    let version = &line[at + 1..];
    match version.strip_prefix(b"HTTP/") {
        Some([major, rest @ ..]) => {
            major.is_ascii_digit()
                && (rest.is_empty()
                    || rest.len() >= 2
                        && rest[0] == b'.'
                        && rest[1..].iter().all(u8::is_ascii_digit))
        }
        _ => false,
    }
}

/// Copies what is needed out of a parsed head; `None` when it is not a request to answer.
fn owned_head(request: &httparse::Request) -> Option<Head> {
    let version = match request.version? {
        0 => Version::Http10,
        _ => Version::Http11,
    };
    let mut head = Head {
        method: request.method?.to_string(),
        target: request.path?.to_string(),
        version,
        if_none_match: None,
        hosts: Vec::new(),
        content_lengths: Vec::new(),
        chunked_or_other_coding: false,
        connection: String::new(),
    };
    for header in request.headers.iter() {
        let value = || String::from_utf8_lossy(header.value).trim().to_string();
        let name = header.name;
        if name.eq_ignore_ascii_case("host") {
            head.hosts.push(value());
        } else if name.eq_ignore_ascii_case("content-length") {
            head.content_lengths.push(value());
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            head.chunked_or_other_coding = true;
        } else if name.eq_ignore_ascii_case("connection") {
            if !head.connection.is_empty() {
                head.connection.push(',');
            }
            head.connection.push_str(&value());
        } else if name.eq_ignore_ascii_case("if-none-match") {
            head.if_none_match = Some(value());
        }
    }
    Some(head)
}

/// The body's declared length: every `Content-Length` must be digits and agree.
/// A length too large to count is `u64::MAX`, refused as too large.
fn content_length(values: &[String]) -> Result<u64, ()> {
    let mut length = None;
    for value in values {
        for part in value.split(',') {
            let part = part.trim();
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(());
            }
            let n = part.parse::<u64>().unwrap_or(u64::MAX);
            if length.is_some_and(|l| l != n) {
                return Err(());
            }
            length = Some(n);
        }
    }
    Ok(length.unwrap_or(0))
}

/// A reply with a short plain-text body.
fn text_reply(status: u16, text: &'static str) -> Reply {
    Reply {
        status,
        headers: vec![("Content-Type", "text/plain; charset=utf-8".to_string())],
        body: Body::Static(text.as_bytes()),
    }
}

/// Answers with `status` and closes, reading (and dropping) for a moment whatever the
/// client is still sending, so that the reply is not lost to a reset.
fn refuse(inner: &Inner, id: u64, mut stream: TcpStream, status: u16, text: &'static str) {
    let mut out = Vec::with_capacity(512);
    if write_reply(
        &mut out,
        text_reply(status, text),
        Version::Http11,
        false,
        Keep::Close,
    )
    .is_ok()
    {
        let _ = stream.write_all(&out);
    }
    let _ = stream.shutdown(Shutdown::Write);
    // Done with: its place goes to the next connection while this one lingers.
    inner.lock().open.remove(&id);
    let until = Instant::now() + Duration::from_secs(1);
    let mut drained = 0usize;
    let mut chunk = [0u8; 4096];
    while drained < 1024 * 1024 {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

/// Writes `reply` with the headers every response carries, using tiny_http's writer.
fn write_reply(
    out: &mut impl Write,
    reply: Reply,
    version: Version,
    head_only: bool,
    keep: Keep,
) -> io::Result<()> {
    let connection: &[u8] = match keep {
        Keep::Open => b"",
        Keep::OpenSaid => b"Connection: keep-alive\r\n",
        Keep::Close => b"Connection: close\r\n",
    };
    let headers: Vec<tiny_http::Header> = http::common_headers()
        .iter()
        .map(|(n, v)| (*n, v.to_string()))
        .chain(reply.headers)
        .filter_map(|(n, v)| tiny_http::Header::from_bytes(n.as_bytes(), v.as_bytes()).ok())
        .collect();
    let status = reply.status;
    let body = reply.body;
    let length = body.as_ref().len();
    let response = tiny_http::Response::new(
        tiny_http::StatusCode(status),
        headers,
        io::empty(),
        Some(length),
        None,
    )
    .with_chunked_threshold(usize::MAX);
    let version = match version {
        Version::Http10 => tiny_http::HTTPVersion(1, 0),
        Version::Http11 => tiny_http::HTTPVersion(1, 1),
    };
    // tiny_http writes the head (status line, Date, Content-Length) but leaves the
    // `Connection` header to its own server; it goes in before the blank line.
    let mut head = Vec::with_capacity(512);
    response.raw_print(&mut head, version, &[], true, None)?;
    let end = head.len().saturating_sub(2);
    out.write_all(&head[..end])?;
    out.write_all(connection)?;
    out.write_all(b"\r\n")?;
    let bodiless = matches!(status, 100..=199 | 204 | 304);
    if !head_only && !bodiless {
        out.write_all(body.as_ref())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_this_machine_by_name() {
        let names = host_names("127.0.0.1".parse().unwrap());
        for good in [
            "localhost",
            "localhost:8000",
            "LOCALHOST:8000",
            "127.0.0.1:8000",
            "127.0.0.1",
            "[::1]:8000",
            "[::1]",
            "preview.localhost:8000",
            "localhost.",
        ] {
            assert!(host_allowed(good, &names), "{good}");
        }
        for bad in [
            "evil.example",
            "evil.example:8000",
            "localhost.evil.example",
            "127.0.0.2",
            "[::2]:8000",
            "localhost:80:80",
            "localhost:",
            "localhost:abc",
            "[::1",
            "",
            "192.168.1.10:8000",
        ] {
            assert!(!host_allowed(bad, &names), "{bad}");
        }
        let bound = host_names("192.168.1.10".parse().unwrap());
        assert!(host_allowed("192.168.1.10:8000", &bound));
    }

    #[test]
    fn tells_other_versions_from_garbage() {
        assert!(other_version(b"GET / HTTP/2.0\r"));
        assert!(other_version(b"PRI * HTTP/2.0"));
        assert!(other_version(b"GET / HTTP/3"));
        assert!(!other_version(b"GET / HTTP/x.1"));
        assert!(!other_version(b"GET / FTP/1.0"));
        assert!(!other_version(b"GET / HTTP/2."));
    }

    #[test]
    fn content_lengths_must_be_digits_and_agree() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(content_length(&s(&[])), Ok(0));
        assert_eq!(content_length(&s(&["12"])), Ok(12));
        assert_eq!(content_length(&s(&["12", "12"])), Ok(12));
        assert_eq!(content_length(&s(&["12, 12"])), Ok(12));
        assert_eq!(content_length(&s(&["12", "13"])), Err(()));
        assert_eq!(content_length(&s(&["-1"])), Err(()));
        assert_eq!(content_length(&s(&["+1"])), Err(()));
        assert_eq!(
            content_length(&s(&["18446744073709551616000"])),
            Ok(u64::MAX)
        );
    }
}
