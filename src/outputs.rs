//! The built site's layout: every path the renderer writes, in one place.
//!
//! The renderer takes its own pages' paths from here, and the checks use the
//! same list to refuse a procedure or page that would be written over one of
//! them, or over another source's files. Nothing here reads or writes files.

/// The home page.
pub const INDEX: &str = "index.html";
/// The page comparing every procedure.
pub const COMPARE: &str = "compare/index.html";
/// The page a host shows for a missing address.
pub const NOT_FOUND: &str = "404.html";
/// The folder of the theme's static files.
pub const ASSETS: &str = "assets";
/// The crawlers' instructions.
pub const ROBOTS: &str = "robots.txt";
/// The sitemap, written when there is a base URL.
pub const SITEMAP: &str = "sitemap.xml";

/// The bank holidays for the guide's date arithmetic, worked out by the build.
pub const HOLIDAYS: &str = "assets/holidays.js";
/// How [`HOLIDAYS`] begins. Only waymark writes it, in every site it builds, so
/// it also tells a folder of waymark's output from anyone else's.
pub const HOLIDAYS_START: &str = "window.WaymarkHolidays = ";

/// The files and folders the renderer writes for the site itself (not for a
/// procedure or a page), with what they are, for messages.
pub const SITE_OUTPUTS: &[(&str, &str)] = &[
    (INDEX, "the home page"),
    (COMPARE, "the page comparing procedures"),
    (NOT_FOUND, "the page-not-found page"),
    (ASSETS, "the theme's files"),
    (ROBOTS, "robots.txt"),
    (SITEMAP, "the sitemap"),
];

/// The site's own output that a procedure or page named `slug` would take or be
/// confused with: one whose first part, without its extension, is the slug's
/// first part (`compare`, `assets`, `404`, `index`, `robots`, `sitemap`). The
/// empty slug (a page at the root, `content/index.md`) takes the home page.
pub fn reserved(slug: &str) -> Option<(&'static str, &'static str)> {
    let first = slug.split('/').next().unwrap_or("");
    if first.is_empty() {
        return SITE_OUTPUTS
            .iter()
            .copied()
            .find(|(path, _)| *path == INDEX);
    }
    SITE_OUTPUTS.iter().copied().find(|(path, _)| {
        let head = path.split('/').next().unwrap_or(path);
        head.split('.').next() == Some(first)
    })
}

/// A procedure's page.
pub fn procedure_page(slug: &str) -> String {
    format!("{slug}/index.html")
}

/// A procedure's download as JSON.
pub fn procedure_json(slug: &str) -> String {
    format!("{slug}.json")
}

/// A guidance page.
pub fn page(slug: &str) -> String {
    format!("{slug}/index.html")
}

/// What one source claims in the output: a file, or a whole folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// One file, by path.
    File(String),
    /// A folder and everything in it, by path (no trailing slash).
    Folder(String),
}

impl Claim {
    /// What a procedure writes: its folder (its page, guide and contacts) and its JSON download.
    pub fn procedure(slug: &str) -> [Claim; 2] {
        [
            Claim::Folder(slug.to_string()),
            Claim::File(procedure_json(slug)),
        ]
    }

    /// What a guidance page writes: its one file. Pages may nest inside each other's folders.
    pub fn page(slug: &str) -> [Claim; 1] {
        [Claim::File(page(slug))]
    }

    /// The path claimed.
    pub fn path(&self) -> &str {
        match self {
            Claim::File(p) | Claim::Folder(p) => p,
        }
    }

    /// Whether two claims overlap: the same file or folder, or a file or folder inside a claimed folder.
    pub fn overlaps(&self, other: &Claim) -> bool {
        let inside = |inner: &str, folder: &str| {
            inner
                .strip_prefix(folder)
                .is_some_and(|rest| rest.starts_with('/'))
        };
        match (self, other) {
            (Claim::File(a), Claim::File(b)) => a == b,
            (Claim::Folder(a), Claim::Folder(b)) => a == b || inside(a, b) || inside(b, a),
            (Claim::File(f), Claim::Folder(d)) | (Claim::Folder(d), Claim::File(f)) => inside(f, d),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_s_own_names_are_reserved_and_others_are_free() {
        for name in ["compare", "assets", "404", "index", "robots", "sitemap", ""] {
            assert!(reserved(name).is_some(), "{name}");
        }
        assert_eq!(reserved("compare/notes").map(|r| r.0), Some(COMPARE));
        for name in [
            "doncaster",
            "about",
            "compare-notes",
            "guide/index-of-terms",
        ] {
            assert_eq!(reserved(name), None, "{name}");
        }
    }

    #[test]
    fn claims_overlap_on_the_same_path_or_inside_a_folder() {
        let [folder, json] = Claim::procedure("a");
        assert!(folder.overlaps(&Claim::page("a")[0]));
        assert!(folder.overlaps(&Claim::page("a/b")[0]));
        assert!(!folder.overlaps(&Claim::page("ab")[0]));
        assert!(json.overlaps(&Claim::File("a.json".into())));
        assert!(!Claim::page("a")[0].overlaps(&Claim::page("a/b")[0]));
    }
}
