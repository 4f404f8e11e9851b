//! A build killed at any moment (kill -9, which no handler can catch) never
//! loses the site: the output is always the whole old site or the whole new
//! one, and the next build leaves nothing of the killed one behind. Also the
//! repairs a build makes after one that died: a stranded old site is put
//! back, and staging folders are removed even when their process id has been
//! reused.

#[path = "../examples/corpus/generator.rs"]
mod generator;
mod support;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every file under `dir` with a hash of its bytes; `None` if `dir` is missing.
fn tree(dir: &Path) -> Option<BTreeMap<String, u64>> {
    if !dir.is_dir() {
        return None;
    }
    Some(
        support::files_in(dir)
            .into_iter()
            .map(|(rel, path)| {
                let mut hasher = std::hash::DefaultHasher::new();
                std::fs::read(path).expect("readable").hash(&mut hasher);
                (rel, hasher.finish())
            })
            .collect(),
    )
}

fn build_command(root: &Path, out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_waymark"));
    command
        .args(["build", "--root"])
        .arg(root)
        .arg("-o")
        .arg(out)
        .args(["--today", generator::TODAY])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

fn build(root: &Path, out: &Path) -> Duration {
    let started = Instant::now();
    let output = build_command(root, out).output().expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    started.elapsed()
}

/// The staging folders beside the output.
fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".waymark-"))
        .collect()
}

/// A small deterministic generator for the kill times (splitmix64), seeded from the clock.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % n.max(1)
    }
}

fn set_title(root: &Path, title: &str) {
    let file = root.join("site.yaml");
    let text = std::fs::read_to_string(&file).expect("site.yaml");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let line = lines
        .iter_mut()
        .find(|l| l.starts_with("title:"))
        .expect("a title line");
    *line = format!("title: \"{title}\"");
    std::fs::write(&file, lines.join("\n") + "\n").expect("write");
}

#[test]
fn a_build_killed_at_twenty_random_moments_never_loses_the_site() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    let options = generator::Options {
        procedures: 150,
        pages: 1,
        seed: 3,
    };
    generator::generate(&options, &root).expect("the corpus is written");
    // The two sites the output may hold, built whole for reference: every page differs.
    let titles = ["The old site", "The new site"];
    let mut references = Vec::new();
    let mut longest = Duration::ZERO;
    for (i, title) in titles.iter().enumerate() {
        set_title(&root, title);
        let reference = dir.path().join(format!("reference-{i}"));
        longest = longest.max(build(&root, &reference));
        references.push(tree(&reference).expect("built"));
    }
    assert_ne!(references[0], references[1]);
    let out = dir.path().join("public");
    build(&root, &out);
    let mut holds = 1;

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
        | 1;
    eprintln!("kill times from seed {seed}; a build takes about {longest:?}");
    let mut random = Random(seed);
    // Builds after the first are often quicker (files are cached): each one that
    // finishes before its kill time shortens the span the kill times are drawn from.
    let mut span = (longest.as_millis() as u64).max(10);
    let (mut kills, mut finished, mut failures) = (0, 0, Vec::new());
    let mut left_over = 0;
    // Twenty kills; a build that ends before its kill time is not counted.
    for i in 0..200 {
        if kills == 20 {
            break;
        }
        let next = 1 - holds;
        set_title(&root, titles[next]);
        // Half anywhere in the build, half towards its end, where the site is swapped
        // (a build takes longer or shorter as the machine is busy).
        let delay = if i % 2 == 0 {
            random.below(span)
        } else {
            span * 7 / 10 + random.below(span * 6 / 10)
        };
        let mut child = build_command(&root, &out).spawn().expect("starts");
        std::thread::sleep(Duration::from_millis(delay));
        let done = child.try_wait().expect("wait").is_some();
        if done {
            finished += 1;
            span = (span * 3 / 4).max(10);
        } else {
            child.kill().expect("kill -9");
            kills += 1;
        }
        child.wait().expect("reaped");
        match tree(&out) {
            None => failures.push(format!("kill {i} at {delay} ms: the output is missing")),
            Some(t) if t == references[holds] => {}
            Some(t) if t == references[next] => holds = next,
            Some(t) => failures.push(format!(
                "kill {i} at {delay} ms: the output is neither site ({} files)",
                t.len()
            )),
        }
        // A build killed before it began leaves its predecessors' folders for the next.
        let left = leftovers(dir.path());
        left_over = left_over.max(left.len());
        eprintln!(
            "kill {i} at {delay} ms{}: the output holds the {} site; beside it {left:?}",
            if done { " (had finished)" } else { "" },
            ["old", "new"][holds]
        );
    }
    eprintln!(
        "{kills} builds killed, {finished} finished first, {} failures; at most {left_over} staging folders at once",
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(kills, 20, "twenty builds killed mid-way");
    // The next build completes, and nothing of the killed ones is left.
    let last = 1 - holds;
    set_title(&root, titles[last]);
    build(&root, &out);
    assert_eq!(tree(&out).as_ref(), Some(&references[last]));
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

/// The repository's site built into `<temp>/public`.
fn built_site() -> (tempfile::TempDir, PathBuf) {
    let site = support::copy_of_repo_site();
    let out = site.path().join("public");
    let (code, _, stderr) = support::build_into(site.path(), &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    (site, out)
}

#[test]
fn an_old_site_stranded_between_two_renames_is_put_back_even_by_a_failing_build() {
    let (site, out) = built_site();
    let before = tree(&out).expect("built");
    // A build without an atomic exchange, killed between its renames; pid 1 is alive, so
    // only the lock can tell this folder's build is gone.
    let stranded = site.path().join(".public.waymark-old-1");
    std::fs::rename(&out, &stranded).expect("move aside");
    let half = site.path().join(".public.waymark-new-1");
    std::fs::create_dir_all(half.join("doncaster")).expect("mkdir");
    std::fs::write(half.join("doncaster/index.html"), "half").expect("write");
    let foreign = site.path().join(".elsewhere.waymark-new-77");
    std::fs::create_dir_all(&foreign).expect("mkdir");
    // The site is broken: the build fails, but first repairs the output.
    let file = site.path().join("procedures/doncaster.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replace("next: after-stage-1", "next: nowhere")).expect("write");
    let (code, _, _) = support::build_into(site.path(), &out, &[]);
    assert_eq!(code, 1);
    assert_eq!(tree(&out).as_ref(), Some(&before), "the old site is back");
    assert!(!stranded.exists() && !half.exists());
    assert!(foreign.exists(), "another output's folders are not touched");
}

#[test]
fn builds_into_one_folder_at_once_take_turns_and_leave_nothing() {
    let (site, out) = built_site();
    let before = tree(&out).expect("built");
    let children: Vec<_> = (0..3)
        .map(|_| build_command(site.path(), &out).spawn().expect("starts"))
        .collect();
    for child in children {
        let output = child.wait_with_output().expect("ends");
        assert!(output.status.success());
    }
    assert_eq!(tree(&out).as_ref(), Some(&before));
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
}
