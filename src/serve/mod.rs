//! `waymark serve`: builds the site into memory, serves it over HTTP, and
//! rebuilds what an edit affects as soon as a source file changes.
//!
//! Three kinds of thread share one [`Snapshot`] behind a lock: the HTTP
//! workers read it, the rebuild thread replaces it after each rebuild, and
//! the main thread waits for Ctrl-C. Nothing is written to disk: the site
//! lives in memory (see [`crate::serve::incremental`]), so stopping the server
//! leaves the user's folders exactly as they were.
//!
//! Pages reload themselves through a small script that `serve` adds to each
//! HTML page as it sends it (never to built files), which polls
//! `__waymark/version`; when a rebuild fails the last good site stays up and
//! the script shows the errors over every page.

pub mod incremental;

pub mod front;
pub mod http;
pub mod watch;

use std::collections::BTreeSet;
use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, PoisonError, RwLock};

use chrono::NaiveDate;

use crate::diagnostics::{self, Diagnostic, plural};
use crate::render::Job;
use crate::serve::incremental::{Outcome, SiteState};
use http::Snapshot;

/// What to serve, and where.
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The port; 0 takes any free one.
    pub port: u16,
    /// The address to listen on.
    pub bind: IpAddr,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// A fixed date for checks and the date calculator; otherwise today's, at each rebuild.
    pub today: Option<NaiveDate>,
}

/// The snapshot the workers serve from, swapped whole after each rebuild.
#[derive(Default)]
struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
}

impl Shared {
    fn get(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn set(&self, snapshot: Snapshot) {
        *self
            .snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Arc::new(snapshot);
    }
}

/// Runs `waymark serve` until Ctrl-C; returns the exit code.
pub fn serve(options: &ServeOptions) -> ExitCode {
    let root = &options.root;
    let not_a_site = if !root.is_dir() {
        Some(
            Diagnostic::error(root, "the site folder does not exist or is not a folder")
                .with_hint("pass the folder that holds site.yaml with --root DIR"),
        )
    } else if !root.join(crate::load::SITE_FILE).is_file() {
        Some(
            Diagnostic::error(root, "this folder has no site.yaml, so it is not a site").with_hint(
                "pass the site's folder with --root DIR, or run `waymark init DIR` to start one",
            ),
        )
    } else {
        None
    };
    if let Some(problem) = not_a_site {
        crate::diagnostics::print_diagnostics(&[problem]);
        return ExitCode::FAILURE;
    }
    let listener = match bind(options.bind, options.port) {
        Ok(listener) => listener,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let address = listener
        .local_addr()
        .unwrap_or(SocketAddr::new(options.bind, options.port));
    // Watch before the first build, so nothing saved while it runs is missed.
    let watched = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
    let watcher = match watch::Watcher::start(&watched) {
        Ok(watcher) => Some(watcher),
        Err(e) => {
            eprintln!("warning: {e}; pages will not update when files change");
            None
        }
    };
    let today = || {
        options
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    };
    let shared = Arc::new(Shared::default());
    let mut state = SiteState::new(root);
    let mut printed = Vec::new();
    let outcome = state.rebuild(today());
    let mut snapshot = Snapshot::default();
    match &outcome {
        Outcome::Built {
            files,
            warnings,
            elapsed,
            ..
        } => {
            crate::diagnostics::print_diagnostics(warnings);
            printed.clone_from(warnings);
            println!(
                "built the site ({}) in {} ms",
                plural(*files, "file"),
                elapsed.as_millis()
            );
        }
        Outcome::Failed {
            errors,
            failures,
            warnings,
            ..
        } => {
            // Printed as `check` prints them: every problem, sorted by file and line.
            let mut all = errors.clone();
            all.extend(warnings.iter().cloned());
            crate::diagnostics::sort(&mut all);
            crate::diagnostics::print_diagnostics(&all);
            crate::error::print_errors(failures);
            printed.clone_from(warnings);
            eprintln!(
                "the site has {}: serving a page that lists them until they are fixed",
                plural(errors.len() + failures.len(), "error")
            );
        }
    }
    record(&mut snapshot, &state, &outcome);
    shared.set(snapshot);

    // Connections, limits and request checks: see serve/front/.
    let answer = {
        let shared = Arc::clone(&shared);
        move |request: &front::Request| {
            http::respond(
                &shared.get(),
                request.method,
                request.target,
                request.if_none_match,
            )
        }
    };
    let server = match front::Server::start(listener, front::Limits::default(), Arc::new(answer)) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("error: cannot start the web server: {e}");
            return ExitCode::FAILURE;
        }
    };

    let (stopped, on_stop) = std::sync::mpsc::channel();
    let handled = ctrlc::set_handler(move || {
        let _ = stopped.send(());
    });
    if let Err(e) = &handled {
        eprintln!(
            "warning: Ctrl-C will stop the server abruptly (harmless: it writes nothing): {e}"
        );
    }

    let title = state.title().unwrap_or("the site").to_string();
    for (i, url) in urls(address).iter().enumerate() {
        if i == 0 {
            println!("serving {title} at {url}");
        } else {
            println!("  on your network: {url}");
        }
    }
    match watcher {
        Some(watcher) => {
            println!(
                "watching procedures/, content/, themes/ and site.yaml for changes; press Ctrl-C to stop"
            );
            let shared = Arc::clone(&shared);
            let today = options.today;
            std::thread::spawn(move || rebuild_loop(watcher, state, &shared, today, printed));
        }
        None => println!("press Ctrl-C to stop"),
    }
    if options.open
        && let Some(url) = urls(address).first()
    {
        open_browser(url);
    }

    if handled.is_err() {
        // Without a handler, Ctrl-C ends the process where it stands; until then, serve.
        loop {
            std::thread::park();
        }
    }
    let _ = on_stop.recv();
    println!("stopping: nothing was written to disk, so there is nothing to clean up");
    server.stop();
    ExitCode::SUCCESS
}

/// A listening socket whose connections send small writes at once (TCP_NODELAY): tiny_http
/// writes a response's head and body separately, which Nagle's algorithm would hold back.
fn listen(ip: IpAddr, port: u16) -> std::io::Result<TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let address = SocketAddr::new(ip, port);
    let socket = Socket::new(
        Domain::for_address(address),
        Type::STREAM,
        Some(Protocol::TCP),
    )?;
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    socket.bind(&address.into())?;
    socket.listen(128)?;
    Ok(socket.into())
}

/// Binds the listening socket, or explains why it cannot.
fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, String> {
    match listen(ip, port) {
        Ok(listener) => Ok(listener),
        Err(e) if e.kind() == ErrorKind::AddrInUse => {
            let free = (port.saturating_add(1)..=port.saturating_add(100))
                .find(|p| *p != port && listen(ip, *p).is_ok());
            let hint = match free {
                Some(p) => format!(
                    "use the next free port with --port {p}, or any free port with --port 0"
                ),
                None => "use another port with --port N, or any free port with --port 0".into(),
            };
            Err(format!(
                "error: port {port} on {ip} is already in use (is another `waymark serve` or web server running?)\n  = hint: {hint}"
            ))
        }
        Err(e) if e.kind() == ErrorKind::AddrNotAvailable => Err(format!(
            "error: cannot listen on {ip}: this machine has no such address\n  = hint: use --bind 127.0.0.1 for this machine only, or --bind 0.0.0.0 for your network"
        )),
        Err(e) => Err(format!(
            "error: cannot listen on {ip} port {port}: {e}\n  = hint: ports below 1024 need special permission; try --port 8000, or --port 0 for any free port"
        )),
    }
}

/// The addresses to print: this machine's first, then the network's when bound to every address.
fn urls(address: SocketAddr) -> Vec<String> {
    let port = address.port();
    let url = |ip: IpAddr| match ip {
        IpAddr::V4(v4) => format!("http://{v4}:{port}/"),
        IpAddr::V6(v6) => format!("http://[{v6}]:{port}/"),
    };
    let ip = address.ip();
    if !ip.is_unspecified() {
        return vec![url(ip)];
    }
    let local = if ip.is_ipv4() {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)
    };
    let mut list = vec![url(local)];
    if let Ok(interfaces) = if_addrs::get_if_addrs() {
        let mut lan: BTreeSet<String> = BTreeSet::new();
        for interface in interfaces {
            let a = interface.ip();
            if !a.is_loopback() && (a.is_ipv4() || ip.is_ipv6()) {
                lan.insert(url(a));
            }
        }
        list.extend(lan);
    }
    list
}

/// Opens `url` in the default browser, if the system has a way to.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(e) = command {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}

/// Puts a rebuild's outcome into the snapshot the workers serve.
fn record(snapshot: &mut Snapshot, state: &SiteState, outcome: &Outcome) {
    match outcome {
        Outcome::Built { rendered, .. } => {
            if !rendered.is_empty() || snapshot.files.is_none() {
                snapshot.version += 1;
            }
            snapshot.files = state.files();
            snapshot.errors = 0;
            snapshot.diagnostics.clear();
        }
        Outcome::Failed {
            errors, failures, ..
        } => {
            snapshot.errors = errors.len() + failures.len();
            snapshot.diagnostics = errors
                .iter()
                .map(|d| d.render() + "\n")
                .chain(failures.iter().map(|e| e.render() + "\n"))
                .collect();
        }
    }
}

/// Rebuilds after each change until watching stops.
fn rebuild_loop(
    mut watcher: watch::Watcher,
    mut state: SiteState,
    shared: &Shared,
    today: Option<NaiveDate>,
    mut printed: Vec<Diagnostic>,
) {
    while let Some(changed) = watcher.next_change() {
        let outcome = state.rebuild_after(
            &changed,
            today.unwrap_or_else(|| chrono::Local::now().date_naive()),
        );
        // Serve the new site first, then say what happened.
        let mut snapshot = Snapshot::clone(&shared.get());
        snapshot.rebuilds += 1;
        record(&mut snapshot, &state, &outcome);
        shared.set(snapshot);
        let what = changed_files(&watcher.worth_naming(&changed));
        let warnings = match &outcome {
            Outcome::Built { warnings, .. } | Outcome::Failed { warnings, .. } => warnings,
        };
        if *warnings != printed {
            crate::diagnostics::print_diagnostics(warnings);
            printed.clone_from(warnings);
        }
        match &outcome {
            Outcome::Built {
                rendered,
                files_rendered,
                elapsed,
                ..
            } => println!(
                "{what}: {} in {} ms",
                describe(rendered, *files_rendered, &state),
                elapsed.as_millis()
            ),
            Outcome::Failed {
                errors,
                failures,
                elapsed,
                ..
            } => {
                crate::diagnostics::print_diagnostics(errors);
                crate::error::print_errors(failures);
                let count = errors.len() + failures.len();
                eprintln!(
                    "{what}: {} found in {} ms; still serving the last good site, with the {} shown on every page",
                    plural(count, "error"),
                    elapsed.as_millis(),
                    if count == 1 { "error" } else { "errors" }
                );
            }
        }
    }
}

/// "procedures/doncaster.yaml changed", naming at most three files.
fn changed_files(changed: &BTreeSet<PathBuf>) -> String {
    let names: Vec<String> = changed
        .iter()
        .map(|p| diagnostics::display_path(p))
        .collect();
    match names.len() {
        0 => "nothing changed".into(),
        1..=3 => format!("{} changed", names.join(", ")),
        n => format!("{}, and {} more changed", names[..3].join(", "), n - 3),
    }
}

/// "re-rendered doncaster, index, compare (31 files)".
fn describe(rendered: &[Job], files: usize, state: &SiteState) -> String {
    if rendered.is_empty() {
        return "nothing to re-render".into();
    }
    let total = state.files().map_or(0, |f| f.len());
    if files == total {
        return format!("re-rendered everything ({})", plural(files, "file"));
    }
    // The pages edited first, then the ones that list them.
    let (own, lists): (Vec<&Job>, Vec<&Job>) = rendered
        .iter()
        .partition(|j| matches!(j, Job::Procedure(_) | Job::Page(_)));
    // `robots.txt` is always rewritten with the procedures; it is worth naming only with a sitemap.
    let sitemap = state.files().is_some_and(|f| f.contains_key("sitemap.xml"));
    let labels: Vec<&str> = own
        .into_iter()
        .chain(lists)
        .filter(|j| sitemap || **j != Job::Meta)
        .map(Job::label)
        .collect();
    let named = if labels.len() <= 5 {
        labels.join(", ")
    } else {
        format!("{}, and {} more", labels[..5].join(", "), labels.len() - 5)
    };
    format!("re-rendered {named} ({})", plural(files, "file"))
}
