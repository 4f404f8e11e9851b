//! Writing replies with tiny_http's response writer: the site's answers, and
//! the short plain-text refusals (400, 408, 503, …) after which the
//! connection is closed.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use super::Inner;
use super::request::Version;
use crate::serve::http::{self, Body, Reply};

/// What happens to the connection after a reply.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Keep {
    /// HTTP/1.1's default: no header needed.
    Open,
    /// An HTTP/1.0 client that asked to keep it: it must be told `Connection: keep-alive`.
    OpenSaid,
    /// Closed after the reply.
    Close,
}

/// Every place is taken by a connection in the middle of a request: say so and close.
pub(super) fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
    let mut out = Vec::new();
    let reply = text_reply(503, "The server is busy; try again.\n");
    let _ = write_reply(&mut out, reply, Version::Http11, false, Keep::Close);
    let _ = stream.write_all(&out);
    let _ = stream.shutdown(Shutdown::Both);
}

/// A connection that must take what is written to it by a deadline.
pub(super) struct Timed<'a>(pub(super) &'a TcpStream, pub(super) Instant);

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

/// A reply with a short plain-text body.
pub(super) fn text_reply(status: u16, text: &'static str) -> Reply {
    Reply {
        status,
        headers: vec![("Content-Type", "text/plain; charset=utf-8".to_string())],
        body: Body::Static(text.as_bytes()),
    }
}

/// Answers with `status` and closes, reading (and dropping) for a moment whatever the
/// client is still sending, so that the reply is not lost to a reset.
pub(super) fn refuse(
    inner: &Inner,
    id: u64,
    mut stream: TcpStream,
    status: u16,
    text: &'static str,
) {
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
pub(super) fn write_reply(
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
