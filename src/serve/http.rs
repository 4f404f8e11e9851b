//! Answering one request from the site in memory: safe paths, content types,
//! `index.html` for folders, the site's 404 page, conditional requests, and
//! the live-reload script injected into HTML as it is sent.
//!
//! Only files of the last good build can be served: they are looked up by
//! name in a map, so nothing outside the site (or anything else on the disk)
//! is ever read. Request paths are still checked, and the forms used to
//! escape a folder (`..`, encoded dots, slashes and backslashes, NUL,
//! absolute and over-long paths) are refused with 400 and no detail.

use std::sync::Arc;

use crate::serve::incremental::{SiteFile, SiteFiles};

/// Where the live-reload files live, under the site root.
pub const LIVE_PREFIX: &str = "__waymark/";
/// Requests longer than this are refused.
pub const MAX_URL: usize = 2048;

const LIVE_JS: &str = include_str!("live.js");
const LIVE_CSS: &str = include_str!("live.css");

/// The policy sent with every response; the site and the live script keep to it.
/// No other site may show the preview in a frame (nor, with `X-Frame-Options`, may older browsers).
pub const CSP: &str = "default-src 'self'; frame-ancestors 'none'";

/// What the server is serving at one moment.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    /// The last good build's files; `None` until the first good build.
    pub files: Option<Arc<SiteFiles>>,
    /// Goes up each time the served site changes: pages reload when it does.
    pub version: u64,
    /// Rebuilds after the first build, good or failed.
    pub rebuilds: u64,
    /// How many errors the last build found.
    pub errors: usize,
    /// Those errors as the terminal shows them; empty after a good build.
    pub diagnostics: String,
}

/// A response body.
pub enum Body {
    /// A file of the site, shared, not copied.
    File(Arc<SiteFile>),
    /// Bytes made for this response.
    Owned(Vec<u8>),
    /// Built into the binary.
    Static(&'static [u8]),
}

impl AsRef<[u8]> for Body {
    fn as_ref(&self) -> &[u8] {
        match self {
            Body::File(f) => &f.bytes,
            Body::Owned(b) => b,
            Body::Static(b) => b,
        }
    }
}

/// The answer to a request: status, headers (beyond the common ones) and body.
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// Header names and values.
    pub headers: Vec<(&'static str, String)>,
    /// The body; for HEAD it is measured but not sent.
    pub body: Body,
}

impl Reply {
    fn new(status: u16, content_type: &str, body: Body) -> Self {
        Reply {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }

    fn text(status: u16, text: &'static str) -> Self {
        Reply::new(
            status,
            "text/plain; charset=utf-8",
            Body::Static(text.as_bytes()),
        )
    }
}

/// The headers every response carries.
pub fn common_headers() -> [(&'static str, &'static str); 5] {
    [
        ("Cache-Control", "no-store"),
        ("Content-Security-Policy", CSP),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
    ]
}

/// A request path that passed the checks.
#[derive(Debug, PartialEq, Eq)]
struct Target<'a> {
    /// The decoded path without the leading slash, e.g. `doncaster/index.html` or `doncaster/`.
    path: String,
    /// The query, with its `?`, or empty.
    query: &'a str,
    /// How many folders deep the page is, as the browser sees it.
    depth: usize,
}

/// Checks a request target and decodes its path; `None` means refuse it.
fn parse_target(url: &str) -> Option<Target<'_>> {
    if url.len() > MAX_URL {
        return None;
    }
    let (raw, query) = match url.find(['?', '#']) {
        Some(i) if url[i..].starts_with('?') => {
            let end = url.find('#').unwrap_or(url.len());
            (&url[..i], &url[i..end])
        }
        Some(i) => (&url[..i], ""),
        None => (url, ""),
    };
    // Only origin-form paths: not `*`, `http://…`, or `//host/…`; no backslashes.
    if !raw.starts_with('/') || raw.starts_with("//") || raw.contains('\\') {
        return None;
    }
    let mut bytes = Vec::with_capacity(raw.len());
    let mut rest = raw.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            let hex = tail.get(..2)?;
            let value = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            // An encoded slash or backslash would let one segment reach into another.
            if value == b'/' || value == b'\\' {
                return None;
            }
            bytes.push(value);
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    if bytes.iter().any(|&b| b < 0x20 || b == 0x7f || b == b'\\') {
        return None;
    }
    let path = String::from_utf8(bytes).ok()?;
    let path = path.strip_prefix('/')?.to_string();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    for (i, s) in segments.iter().enumerate() {
        if (s.is_empty() && i != last) || *s == "." || *s == ".." {
            return None;
        }
    }
    Some(Target {
        depth: raw.matches('/').count() - 1,
        path,
        query,
    })
}

/// The content type for a file name.
pub fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "csv" => "text/csv; charset=utf-8",
        "vcf" => "text/vcard; charset=utf-8",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "ics" => "text/calendar; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Whether an `If-None-Match` header matches `etag` (weak comparison, as for GET).
fn matches_etag(header: &str, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    header.trim() == "*" || header.split(',').any(|t| bare(t) == bare(etag))
}

/// Puts the live-reload script into an HTML page, before `</head>` (or at the end).
fn inject(html: &[u8], depth: usize, version: u64) -> Vec<u8> {
    let tag = format!(
        "<script src=\"{}{LIVE_PREFIX}live.js?v={version}\" defer></script>\n",
        "../".repeat(depth)
    );
    let at = html
        .windows(7)
        .position(|w| w.eq_ignore_ascii_case(b"</head>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// A file of the site as a reply: HTML gets the live script; `If-None-Match` may give 304.
fn file_reply(
    status: u16,
    file: &Arc<SiteFile>,
    target: &Target,
    snapshot: &Snapshot,
    if_none_match: Option<&str>,
) -> Reply {
    let kind = content_type(&file.path);
    let html = kind.starts_with("text/html");
    let etag = if html {
        format!(
            "\"{}-live{}\"",
            file.etag.trim_matches('"'),
            snapshot.version
        )
    } else {
        file.etag.clone()
    };
    if status == 200 && if_none_match.is_some_and(|h| matches_etag(h, &etag)) {
        let mut reply = Reply::new(304, kind, Body::Static(b""));
        reply.headers = vec![("ETag", etag)];
        return reply;
    }
    let body = if html {
        Body::Owned(inject(&file.bytes, target.depth, snapshot.version))
    } else {
        Body::File(Arc::clone(file))
    };
    let mut reply = Reply::new(status, kind, body);
    if status == 200 {
        reply.headers.push(("ETag", etag));
    }
    reply
}

/// The page shown before the site has ever built: the live script shows why, and reloads it when fixed.
fn waiting_page(target: &Target, snapshot: &Snapshot) -> Reply {
    let html = b"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>The site could not be built</title>\n</head>\n<body>\n<main>\n\
<h1>The site could not be built</h1>\n\
<p>waymark serve found errors in the site's files, listed here and in the terminal. \
Fix them and save: this page reloads by itself.</p>\n</main>\n</body>\n</html>\n";
    let mut reply = Reply::new(
        503,
        "text/html; charset=utf-8",
        Body::Owned(inject(html, target.depth, snapshot.version)),
    );
    reply.headers.push(("Retry-After", "1".to_string()));
    reply
}

/// Answers a request.
pub fn respond(snapshot: &Snapshot, method: &str, url: &str, if_none_match: Option<&str>) -> Reply {
    if method != "GET" && method != "HEAD" {
        let mut reply = Reply::text(405, "Only GET and HEAD are allowed.\n");
        reply.headers.push(("Allow", "GET, HEAD".to_string()));
        return reply;
    }
    let Some(target) = parse_target(url) else {
        return Reply::text(400, "Bad request.\n");
    };
    if let Some(name) = target.path.strip_prefix(LIVE_PREFIX) {
        return match name {
            "live.js" => Reply::new(200, content_type(name), Body::Static(LIVE_JS.as_bytes())),
            "live.css" => Reply::new(200, content_type(name), Body::Static(LIVE_CSS.as_bytes())),
            "version" => Reply::new(
                200,
                "application/json",
                Body::Owned(
                    serde_json::json!({
                        "version": snapshot.version,
                        "built": snapshot.files.is_some(),
                        "rebuilds": snapshot.rebuilds,
                        "errors": snapshot.errors,
                        "diagnostics": snapshot.diagnostics,
                    })
                    .to_string()
                    .into_bytes(),
                ),
            ),
            _ => Reply::text(404, "Not found.\n"),
        };
    }
    let Some(files) = &snapshot.files else {
        return waiting_page(&target, snapshot);
    };
    let key = if target.path.is_empty() || target.path.ends_with('/') {
        format!("{}index.html", target.path)
    } else {
        target.path.clone()
    };
    if let Some(file) = files.get(key.as_str()) {
        return file_reply(200, file, &target, snapshot, if_none_match);
    }
    if !target.path.is_empty()
        && !target.path.ends_with('/')
        && files.contains_key(format!("{key}/index.html").as_str())
    {
        // A folder asked for without its slash: relative links need it.
        let last = url[..url.find(['?', '#']).unwrap_or(url.len())]
            .rsplit('/')
            .next()
            .unwrap_or_default();
        let mut reply = Reply::text(301, "Moved.\n");
        reply
            .headers
            .push(("Location", format!("{last}/{}", target.query)));
        return reply;
    }
    match files.get("404.html") {
        Some(page) => file_reply(404, page, &target, snapshot, None),
        None => Reply::text(404, "Not found.\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot() -> Snapshot {
        let mut files = SiteFiles::new();
        for (path, body) in [
            (
                "index.html",
                "<html><head><title>Home</title></head><body>home</body></html>",
            ),
            (
                "doncaster/index.html",
                "<html><head></head><body>doncaster</body></html>",
            ),
            ("404.html", "<html><head></head><body>lost</body></html>"),
            ("assets/style.css", "body{}"),
        ] {
            files.insert(
                path.into(),
                Arc::new(SiteFile {
                    path: path.to_string(),
                    bytes: body.as_bytes().to_vec(),
                    etag: format!("\"{}\"", path.len()),
                }),
            );
        }
        Snapshot {
            files: Some(Arc::new(files)),
            version: 7,
            ..Snapshot::default()
        }
    }

    fn get(url: &str) -> Reply {
        respond(&snapshot(), "GET", url, None)
    }

    fn body(reply: &Reply) -> String {
        String::from_utf8_lossy(reply.body.as_ref()).into_owned()
    }

    fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
        reply
            .headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn serves_files_folders_and_the_404_page() {
        let home = get("/");
        assert_eq!(home.status, 200);
        assert!(body(&home).contains("home"));
        assert_eq!(
            header(&home, "Content-Type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(get("/doncaster/").status, 200);
        assert_eq!(get("/doncaster/index.html?x=1").status, 200);
        let css = get("/assets/style.css");
        assert_eq!(
            header(&css, "Content-Type"),
            Some("text/css; charset=utf-8")
        );
        assert_eq!(body(&css), "body{}");
        let moved = get("/doncaster?a=b");
        assert_eq!(moved.status, 301);
        assert_eq!(header(&moved, "Location"), Some("doncaster/?a=b"));
        let missing = get("/no/such/page.html");
        assert_eq!(missing.status, 404);
        assert!(body(&missing).contains("lost"));
        assert_eq!(get("/__waymark/nothing").status, 404);
        assert_eq!(respond(&snapshot(), "POST", "/", None).status, 405);
    }

    #[test]
    fn injects_the_live_script_relative_to_the_page() {
        assert!(
            body(&get("/"))
                .contains("<script src=\"__waymark/live.js?v=7\" defer></script>\n</head>")
        );
        assert!(body(&get("/doncaster/")).contains("src=\"../__waymark/live.js?v=7\""));
        assert!(body(&get("/a/b/c")).contains("src=\"../../__waymark/live.js?v=7\""));
        assert!(!body(&get("/assets/style.css")).contains("live.js"));
    }

    #[test]
    fn answers_conditional_requests() {
        let css = get("/assets/style.css");
        let etag = header(&css, "ETag").expect("etag").to_string();
        let again = respond(&snapshot(), "GET", "/assets/style.css", Some(&etag));
        assert_eq!(again.status, 304);
        assert_eq!(body(&again), "");
        let weak = format!("\"x\", W/{etag}");
        assert_eq!(
            respond(&snapshot(), "GET", "/assets/style.css", Some(&weak)).status,
            304
        );
        assert_eq!(
            respond(&snapshot(), "GET", "/assets/style.css", Some("\"other\"")).status,
            200
        );
        let page = get("/");
        let etag = header(&page, "ETag").expect("etag").to_string();
        assert_eq!(respond(&snapshot(), "GET", "/", Some(&etag)).status, 304);
    }

    #[test]
    fn refuses_every_way_out_of_the_site() {
        for url in [
            "/../etc/passwd",
            "/assets/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/%2e%2e/secret.txt",
            "/.%2e/secret.txt",
            "/assets%2f..%2f..%2fsecret.txt",
            "/assets%2F..%2F..%2Fsecret.txt",
            "/..%5c..%5csecret.txt",
            "/..\\..\\secret.txt",
            "/./index.html",
            "//etc/passwd",
            "http://example.org/index.html",
            "etc/passwd",
            "*",
            "/index.html%00.css",
            "/%0a",
            "/%zz",
            "/%c0%ae%c0%ae/secret.txt",
            "/a//b",
        ] {
            let reply = get(url);
            assert_eq!(reply.status, 400, "{url}");
            assert_eq!(body(&reply), "Bad request.\n", "{url}");
        }
        let long = format!("/{}", "a/".repeat(MAX_URL));
        assert_eq!(get(&long).status, 400);
    }

    #[test]
    fn knows_the_content_types_of_the_site() {
        for (path, kind) in [
            ("a/index.html", "text/html; charset=utf-8"),
            ("a.json", "application/json"),
            ("a/contacts.csv", "text/csv; charset=utf-8"),
            ("a/contacts.vcf", "text/vcard; charset=utf-8"),
            ("assets/favicon.svg", "image/svg+xml"),
            ("assets/wizard.js", "text/javascript; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("sitemap.xml", "application/xml"),
            ("LICENSE", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), kind, "{path}");
        }
    }

    #[test]
    fn before_the_first_good_build_every_page_explains() {
        let waiting = Snapshot {
            errors: 1,
            diagnostics: "site.yaml: error: x\n".into(),
            ..Snapshot::default()
        };
        let reply = respond(&waiting, "GET", "/doncaster/", None);
        assert_eq!(reply.status, 503);
        assert!(body(&reply).contains("../__waymark/live.js"));
        let version = respond(&waiting, "GET", "/__waymark/version", None);
        let json: serde_json::Value = serde_json::from_slice(version.body.as_ref()).expect("json");
        assert_eq!(json["errors"], 1);
        assert_eq!(json["diagnostics"], "site.yaml: error: x\n");
    }
}
