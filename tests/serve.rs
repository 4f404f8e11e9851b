//! `waymark serve` from the outside: the real binary on a free port, spoken to
//! with hand-written HTTP/1.1 (so malformed and hostile requests go out exactly
//! as written). Waits are bounded by a number of tries, never asserted on.

mod support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use support::{build_site, copy_tree, repo_root};

/// How long to wait for anything at all before giving up (a guard against hanging, not a check).
const PATIENCE: Duration = Duration::from_secs(60);
/// How many times to poll for a rebuild, 100 ms apart.
const TRIES: usize = 600;

/// A running `waymark serve`, stopped when dropped.
struct Serve {
    child: Child,
    /// `127.0.0.1:PORT`.
    addr: String,
    /// Everything it printed on stdout and stderr so far.
    output: Arc<Mutex<String>>,
}

impl Serve {
    fn start(root: &Path) -> Serve {
        Serve::start_with(root, &[])
    }

    /// Starts it through `wrapper` (a program and its arguments, e.g. `prlimit --nofile=1024`).
    fn start_with(root: &Path, wrapper: &[&str]) -> Serve {
        let binary = env!("CARGO_BIN_EXE_waymark");
        let mut command = match wrapper.split_first() {
            Some((program, args)) => {
                let mut command = Command::new(program);
                command.args(args).arg(binary);
                command
            }
            None => Command::new(binary),
        };
        let mut child = command
            .args(["serve", "--root"])
            .arg(root)
            .args(["--port", "0", "--today", "2026-11-23"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("waymark serve starts");
        let output = Arc::new(Mutex::new(String::new()));
        let (lines, url_line) = channel();
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        collect(stdout, Arc::clone(&output), Some(lines));
        collect(stderr, Arc::clone(&output), None);
        let addr = wait_for_url(&url_line, &output);
        Serve {
            child,
            addr,
            output,
        }
    }

    fn output(&self) -> String {
        self.output.lock().expect("output").clone()
    }

    fn get(&self, target: &str) -> Reply {
        self.request("GET", target, &[])
    }

    fn request(&self, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
        let mut raw = format!("{method} {target} HTTP/1.1\r\nHost: {}\r\n", self.addr);
        for (name, value) in headers {
            raw.push_str(&format!("{name}: {value}\r\n"));
        }
        raw.push_str("Connection: close\r\n\r\n");
        send(&self.addr, raw.as_bytes())
    }

    fn page(&self, target: &str) -> String {
        let reply = self.get(target);
        assert_eq!(reply.status, 200, "{target}");
        reply.text()
    }

    fn status(&self) -> serde_json::Value {
        let reply = self.get("/__waymark/version");
        assert_eq!(reply.status, 200);
        serde_json::from_slice(&reply.body).expect("the version endpoint gives JSON")
    }

    /// Polls the version endpoint until `done` holds; panics after [`TRIES`] tries.
    fn wait_until(
        &self,
        what: &str,
        done: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        for _ in 0..TRIES {
            let status = self.status();
            if done(&status) {
                return status;
            }
            thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "gave up waiting for {what}; serve printed:\n{}",
            self.output()
        );
    }

    /// Sends a signal and waits (boundedly) for the process to end; returns whether it exited 0.
    fn stop_with(mut self, signal: &str) -> (bool, String) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args([signal, &pid])
            .status()
            .expect("kill runs");
        assert!(sent.success());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                // Let the readers catch the last lines.
                thread::sleep(Duration::from_millis(100));
                return (status.success(), self.output());
            }
            assert!(started.elapsed() < PATIENCE, "serve did not stop");
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(
    stream: impl Read + Send + 'static,
    into: Arc<Mutex<String>>,
    lines: Option<std::sync::mpsc::Sender<String>>,
) {
    thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Ok(mut all) = into.lock() {
                all.push_str(&line);
                all.push('\n');
            }
            if let Some(lines) = &lines {
                let _ = lines.send(line);
            }
        }
    });
}

fn wait_for_url(lines: &Receiver<String>, output: &Mutex<String>) -> String {
    loop {
        match lines.recv_timeout(PATIENCE) {
            Ok(line) => {
                if let Some(at) = line.find("http://127.0.0.1:") {
                    let url = &line[at + "http://".len()..];
                    return url.trim_end_matches('/').to_string();
                }
            }
            Err(_) => panic!(
                "serve printed no URL:\n{}",
                output.lock().map(|o| o.clone()).unwrap_or_default()
            ),
        }
    }
}

/// A response, read whole.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends raw bytes and reads the response until the server closes the connection.
fn send(addr: &str, raw: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    stream.write_all(raw).expect("sends");
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).expect("reads");
    parse(&bytes).unwrap_or_else(|| panic!("not HTTP: {:?}", String::from_utf8_lossy(&bytes)))
}

fn parse(bytes: &[u8]) -> Option<Reply> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&bytes[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Some(Reply {
        status,
        headers,
        body: bytes[end + 4..].to_vec(),
    })
}

/// A copy of the repository's site at `<temp>/site`, with a secret file beside it.
fn site_beside_a_secret() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).expect("mkdir");
    std::fs::copy(repo_root().join("site.yaml"), site.join("site.yaml")).expect("site.yaml");
    for sub in ["procedures", "content", "sources"] {
        copy_tree(&repo_root().join(sub), &site.join(sub));
    }
    std::fs::write(dir.path().join("secret.txt"), SECRET).expect("secret");
    (dir, site)
}

const SECRET: &str = "THE-SECRET-BESIDE-THE-SITE";

/// Every file and folder under `root` with its bytes, to compare before and after.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.expect("entry"))
        .map(|e| {
            let bytes = e
                .file_type()
                .is_file()
                .then(|| std::fs::read(e.path()).expect("read"));
            (e.path().to_path_buf(), bytes)
        })
        .collect()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} has {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

fn version(status: &serde_json::Value) -> u64 {
    status["version"].as_u64().expect("version")
}

#[test]
fn serves_pages_assets_and_the_site_404_page_with_the_right_headers() {
    let (_dir, site) = site_beside_a_secret();
    let (_built_dir, built) = build_site(&site, &[]);
    let serve = Serve::start(&site);

    let home = serve.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("Cache-Control"), Some("no-store"));
    assert_eq!(
        home.header("Content-Security-Policy"),
        Some("default-src 'self'; frame-ancestors 'none'")
    );
    assert_eq!(home.header("X-Frame-Options"), Some("DENY"));
    assert!(home.text().contains("<script src=\"__waymark/live.js?v="));
    assert!(home.text().contains("Our Compact: Resolving Differences"));

    let page = serve.get("/doncaster/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("src=\"../__waymark/live.js?v="));
    // Served pages are the built pages, with only the live script added.
    let built_page =
        std::fs::read_to_string(built.join("doncaster/index.html")).expect("built page");
    let without_script: String = page
        .text()
        .lines()
        .filter(|l| !l.contains("__waymark/live.js"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(without_script.trim_end(), built_page.trim_end());
    assert_eq!(serve.get("/doncaster/index.html").body, page.body);
    let folder = serve.get("/doncaster");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("Location"), Some("doncaster/"));

    for (path, kind) in [
        ("assets/style.css", "text/css; charset=utf-8"),
        ("assets/favicon.svg", "image/svg+xml"),
        ("assets/wizard.js", "text/javascript; charset=utf-8"),
        ("doncaster/contacts.csv", "text/csv; charset=utf-8"),
        ("doncaster/contacts.vcf", "text/vcard; charset=utf-8"),
        ("doncaster.json", "application/json"),
        ("robots.txt", "text/plain; charset=utf-8"),
    ] {
        let reply = serve.get(&format!("/{path}"));
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("Content-Type"), Some(kind), "{path}");
        assert_eq!(
            reply.body,
            std::fs::read(built.join(path)).expect("built file"),
            "{path} is served exactly as built"
        );
    }

    for missing in [
        "/no-such-page/",
        "/deep/er/still/missing.html",
        "/.waymark-output",
    ] {
        let reply = serve.get(missing);
        assert_eq!(reply.status, 404, "{missing}");
        assert!(reply.text().contains("Page not found"), "{missing}");
        assert_eq!(
            reply.header("Content-Type"),
            Some("text/html; charset=utf-8")
        );
    }

    let head = serve.request("HEAD", "/assets/style.css", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD sends no body");
    let css = serve.get("/assets/style.css");
    assert_eq!(
        head.header("Content-Length").map(str::to_string),
        Some(css.body.len().to_string())
    );
    let etag = css.header("ETag").expect("an ETag");
    let again = serve.request("GET", "/assets/style.css", &[("If-None-Match", etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let other = serve.request(
        "GET",
        "/assets/style.css",
        &[("If-None-Match", "\"other\"")],
    );
    assert_eq!(other.status, 200);
    assert_eq!(serve.request("POST", "/", &[]).status, 405);

    // The live-reload files are served, but the built site never contains them.
    assert_eq!(serve.get("/__waymark/live.js").status, 200);
    assert_eq!(serve.get("/__waymark/live.css").status, 200);
    for entry in walkdir::WalkDir::new(&built).into_iter().flatten() {
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).expect("read");
            assert!(
                !String::from_utf8_lossy(&bytes).contains("__waymark"),
                "{} mentions the live script",
                entry.path().display()
            );
        }
    }
}

#[test]
fn refuses_every_way_out_of_the_site_and_reveals_nothing() {
    let (dir, site) = site_beside_a_secret();
    // A link out of the site in the site folder itself is no source and is never read. (One
    // in the theme's static files would make the site fail to build: tests/inputs.rs.)
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path(), site.join("outside")).expect("symlink");
    let serve = Serve::start(&site);
    let absolute = dir.path().join("secret.txt");
    let absolute = absolute.to_string_lossy();
    let long = format!("/{}", "a/".repeat(5000));
    let targets = [
        "/../secret.txt",
        "/../../secret.txt",
        "/assets/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/assets%2f..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..%5C..%5Csecret.txt",
        "/..\\secret.txt",
        "/assets\\..\\..\\secret.txt",
        "/%252e%252e/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "//secret.txt",
        "//etc/passwd",
        "/etc/passwd",
        &absolute,
        "/%00",
        "/index.html%00.css",
        "/assets/secret.txt",
        "/assets/outside/secret.txt",
        "/outside/secret.txt",
        "/site.yaml",
        "/procedures/doncaster.yaml",
        "file:///etc/passwd",
        "http://127.0.0.1/../secret.txt",
        &long,
    ];
    for target in targets {
        let reply = serve.get(target);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{target}: {}",
            reply.status
        );
        let text = reply.text();
        assert!(!text.contains(SECRET), "{target} revealed the secret");
        assert!(!text.contains("root:"), "{target} revealed /etc/passwd");
        assert!(!text.contains("title:"), "{target} revealed a source file");
    }
    // A raw NUL byte in the request line.
    let reply = send(
        &serve.addr,
        b"GET /secret.txt\0/../index.html HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    assert!(
        reply.status == 400 || reply.status == 404,
        "{}",
        reply.status
    );
    assert!(!reply.text().contains(SECRET));
}

#[test]
fn edits_show_up_and_a_broken_file_shows_its_errors_over_the_last_good_site() {
    let (_dir, site) = site_beside_a_secret();
    let serve = Serve::start(&site);
    let start = serve.status();
    assert_eq!(start["errors"], 0);
    assert!(!serve.page("/doncaster/").contains("Edited Doncaster"));

    let file = site.join("procedures/doncaster.yaml");
    edit(
        &file,
        "short_title: Doncaster",
        "short_title: Edited Doncaster",
    );
    let after = serve.wait_until("the edit", |s| version(s) > version(&start));
    assert!(serve.page("/doncaster/").contains("Edited Doncaster"));
    assert!(
        serve.page("/").contains("Edited Doncaster"),
        "the index lists it"
    );
    assert!(
        serve
            .output()
            .contains("procedures/doncaster.yaml changed: re-rendered doncaster"),
        "{}",
        serve.output()
    );

    edit(&file, "short_title: Edited", "short_titel: Edited");
    let broken = serve.wait_until("the errors", |s| s["errors"].as_u64() > Some(0));
    let shown = broken["diagnostics"].as_str().expect("diagnostics");
    assert!(shown.contains("procedures/doncaster.yaml:4:1: error: unknown field 'short_titel'"));
    assert!(
        shown.contains("4 | short_titel: Edited Doncaster"),
        "{shown}"
    );
    assert!(shown.contains("= hint:"), "{shown}");
    // The same text as the terminal shows, there and from `waymark check`.
    assert!(
        serve.output().contains(shown.trim_end()),
        "{}",
        serve.output()
    );
    let (_, _, check) = support::run(&["check", "--root", site.to_str().expect("utf-8")]);
    assert!(check.contains(shown.trim_end()), "{check}");
    assert_eq!(version(&broken), version(&after), "nothing reloads");
    let page = serve.page("/doncaster/");
    assert!(
        page.contains("Edited Doncaster"),
        "the last good page is still served"
    );
    assert!(
        page.contains("__waymark/live.js"),
        "with the script that shows the errors"
    );

    edit(&file, "short_titel: Edited", "short_title: Fixed");
    let fixed = serve.wait_until("the fix", |s| s["errors"] == 0);
    assert_eq!(fixed["diagnostics"], "");
    assert!(version(&fixed) > version(&broken));
    assert!(serve.page("/doncaster/").contains("Fixed Doncaster"));

    // New files, deletions and renames are seen too.
    let before = serve.status();
    std::fs::copy(&file, site.join("procedures/zz-new.yaml")).expect("copy");
    serve.wait_until("the new file", |s| version(s) > version(&before));
    assert_eq!(serve.get("/zz-new/").status, 200);
    let before = serve.status();
    std::fs::rename(
        site.join("procedures/zz-new.yaml"),
        site.join("procedures/zz-renamed.yaml"),
    )
    .expect("rename");
    serve.wait_until("the rename", |s| version(s) > version(&before));
    assert_eq!(serve.get("/zz-new/").status, 404);
    assert_eq!(serve.get("/zz-renamed/").status, 200);
    let before = serve.status();
    std::fs::remove_file(site.join("procedures/zz-renamed.yaml")).expect("remove");
    serve.wait_until("the deletion", |s| version(s) > version(&before));
    assert_eq!(serve.get("/zz-renamed/").status, 404);
}

#[test]
fn a_site_broken_from_the_start_is_explained_until_it_is_fixed() {
    let (_dir, site) = site_beside_a_secret();
    let file = site.join("procedures/doncaster.yaml");
    edit(&file, "short_title:", "short_titel:");
    let serve = Serve::start(&site);
    let status = serve.status();
    assert_eq!(status["built"], false);
    assert_eq!(status["errors"], 1);
    let waiting = serve.get("/doncaster/");
    assert_eq!(waiting.status, 503);
    assert!(waiting.text().contains("The site could not be built"));
    assert!(waiting.text().contains("src=\"../__waymark/live.js"));
    edit(&file, "short_titel:", "short_title:");
    serve.wait_until("the first good build", |s| s["built"] == true);
    assert_eq!(serve.get("/doncaster/").status, 200);
    assert_eq!(serve.status()["errors"], 0);
}

#[test]
fn a_burst_of_edits_and_atomic_saves_give_one_or_a_few_rebuilds_and_the_final_content() {
    let (_dir, site) = site_beside_a_secret();
    let serve = Serve::start(&site);
    let file = site.join("procedures/doncaster.yaml");
    let original = std::fs::read_to_string(&file).expect("read");
    let with_title = |title: &str| {
        original.replacen(
            "short_title: Doncaster",
            &format!("short_title: {title}"),
            1,
        )
    };

    let start = serve.status();
    for i in 1..=100 {
        std::fs::write(&file, with_title(&format!("Burst {i}"))).expect("write");
    }
    serve.wait_until("the burst", |s| version(s) > version(&start));
    let mut done = false;
    for _ in 0..TRIES {
        if serve.page("/doncaster/").contains("Burst 100") {
            done = true;
            break;
        }
        thread::sleep(Duration::from_millis(100));
    }
    assert!(done, "the final edit is served: {}", serve.output());
    let after_burst = serve.status();
    let burst = after_burst["rebuilds"].as_u64().expect("rebuilds")
        - start["rebuilds"].as_u64().expect("rebuilds");
    eprintln!("100 edits: {burst} rebuild(s)");
    assert!((1..=5).contains(&burst), "100 edits gave {burst} rebuilds");

    // Editors' atomic saves: write a temporary file beside it, then rename it over.
    for i in 1..=30 {
        let temp = site.join(format!("procedures/.doncaster.yaml.{i}.tmp"));
        std::fs::write(&temp, with_title(&format!("Atomic {i}"))).expect("write");
        std::fs::rename(&temp, &file).expect("rename");
    }
    let mut done = false;
    for _ in 0..TRIES {
        if serve.page("/doncaster/").contains("Atomic 30") {
            done = true;
            break;
        }
        thread::sleep(Duration::from_millis(100));
    }
    assert!(done, "the final save is served: {}", serve.output());
    let saves = serve.status()["rebuilds"].as_u64().expect("rebuilds")
        - after_burst["rebuilds"].as_u64().expect("rebuilds");
    eprintln!("30 atomic saves: {saves} rebuild(s)");
    assert!(
        (1..=5).contains(&saves),
        "30 atomic saves gave {saves} rebuilds"
    );
    assert_eq!(serve.status()["errors"], 0);
}

#[cfg(unix)]
#[test]
fn ctrl_c_and_sigterm_stop_it_cleanly_leaving_the_site_byte_for_byte_as_it_was() {
    for signal in ["-INT", "-TERM"] {
        let (dir, site) = site_beside_a_secret();
        let before = snapshot(dir.path());
        let serve = Serve::start(&site);
        assert_eq!(serve.get("/").status, 200);
        assert_eq!(serve.get("/doncaster/").status, 200);
        let (clean, output) = serve.stop_with(signal);
        assert!(clean, "{signal}: exit status 0\n{output}");
        assert!(output.contains("stopping"), "{output}");
        assert_eq!(
            snapshot(dir.path()),
            before,
            "{signal}: the folder is untouched"
        );
    }
}

#[test]
fn a_port_in_use_is_explained_with_a_free_one_to_use() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let site = repo_root();
    let (code, _, stderr) = support::run(&[
        "serve",
        "--root",
        site.to_str().expect("utf-8"),
        "--port",
        &port,
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{stderr}"
    );
    assert!(stderr.contains("--port 0"), "{stderr}");
    assert!(
        stderr.contains("use the next free port with --port "),
        "{stderr}"
    );
}

#[test]
fn a_folder_that_is_not_a_site_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, stderr) = support::run(&[
        "serve",
        "--root",
        dir.path().to_str().expect("utf-8"),
        "--port",
        "0",
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no site.yaml"), "{stderr}");
}

/// One keep-alive client: sends GETs on one connection, reading each response by its length.
fn keep_alive_client(addr: &str, paths: &[&str], until: Instant, most: usize) -> (usize, usize) {
    let (mut ok, mut failed) = (0, 0);
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return (0, 1);
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    for i in 0..most {
        if Instant::now() >= until {
            break;
        }
        let path = paths[i % paths.len()];
        let sent =
            stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes());
        let mut status_line = String::new();
        if sent.is_err() || reader.read_line(&mut status_line).is_err() {
            failed += 1;
            break;
        }
        let mut length = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() || line.is_empty() {
                failed += 1;
                return (ok, failed);
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() || !status_line.contains(" 200 ") {
            failed += 1;
        } else {
            ok += 1;
        }
    }
    (ok, failed)
}

#[test]
fn under_load_from_many_connections_no_request_fails() {
    let (_dir, site) = site_beside_a_secret();
    let serve = Serve::start(&site);
    let paths = [
        "/",
        "/doncaster/",
        "/assets/style.css",
        "/compare/index.html",
        "/oxfordshire/contacts.csv",
        "/__waymark/version",
    ];
    let connections = 32;
    let started = Instant::now();
    let until = started + Duration::from_secs(3);
    let handles: Vec<_> = (0..connections)
        .map(|i| {
            let addr = serve.addr.clone();
            thread::spawn(move || {
                if i % 4 == 0 {
                    // A new connection for every request, a bounded number of times.
                    let (mut ok, mut failed) = (0, 0);
                    for n in 0..150 {
                        if Instant::now() >= until {
                            break;
                        }
                        let (o, f) = keep_alive_client(&addr, &paths[n % paths.len()..], until, 1);
                        ok += o;
                        failed += f;
                    }
                    (ok, failed)
                } else {
                    keep_alive_client(&addr, &paths, until, 20_000)
                }
            })
        })
        .collect();
    let (mut ok, mut failed) = (0, 0);
    for h in handles {
        let (o, f) = h.join().expect("client thread");
        ok += o;
        failed += f;
    }
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "load: {connections} connections, {ok} requests in {seconds:.1} s ({:.0} requests/s), {failed} failed",
        ok as f64 / seconds
    );
    assert!(ok > 0);
    assert_eq!(failed, 0, "failed requests");
}

/// Sends raw bytes on a new connection (ignoring a refusal to take them all) and
/// reads until the server closes it; `None` if nothing came back.
fn send_lenient(addr: &str, raw: &[u8]) -> Option<Reply> {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    let _ = stream.write_all(raw);
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    parse(&bytes)
}

#[test]
fn hostile_requests_are_answered_and_the_server_goes_on() {
    let (_dir, site) = site_beside_a_secret();
    let serve = Serve::start(&site);
    let addr = serve.addr.clone();
    let (mut requests, mut failures) = (0, 0);
    let mut expect = |raw: &[u8], status: u16| {
        requests += 1;
        let got = send_lenient(&addr, raw).map(|r| r.status);
        if got != Some(status) {
            failures += 1;
            eprintln!(
                "{:?}: expected {status}, got {got:?}",
                String::from_utf8_lossy(&raw[..raw.len().min(60)])
            );
        }
    };
    // More than the old server's eight workers, each of which such a request used to kill.
    for length in ["1000000000000000", "18446744073709551615"] {
        for _ in 0..10 {
            let raw = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {length}\r\n\r\n");
            expect(raw.as_bytes(), 413);
        }
    }
    let long = format!(
        "GET / HTTP/1.1\r\nHost: {addr}\r\nX-Long: {}\r\n\r\n",
        "a".repeat(20 * 1024)
    );
    expect(long.as_bytes(), 431);
    let mut many = format!("GET / HTTP/1.1\r\nHost: {addr}\r\n");
    for i in 0..200 {
        many.push_str(&format!("X-{i}: {i}\r\n"));
    }
    many.push_str("\r\n");
    expect(many.as_bytes(), 431);
    let port = addr.rsplit(':').next().expect("port");
    expect(
        format!("GET / HTTP/1.1\r\nHost: rebind.evil.example:{port}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
        421,
    );
    expect(b"GET /caf\xc3\xa9 HTTP/1.1\r\nHost: localhost\r\n\r\n", 400);
    expect(b"GET / HTTP/2.0\r\nHost: localhost\r\n\r\n", 505);
    expect(
        format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n").as_bytes(),
        200,
    );
    // HTTP/1.0 keep-alive (as `ab -k` sends it): told so, and answered twice on one connection.
    let mut stream = TcpStream::connect(&addr).expect("connects");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    for _ in 0..2 {
        requests += 1;
        stream
            .write_all(b"GET /assets/style.css HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n")
            .expect("sends");
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            assert!(reader.read_line(&mut line).expect("reads") > 0, "closed");
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = v.trim().parse().expect("length");
            }
            head.push_str(&line);
        }
        assert!(head.starts_with("HTTP/1.0 200"), "{head}");
        assert!(head.contains("Connection: keep-alive\r\n"), "{head}");
        let mut body = vec![0; length];
        reader.read_exact(&mut body).expect("body");
    }
    assert!(!serve.page("/").is_empty());
    eprintln!("hostile requests: {requests} sent, {failures} failed");
    assert_eq!(failures, 0);
}

#[test]
fn idle_connections_beyond_the_open_file_limit_do_not_close_the_listener() {
    if Command::new("prlimit").arg("--version").output().is_err() {
        eprintln!("skipped: prlimit is not installed");
        return;
    }
    let (_dir, site) = site_beside_a_secret();
    let serve = Serve::start_with(&site, &["prlimit", "--nofile=1024"]);
    // Twice as many as used to close the listener for good under this limit.
    let idle: Vec<TcpStream> = (0..1000)
        .map(|_| TcpStream::connect(&serve.addr).expect("connects"))
        .collect();
    let started = Instant::now();
    assert_eq!(serve.get("/").status, 200);
    assert!(started.elapsed() < Duration::from_secs(10));
    // The threads stay bounded: 256 connections (and up to 32 closed ones ending), the
    // rebuild workers (one a core) and a few of its own.
    let status = std::fs::read_to_string(format!("/proc/{}/status", serve.child.id()));
    if let Some(threads) = status.ok().as_deref().and_then(|s| {
        s.lines()
            .find_map(|l| l.strip_prefix("Threads:"))
            .and_then(|n| n.trim().parse::<usize>().ok())
    }) {
        eprintln!("idle connections: {threads} threads with 1000 connections open");
        let cores = thread::available_parallelism().map_or(1, |n| n.get());
        assert!(threads <= 256 + 32 + cores + 16, "{threads} threads");
    }
    drop(idle);
    assert_eq!(serve.get("/doncaster/").status, 200);
    eprintln!("idle connections: 1000 opened, then 2 requests served");
    assert!(!serve.output().contains("panicked"), "{}", serve.output());
}

#[test]
fn the_rebuild_line_names_only_the_saved_file_and_no_sitemap_without_a_base_url() {
    let (_dir, site) = site_beside_a_secret();
    let serve = Serve::start(&site);
    let file = site.join("procedures/doncaster.yaml");
    // As `sed -i` saves: a temporary file with no extension, renamed over the file.
    let text = std::fs::read_to_string(&file).expect("read");
    let temp = site.join("procedures/sedAzhKdP");
    std::fs::write(
        &temp,
        text.replacen("short_title: Doncaster", "short_title: Sed", 1),
    )
    .expect("write");
    std::fs::rename(&temp, &file).expect("rename");
    let mut line = None;
    for _ in 0..TRIES {
        line = serve
            .output()
            .lines()
            .find(|l| l.contains("doncaster.yaml") && l.contains("changed"))
            .map(str::to_string);
        if line.is_some() {
            break;
        }
        thread::sleep(Duration::from_millis(100));
    }
    let line = line.unwrap_or_else(|| panic!("no rebuild line: {}", serve.output()));
    assert!(
        line.starts_with("procedures/doncaster.yaml changed: re-rendered doncaster"),
        "{line}"
    );
    assert!(!line.contains("sedAzhKdP"), "{line}");
    assert!(!line.contains("sitemap"), "{line}");
}

/// How many inotify watches the process `pid` holds, from /proc (Linux only).
#[cfg(target_os = "linux")]
fn inotify_watches(pid: u32) -> usize {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return 0;
    };
    fds.flatten()
        .filter(|fd| {
            std::fs::read_link(fd.path()).is_ok_and(|t| t.to_string_lossy().contains("inotify"))
        })
        .map(|fd| {
            let info = std::fs::read_to_string(format!(
                "/proc/{pid}/fdinfo/{}",
                fd.file_name().to_string_lossy()
            ))
            .unwrap_or_default();
            info.lines()
                .filter(|l| l.starts_with("inotify wd:"))
                .count()
        })
        .sum()
}

#[test]
#[cfg(unix)]
fn a_file_linked_from_outside_is_an_error_that_reveals_nothing_of_it() {
    let (dir, site) = site_beside_a_secret();
    let passwd = dir.path().join("passwd");
    std::fs::write(&passwd, format!("root:x:0:0:{SECRET}:/root:/bin/sh\n")).expect("passwd");
    let serve = Serve::start(&site);
    let start = serve.wait_until("the first build", |s| s["built"] == true);
    // Links out of the site appear while it is served: a procedure and a page.
    std::os::unix::fs::symlink(&passwd, site.join("procedures/leak.yaml")).expect("link");
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("content/leak.md"))
        .expect("link");
    let broken = serve.wait_until("the errors", |s| s["errors"].as_u64() >= Some(2));
    let shown = broken["diagnostics"].as_str().expect("diagnostics");
    assert!(
        shown.contains("procedures/leak.yaml: error: this is a link that leaves the site folder"),
        "{shown}"
    );
    assert!(
        shown.contains("content/leak.md: error: this is a link that leaves the site folder"),
        "{shown}"
    );
    assert_eq!(version(&broken), version(&start), "nothing reloads");
    let endpoint = serve.get("/__waymark/version").text();
    let page = serve.page("/doncaster/");
    for text in [&endpoint, &page, &serve.output()] {
        assert!(!text.contains(SECRET), "the secret was revealed: {text}");
        assert!(
            !text.contains("root:x"),
            "the password file was revealed: {text}"
        );
    }
    assert_eq!(serve.get("/leak/").status, 404);
    std::fs::remove_file(site.join("procedures/leak.yaml")).expect("rm");
    std::fs::remove_file(site.join("content/leak.md")).expect("rm");
    serve.wait_until("the fix", |s| s["errors"] == 0);

    // A site broken from the start by such a link explains it on every page, with nothing of it.
    std::os::unix::fs::symlink(&passwd, site.join("procedures/leak.yaml")).expect("link");
    drop(serve);
    let serve = Serve::start(&site);
    let status = serve.status();
    assert_eq!(status["built"], false);
    let waiting = serve.get("/");
    assert_eq!(waiting.status, 503);
    for text in [
        &waiting.text(),
        &serve.get("/__waymark/version").text(),
        &serve.output(),
    ] {
        assert!(!text.contains(SECRET) && !text.contains("root:x"), "{text}");
    }
}

#[test]
#[cfg(target_os = "linux")]
fn a_link_to_a_big_folder_outside_is_not_watched_and_hidden_files_are_skipped() {
    let (_dir, site) = site_beside_a_secret();
    let content = site.join("content");
    std::os::unix::fs::symlink("/usr", content.join("usr")).expect("link");
    // Hidden files that editors and systems leave: skipped, whatever they hold.
    std::os::unix::fs::symlink("someone@host.1:1", content.join(".#about.md")).expect("link");
    std::fs::write(content.join("._about.md"), b"\0\x05\x16\x07\0\x02").expect("write");
    std::fs::create_dir_all(content.join(".obsidian")).expect("mkdir");
    std::fs::write(content.join(".obsidian/workspace.md"), "no front matter").expect("write");
    let started = Instant::now();
    let serve = Serve::start(&site);
    let took = started.elapsed();
    let status = serve.status();
    assert_eq!(status["errors"], 1, "{status}");
    let shown = status["diagnostics"].as_str().expect("diagnostics");
    assert!(
        shown.contains("content/usr: error: this is a link that leaves the site folder"),
        "{shown}"
    );
    let watches = inotify_watches(serve.child.id());
    assert!(watches < 200, "{watches} watches: /usr was followed");
    eprintln!("serve answered after {took:?} with {watches} watches");
    std::fs::remove_file(content.join("usr")).expect("rm");
    serve.wait_until("the fix", |s| s["built"] == true && s["errors"] == 0);
    assert_eq!(serve.get("/usr/").status, 404);
    assert_eq!(serve.get("/about/").status, 200);
}
