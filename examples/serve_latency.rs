//! Measures `waymark serve`'s edit-to-page latency: the time from saving a
//! procedure file to the server having the rebuilt site in place.
//!
//! ```text
//! cargo run --release --example serve_latency -- --waymark target/release/waymark \
//!     --root SITE [--edits 7] [--today 2026-11-23]
//! ```
//!
//! It starts `waymark serve` on a free port, waits for the first build, then
//! edits the title of one procedure `--edits` times. For each edit it notes the
//! time just before the file is written and polls `__waymark/version` over one
//! kept-alive connection, every millisecond, until the version moves on: the
//! server bumps it only once the new files are in place. It prints one line per
//! edit and a closing line with the median, and restores the file at the end.
//! Used by `scripts/bench.sh`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Options {
    waymark: PathBuf,
    root: PathBuf,
    edits: usize,
    today: String,
}

fn main() {
    if let Err(e) = run(&options()) {
        eprintln!("serve_latency: {e}");
        std::process::exit(1);
    }
}

fn options() -> Options {
    let mut options = Options {
        waymark: PathBuf::from("target/release/waymark"),
        root: PathBuf::from("."),
        edits: 7,
        today: "2026-11-23".to_string(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_default();
        match flag.as_str() {
            "--waymark" => options.waymark = value.into(),
            "--root" => options.root = value.into(),
            "--edits" => options.edits = value.parse().unwrap_or(options.edits),
            "--today" => options.today = value,
            other => {
                eprintln!("serve_latency: unknown option {other}");
                std::process::exit(2);
            }
        }
    }
    options
}

/// The server, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run(options: &Options) -> Result<(), String> {
    let file = first_procedure(&options.root)?;
    let original =
        std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut child = Command::new(&options.waymark)
        .args(["--today", &options.today, "serve", "--port", "0", "--root"])
        .arg(&options.root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", options.waymark.display()))?;
    let stdout = child.stdout.take().ok_or("no output from the server")?;
    let server = Server(child);
    let lines = read_lines(stdout);
    let address = wait_for_address(&lines)?;
    // Let the watcher settle after the first build.
    std::thread::sleep(Duration::from_secs(1));
    let mut connection = Connection::open(&address)?;
    let mut latencies = Vec::new();
    for edit in 1..=options.edits {
        let before = connection.version()?;
        let edited = retitle(&original, edit);
        let saved = Instant::now();
        std::fs::write(&file, &edited).map_err(|e| format!("{}: {e}", file.display()))?;
        let latency = loop {
            if connection.version()? > before {
                break saved.elapsed();
            }
            if saved.elapsed() > Duration::from_secs(30) {
                return Err("no new version within 30 s of an edit".into());
            }
            std::thread::sleep(Duration::from_millis(1));
        };
        let reported = server_time(&lines);
        println!(
            "edit {edit}: {:.1} ms from the save to the new site in place (the server reports {})",
            latency.as_secs_f64() * 1000.0,
            reported.map_or("no time".to_string(), |ms| format!("{ms} ms"))
        );
        latencies.push(latency);
        // Space the edits out, as a person's saves are.
        std::thread::sleep(Duration::from_millis(300));
    }
    std::fs::write(&file, &original).map_err(|e| format!("{}: {e}", file.display()))?;
    drop(server);
    latencies.sort();
    let median = latencies[latencies.len() / 2];
    let worst = latencies[latencies.len() - 1];
    println!(
        "median {:.1} ms, slowest {:.1} ms over {} edits",
        median.as_secs_f64() * 1000.0,
        worst.as_secs_f64() * 1000.0,
        latencies.len()
    );
    Ok(())
}

/// The first procedure file by name.
fn first_procedure(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("procedures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .next()
        .ok_or_else(|| format!("no procedure files in {}", dir.display()))
}

/// The text with `(edit N)` added to its `title:` line.
fn retitle(text: &str, edit: usize) -> String {
    text.lines()
        .map(|line| match line.strip_prefix("title: \"") {
            Some(rest) => format!("title: \"(edit {edit}) {rest}"),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The server's output, a line at a time, from a thread of its own.
fn read_lines(stdout: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    lines
}

/// The `host:port` from the server's "serving ... at http://host:port/" line.
fn wait_for_address(lines: &mpsc::Receiver<String>) -> Result<String, String> {
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(600))
            .map_err(|_| "the server did not start")?;
        if line.starts_with("serving ")
            && let Some(url) = line.split(" at http://").nth(1)
        {
            return Ok(url.trim_end_matches('/').to_string());
        }
    }
}

/// The time the server printed for its latest rebuild, if it has printed one.
fn server_time(lines: &mpsc::Receiver<String>) -> Option<u64> {
    // The line comes just after the rebuild; give it a moment.
    let deadline = Instant::now() + Duration::from_millis(200);
    let mut latest = None;
    while let Ok(line) = lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        if let Some(ms) = line
            .split(" in ")
            .last()
            .and_then(|rest| rest.strip_suffix(" ms"))
            .and_then(|n| n.parse().ok())
        {
            latest = Some(ms);
            break;
        }
    }
    latest
}

/// One kept-alive HTTP connection to the server.
struct Connection {
    stream: BufReader<TcpStream>,
    address: String,
}

impl Connection {
    fn open(address: &str) -> Result<Self, String> {
        let stream = TcpStream::connect(address).map_err(|e| format!("{address}: {e}"))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        Ok(Connection {
            stream: BufReader::new(stream),
            address: address.to_string(),
        })
    }

    /// The site's version number, from `__waymark/version`.
    fn version(&mut self) -> Result<u64, String> {
        let request = format!(
            "GET /__waymark/version HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.address
        );
        let io = |e: std::io::Error| format!("asking for the version: {e}");
        self.stream
            .get_mut()
            .write_all(request.as_bytes())
            .map_err(io)?;
        let mut length = 0;
        loop {
            let mut line = String::new();
            if self.stream.read_line(&mut line).map_err(io)? == 0 {
                return Err("the server closed the connection".into());
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body).map_err(io)?;
        let body = String::from_utf8_lossy(&body);
        body.split("\"version\":")
            .nth(1)
            .map(|rest| {
                rest.trim_start()
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
            })
            .and_then(|digits| digits.parse().ok())
            .ok_or_else(|| format!("no version in {body}"))
    }
}
