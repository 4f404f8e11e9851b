//! `waymark serve`'s connection layer against hostile and odd clients: real
//! requests over loopback to a server started in this process, with short
//! timeouts so that slow clients are dealt with in well under a second.
//! Every wait is bounded; every server is stopped when its test ends.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use waymark::serve::front::{Limits, Request, Server};
use waymark::serve::http::{Body, Reply};

/// A guard against hanging, never a measure.
const PATIENCE: Duration = Duration::from_secs(20);

static REQUESTS: AtomicUsize = AtomicUsize::new(0);
static CONNECTIONS: AtomicUsize = AtomicUsize::new(0);

fn tally(test: &str) {
    eprintln!(
        "{test}: {} requests sent, {} connections opened so far in this file",
        REQUESTS.load(Ordering::SeqCst),
        CONNECTIONS.load(Ordering::SeqCst)
    );
}

/// The size of `/big`: more than the connection's buffers hold.
const BIG: usize = 32 << 20;

/// Answers `/` with `hello`, `/big` with 32 MB, anything else with 404.
fn hello(request: &Request) -> Reply {
    if request.target == "/big" {
        return Reply {
            status: 200,
            headers: vec![("Content-Type", "application/octet-stream".to_string())],
            body: Body::Owned(vec![b'x'; BIG]),
        };
    }
    let found = request.target == "/" && matches!(request.method, "GET" | "HEAD");
    Reply {
        status: if found { 200 } else { 404 },
        headers: vec![("Content-Type", "text/plain; charset=utf-8".to_string())],
        body: Body::Static(if found { b"hello\n" } else { b"not here\n" }),
    }
}

fn quick() -> Limits {
    Limits {
        idle_timeout: Duration::from_millis(800),
        request_timeout: Duration::from_millis(600),
        write_timeout: Duration::from_secs(5),
        ..Limits::default()
    }
}

fn start(limits: Limits) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    Server::start(listener, limits, Arc::new(hello)).expect("starts")
}

fn connect(server: &Server) -> TcpStream {
    connect_to(server.local_addr())
}

fn connect_to(addr: SocketAddr) -> TcpStream {
    CONNECTIONS.fetch_add(1, Ordering::SeqCst);
    let stream = TcpStream::connect(addr).expect("connects");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    stream
}

/// A response read by its length from a connection that may stay open.
#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads one response; `None` when the connection closed first.
fn read_response(reader: &mut impl BufRead, head_only: bool) -> Option<Response> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let status = line.split(' ').nth(1)?.parse().ok()?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line == "\r\n" {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; if head_only { 0 } else { length }];
    reader.read_exact(&mut body).ok()?;
    Some(Response {
        status,
        headers,
        body,
    })
}

/// Sends `raw` on a new connection (ignoring a refusal to take it all) and reads one response.
fn exchange(server: &Server, raw: &[u8]) -> Option<Response> {
    REQUESTS.fetch_add(1, Ordering::SeqCst);
    let mut stream = connect(server);
    let _ = stream.write_all(raw);
    read_response(&mut BufReader::new(stream), false)
}

fn get(server: &Server, host: &str) -> Response {
    let raw = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    exchange(server, raw.as_bytes()).expect("a response")
}

/// Whether the server has closed `stream` (read gives end of file or a reset) within `within`.
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).expect("timeout");
    let mut byte = [0u8; 1024];
    loop {
        match stream.read(&mut byte) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return false;
            }
            Err(_) => return true,
        }
    }
}

#[test]
fn huge_declared_bodies_get_413_and_the_server_goes_on() {
    let server = start(quick());
    for i in 0..24 {
        let length = [
            "1000000000000000",
            "18446744073709551615",
            "99999999999999999999999999",
        ][i % 3];
        let raw = format!(
            "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: {length}\r\n\r\nsome of it"
        );
        let reply = exchange(&server, raw.as_bytes()).expect("a response");
        assert_eq!(reply.status, 413, "{length}");
        assert_eq!(reply.header("Connection"), Some("close"));
    }
    // A small body is read and dropped, and the connection serves the next request.
    let mut stream = connect(&server);
    REQUESTS.fetch_add(2, Ordering::SeqCst);
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .expect("sends");
    let mut reader = BufReader::new(stream);
    assert_eq!(
        read_response(&mut reader, false).expect("first").status,
        404
    );
    assert_eq!(
        read_response(&mut reader, false).expect("second").status,
        200
    );
    // Bodies without a length, and lengths that are not numbers, are refused.
    let chunked = b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
    assert_eq!(exchange(&server, chunked).expect("a response").status, 411);
    for bad in ["-1", "1e9", "5, 6", ""] {
        let raw = format!("GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: {bad}\r\n\r\n");
        assert_eq!(
            exchange(&server, raw.as_bytes())
                .expect("a response")
                .status,
            400,
            "{bad}"
        );
    }
    // A 1 MB body declared honestly is refused without being read.
    let mut big = b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1048576\r\n\r\n".to_vec();
    big.resize(big.len() + 1_048_576, b'x');
    assert_eq!(exchange(&server, &big).expect("a response").status, 413);
    assert_eq!(get(&server, "localhost").status, 200);
    tally("huge bodies");
}

#[test]
fn oversized_heads_get_431() {
    let server = start(quick());
    let long = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\nX-Long: {}\r\n\r\n",
        "a".repeat(20 * 1024)
    );
    assert_eq!(
        exchange(&server, long.as_bytes())
            .expect("a response")
            .status,
        431
    );
    let mut many = String::from("GET / HTTP/1.1\r\nHost: localhost\r\n");
    for i in 0..200 {
        many.push_str(&format!("X-{i}: {i}\r\n"));
    }
    many.push_str("\r\n");
    assert_eq!(
        exchange(&server, many.as_bytes())
            .expect("a response")
            .status,
        431
    );
    // A 1 MB request line: refused after the first 16 KB.
    let line = format!(
        "GET /{} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "a".repeat(1 << 20)
    );
    assert_eq!(
        exchange(&server, line.as_bytes())
            .expect("a response")
            .status,
        431
    );
    // Just under the limits is fine.
    let mut fine = String::from("GET / HTTP/1.1\r\nHost: localhost\r\n");
    for i in 0..90 {
        fine.push_str(&format!("X-{i}: {i}\r\n"));
    }
    fine.push_str(&format!("X-Long: {}\r\n\r\n", "a".repeat(8 * 1024)));
    assert_eq!(
        exchange(&server, fine.as_bytes())
            .expect("a response")
            .status,
        200
    );
    tally("oversized heads");
}

#[test]
fn hundreds_of_idle_connections_do_not_keep_a_request_out() {
    // Long timeouts: only making room for newcomers can let the last request in.
    let limits = Limits {
        idle_timeout: Duration::from_secs(60),
        request_timeout: Duration::from_secs(60),
        ..Limits::default()
    };
    let server = start(limits);
    let limit = server.max_connections();
    assert!(limit <= 256);
    let idle: Vec<TcpStream> = (0..limit + 60).map(|_| connect(&server)).collect();
    thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    let reply = get(&server, "localhost");
    assert_eq!(reply.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "served promptly"
    );
    // The longest idle were closed to make room; the newest are still open.
    let mut first = idle.into_iter().next().expect("one");
    assert!(closed_within(&mut first, Duration::from_secs(2)));
    // A request under way is not pushed out while it might be real: with every place
    // taken by requests just begun, a newcomer is told the server is busy.
    let small = Limits {
        max_connections: 4,
        request_timeout: Duration::from_secs(10),
        ..quick()
    };
    let server = start(small);
    let started = Instant::now();
    let mut slow: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut stream = connect(&server);
            stream.write_all(b"GET / HTTP/1.1\r\n").expect("sends");
            stream
        })
        .collect();
    thread::sleep(Duration::from_millis(100));
    assert_eq!(get(&server, "localhost").status, 503);
    // After 2 s (far longer than a real request takes to arrive) the slowest makes room.
    thread::sleep(Duration::from_millis(2100).saturating_sub(started.elapsed()));
    assert_eq!(get(&server, "localhost").status, 200);
    assert!(
        slow.iter_mut()
            .any(|s| closed_within(s, Duration::from_millis(500)))
    );
    // Or they time out, and the server takes requests again.
    let server = start(Limits {
        max_connections: 4,
        ..quick()
    });
    let mut busy: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut stream = connect(&server);
            stream.write_all(b"GET / HTTP/1.1\r\n").expect("sends");
            stream
        })
        .collect();
    for stream in &mut busy {
        assert!(closed_within(stream, Duration::from_secs(3)));
    }
    assert_eq!(get(&server, "localhost").status, 200);
    tally("idle connections");
}

#[test]
fn slow_clients_are_closed_after_the_timeouts() {
    let server = start(quick());
    // Slowloris: a header line every 100 ms, for ever.
    let mut slow = connect(&server);
    REQUESTS.fetch_add(1, Ordering::SeqCst);
    slow.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        .expect("sends");
    let started = Instant::now();
    let mut closed = false;
    for i in 0..40 {
        if slow
            .write_all(format!("X-{i}: {i}\r\n").as_bytes())
            .is_err()
        {
            closed = true;
            break;
        }
        thread::sleep(Duration::from_millis(100));
    }
    let mut reader = BufReader::new(slow.try_clone().expect("clone"));
    if let Some(reply) = read_response(&mut reader, false) {
        assert_eq!(reply.status, 408);
        closed = true;
    }
    assert!(closed || closed_within(&mut slow, Duration::from_secs(2)));
    assert!(started.elapsed() < Duration::from_secs(5));
    // A connection that says nothing is closed after the idle timeout.
    let mut silent = connect(&server);
    let started = Instant::now();
    assert!(closed_within(&mut silent, Duration::from_secs(5)));
    assert!(started.elapsed() >= Duration::from_millis(700));
    // So is a keep-alive connection after its last request.
    let mut kept = connect(&server);
    REQUESTS.fetch_add(1, Ordering::SeqCst);
    kept.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .expect("sends");
    let mut reader = BufReader::new(kept.try_clone().expect("clone"));
    assert_eq!(
        read_response(&mut reader, false).expect("reply").status,
        200
    );
    assert!(closed_within(&mut kept, Duration::from_secs(5)));
    // A body that never comes in full.
    let mut stalled = connect(&server);
    REQUESTS.fetch_add(1, Ordering::SeqCst);
    stalled
        .write_all(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nabc")
        .expect("sends");
    let mut reader = BufReader::new(stalled);
    assert_eq!(
        read_response(&mut reader, false).expect("reply").status,
        408
    );
    assert_eq!(get(&server, "localhost").status, 200);
    tally("slow clients");
}

#[test]
fn only_this_machine_s_names_are_answered_and_framing_is_refused() {
    let server = start(quick());
    let port = server.local_addr().port();
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "127.0.0.1".to_string(),
    ] {
        let reply = get(&server, &host);
        assert_eq!(reply.status, 200, "{host}");
        assert_eq!(reply.header("X-Frame-Options"), Some("DENY"));
        let csp = reply.header("Content-Security-Policy").expect("csp");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    }
    for host in [
        format!("evil.example:{port}"),
        "rebind.evil.example".to_string(),
        format!("localhost.evil.example:{port}"),
        "10.0.0.1".to_string(),
    ] {
        let reply = get(&server, &host);
        assert_eq!(reply.status, 421, "{host}");
        assert!(!String::from_utf8_lossy(&reply.body).contains("hello"));
        assert_eq!(reply.header("X-Frame-Options"), Some("DENY"));
    }
    // HTTP/1.1 needs exactly one Host.
    let none = b"GET / HTTP/1.1\r\n\r\n";
    assert_eq!(exchange(&server, none).expect("a response").status, 400);
    let two = b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n";
    assert_eq!(exchange(&server, two).expect("a response").status, 400);
    tally("host names");
}

#[test]
fn http_1_0_keep_alive_pipelining_and_bad_request_lines() {
    let server = start(quick());
    // HTTP/1.0 with keep-alive: told so, and a second response on the same connection.
    let mut stream = connect(&server);
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    for _ in 0..2 {
        REQUESTS.fetch_add(1, Ordering::SeqCst);
        stream
            .write_all(b"GET / HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n")
            .expect("sends");
        let reply = read_response(&mut reader, false).expect("a response on the same connection");
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("Connection"), Some("keep-alive"));
        assert_eq!(reply.body, b"hello\n");
    }
    // HTTP/1.0 without it: closed after the response. No Host is fine in 1.0.
    let reply = exchange(&server, b"GET / HTTP/1.0\r\n\r\n").expect("a response");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("Connection"), Some("close"));
    // HEAD: the length of the body, not the body.
    let mut stream = connect(&server);
    REQUESTS.fetch_add(2, Ordering::SeqCst);
    stream
        .write_all(
            b"HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\nGET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
        )
        .expect("sends");
    let mut reader = BufReader::new(stream);
    let head = read_response(&mut reader, true).expect("head");
    assert_eq!(head.header("Content-Length"), Some("6"));
    assert_eq!(
        read_response(&mut reader, false).expect("get").body,
        b"hello\n"
    );
    // A request line that is not ASCII, or not HTTP/1.x, is answered at once.
    let started = Instant::now();
    for (raw, status) in [
        (
            &b"GET /caf\xc3\xa9 HTTP/1.1\r\nHost: localhost\r\n\r\n"[..],
            400,
        ),
        (&b"G\xffT / HTTP/1.1\r\n\r\n"[..], 400),
        (&b"GET /\xe2\x80\xae"[..], 400),
        (&b"GET / HTTP/2.0\r\nHost: localhost\r\n\r\n"[..], 505),
        (&b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"[..], 505),
        (&b"GET / HTTP/2.0"[..], 505),
        (&b"GET / HTTP/1.1 extra\r\n\r\n"[..], 400),
        (&b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"[..], 400),
        (&b"GET / FTP/1.0\r\n\r\n"[..], 400),
    ] {
        let reply = exchange(&server, raw).expect("a response");
        assert_eq!(reply.status, status, "{:?}", String::from_utf8_lossy(raw));
    }
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "answered at once, not after a timeout"
    );
    assert_eq!(get(&server, "localhost").status, 200);
    tally("protocol");
}

#[test]
fn stopping_closes_everything() {
    let server = start(quick());
    let addr = server.local_addr();
    let mut open = connect(&server);
    assert_eq!(get(&server, "localhost").status, 200);
    server.stop();
    assert!(closed_within(&mut open, Duration::from_secs(2)));
    drop(server);
    thread::sleep(Duration::from_millis(100));
    CONNECTIONS.fetch_add(1, Ordering::SeqCst);
    assert!(
        TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err(),
        "the listener is closed"
    );
    tally("stop");
}
