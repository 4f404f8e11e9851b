//! Serving one connection: a request at a time, each read within the limits,
//! its body checked and dropped, its `Host` checked, then answered by the
//! site, until the client closes, fails, idles too long or is refused.

use std::io::{BufWriter, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::Ordering;
use std::time::Instant;

use super::host::host_allowed;
use super::reply::{Keep, Timed, refuse, text_reply, write_reply};
use super::request::{HeadOutcome, Stop, Version, content_length, read_head, read_some};
use super::{Inner, Request, State};

/// Serves one connection until it closes, fails, or idles too long.
pub(super) fn serve(mut stream: TcpStream, id: u64, inner: &Inner) {
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
            HeadOutcome::Head(head) => head,
            HeadOutcome::Refuse(status, text) => return refuse(inner, id, stream, status, text),
            HeadOutcome::Stop(Stop::Quiet) => return,
            HeadOutcome::Stop(Stop::Slow) => {
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
