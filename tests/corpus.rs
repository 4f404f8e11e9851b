//! The benchmark corpus (`examples/corpus.rs`) is a valid site: it passes
//! `waymark check --deny-warnings`, builds with the pages it promises, varies
//! in the ways the benchmark relies on, and is the same for the same seed.

#[path = "../examples/corpus/generator.rs"]
mod generator;
mod support;

use std::collections::BTreeSet;
use std::path::Path;

use support::run;
use waymark::model::NodeKind;

fn generate(procedures: usize, pages: usize, seed: u64) -> (tempfile::TempDir, generator::Summary) {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = generator::Options {
        procedures,
        pages,
        seed,
    };
    let summary = generator::generate(&options, dir.path()).expect("the corpus is written");
    (dir, summary)
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn a_generated_site_checks_clean_and_builds_every_page() {
    let (site, summary) = generate(20, 5, 7);
    let root = path(site.path());
    let (code, stdout, stderr) = run(&[
        "check",
        "--root",
        root,
        "--deny-warnings",
        "--today",
        generator::TODAY,
    ]);
    assert_eq!(code, 0, "check failed:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("checked 20 procedures and 5 pages in "),
        "{stdout}"
    );

    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = out_dir.path().join("public");
    let (code, stdout, stderr) = run(&[
        "build",
        "--root",
        root,
        "-o",
        path(&out),
        "--today",
        generator::TODAY,
    ]);
    assert_eq!(code, 0, "build failed:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("built {} pages", summary.html_pages)),
        "expected {} pages: {stdout}",
        summary.html_pages
    );
    let html = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    assert_eq!(html, summary.html_pages);
    for i in 1..=5 {
        let page = out.join(format!("page-{i:05}/index.html"));
        let text = std::fs::read_to_string(&page).expect("each Markdown page is built");
        assert!(text.contains("<table>"), "{} has its table", page.display());
    }
}

#[test]
fn procedures_vary_as_the_benchmark_needs() {
    let (site, summary) = generate(20, 2, 7);
    let loaded = waymark::load::load_site(site.path());
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(loaded.procedures.len(), 20);
    let mut levels = BTreeSet::new();
    let mut answer_counts = BTreeSet::new();
    let mut units = BTreeSet::new();
    let mut strengths = BTreeSet::new();
    let (mut ranges, mut after, mut before, mut raw_html, mut fees, mut departments) =
        (0, 0, 0, 0, 0, 0);
    for lp in &loaded.procedures {
        let p = &lp.procedure;
        assert!((5..=40).contains(&p.contacts.len()), "{}", lp.slug);
        assert!(
            p.contacts
                .iter()
                .all(|c| c.phone.is_some() || c.email.is_some())
        );
        departments += p
            .contacts
            .iter()
            .filter(|c| !c.departments.is_empty())
            .count();
        fees += p.resources.iter().filter(|r| r.fee.is_some()).count();
        raw_html += usize::from(p.sections.iter().any(|s| s.body.contains("<abbr")));
        assert!(p.summary.contains("**") && p.summary.contains("](https://"));
        assert!(!p.sections.is_empty() && !p.tests.is_empty());
        let stage_levels: BTreeSet<&str> =
            p.nodes.iter().filter_map(|n| n.label.as_deref()).collect();
        assert!((2..=6).contains(&stage_levels.len()), "{}", lp.slug);
        levels.insert(stage_levels.len());
        for n in &p.nodes {
            if n.kind == NodeKind::Decision {
                assert!((2..=4).contains(&n.answers.len()), "{}: {}", lp.slug, n.id);
                answer_counts.insert(n.answers.len());
            }
            for d in &n.deadlines {
                units.insert(format!("{:?}", d.period.unit));
                strengths.insert(format!("{:?}", d.strength));
                ranges += usize::from(d.period.max.is_some());
                after += usize::from(d.after.is_some());
                before += usize::from(d.before.is_some());
                if d.before.is_some() {
                    assert!(d.after.is_none());
                }
            }
        }
    }
    assert_eq!(levels.len(), 5, "2 to 6 stages: {levels:?}");
    assert_eq!(answer_counts.len(), 3, "2 to 4 answers: {answer_counts:?}");
    assert_eq!(units.len(), 4, "every unit: {units:?}");
    assert_eq!(strengths.len(), 4, "every strength: {strengths:?}");
    assert!(ranges > 0 && after > 0 && before > 0 && raw_html > 0 && fees > 0 && departments > 0);
    assert_eq!(summary.units.iter().sum::<usize>(), after + before);
    assert!(
        summary.page_words >= 2 * 600,
        "pages of about 600 words: {}",
        summary.page_words
    );
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("readable"),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_same_seed_gives_the_same_corpus() {
    let (a, _) = generate(6, 3, 42);
    let (b, _) = generate(6, 3, 42);
    let (c, _) = generate(6, 3, 43);
    assert_eq!(snapshot(a.path()), snapshot(b.path()));
    assert_ne!(snapshot(a.path()), snapshot(c.path()));
    // A smaller corpus is the start of a larger one with the same seed.
    let (small, _) = generate(3, 1, 42);
    let large = snapshot(a.path());
    for file in snapshot(small.path()) {
        if file.0.contains("procedures") {
            assert!(large.contains(&file), "{} differs", file.0);
        }
    }
}

#[test]
fn refuses_to_write_into_a_folder_in_use() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("keep.txt"), "mine").expect("write");
    let options = generator::Options {
        procedures: 1,
        pages: 1,
        seed: 1,
    };
    assert!(generator::generate(&options, dir.path()).is_err());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("keep.txt")).expect("kept"),
        "mine"
    );
}
