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
//!
//! This module holds the server itself: its [`Limits`], the accepting thread
//! and the admission of each connection. Serving one connection is in
//! `connection`, reading a request in `request`, the `Host` check in `host`,
//! and writing replies in `reply`.

mod connection;
mod host;
mod reply;
mod request;

use std::collections::HashMap;
use std::io::{self, ErrorKind};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::serve::http::Reply;

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
            hosts: host::host_names(address.ip()),
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
                    reply::refuse_busy(stream);
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
            connection::serve(stream, id, &serving);
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
