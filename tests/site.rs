//! The built site as a reader meets it: builds the repository's own site with
//! the real binary, parses every page, follows every link and anchor, and
//! checks each procedure page against its YAML.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use scraper::{Html, Selector};
use support::{build_site, repo_root, run};

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("valid selector")
}

fn parse(path: &Path) -> Html {
    Html::parse_document(&std::fs::read_to_string(path).expect("page is UTF-8"))
}

/// Resolves `href` found on page `from` (both relative to the output root) to a path and fragment.
fn resolve(from: &str, href: &str) -> (String, Option<String>) {
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    if path.is_empty() {
        return (from.to_string(), fragment);
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for piece in path.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    (parts.join("/"), fragment)
}

#[test]
fn every_page_type_is_written() {
    let (_dir, out) = build_site(&repo_root(), &[]);
    let all = support::files_in(&out);
    for expected in [
        "index.html",
        "compare/index.html",
        "404.html",
        "robots.txt",
        "assets/style.css",
        "about/index.html",
        "what-is-a-compact/index.html",
        "using-the-guide/index.html",
        "accessibility/index.html",
    ] {
        assert!(all.contains_key(expected), "{expected} missing");
    }
    for county in [
        "oxfordshire",
        "gloucestershire",
        "doncaster",
        "staffordshire",
        "worcestershire",
    ] {
        for suffix in ["/index.html", "/contacts.csv", "/contacts.vcf", ".json"] {
            let path = format!("{county}{suffix}");
            assert!(all.contains_key(&path), "{path} missing");
        }
    }
    assert!(
        !all.contains_key("sitemap.xml"),
        "no sitemap without a base URL"
    );
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    let (_dir, out) = build_site(&repo_root(), &[]);
    let all = support::files_in(&out);
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut links: Vec<(String, String)> = Vec::new();
    for (rel, path) in all.iter().filter(|(r, _)| r.ends_with(".html")) {
        let doc = parse(path);
        let page_ids: BTreeSet<String> = doc
            .select(&sel("[id]"))
            .filter_map(|e| e.value().attr("id").map(str::to_string))
            .collect();
        ids.insert(rel.clone(), page_ids);
        for e in doc.select(&sel("a[href], link[href], script[src], img[src]")) {
            let v = e.value();
            let target = v.attr("href").or_else(|| v.attr("src")).unwrap_or_default();
            links.push((rel.clone(), target.to_string()));
        }
    }
    let mut checked = 0;
    for (from, href) in &links {
        if href.starts_with("http://")
            || href.starts_with("https://")
            || href.starts_with("mailto:")
            || href.starts_with("tel:")
        {
            continue;
        }
        assert!(
            !href.starts_with('/'),
            "{from}: link {href} is not relative"
        );
        if from == "404.html" {
            continue; // served at any depth; checked separately
        }
        let (path, fragment) = resolve(from, href);
        assert!(
            all.contains_key(&path),
            "{from}: link {href} points at missing {path}"
        );
        if let Some(fragment) = fragment {
            let known = ids.get(&path).expect("anchors only into pages");
            assert!(
                known.contains(&fragment),
                "{from}: link {href}: no #{fragment} in {path}"
            );
        }
        checked += 1;
    }
    assert!(checked > 200, "only {checked} internal links were checked");
}

#[test]
fn pages_are_self_contained_and_script_free_inline() {
    let (_dir, out) = build_site(&repo_root(), &[]);
    for (rel, path) in support::files_in(&out)
        .iter()
        .filter(|(r, _)| r.ends_with(".html"))
    {
        let doc = parse(path);
        assert_eq!(
            doc.select(&sel("style")).count(),
            0,
            "{rel} has a <style> element"
        );
        assert_eq!(
            doc.select(&sel("[style]")).count(),
            0,
            "{rel} has a style attribute"
        );
        for script in doc.select(&sel("script")) {
            let src = script.value().attr("src");
            assert!(src.is_some(), "{rel} has an inline script");
            assert!(
                !src.unwrap_or_default().contains("//"),
                "{rel} loads a third-party script"
            );
        }
        for e in doc.select(&sel("link[href], img[src], iframe, object, embed")) {
            let v = e.value();
            let target = v.attr("href").or_else(|| v.attr("src")).unwrap_or_default();
            let is_canonical = v.attr("rel") == Some("canonical");
            assert!(
                is_canonical || !target.contains("//"),
                "{rel} requests {target} from another site"
            );
        }
        for e in doc.select(&sel("*")) {
            for (name, _) in e.value().attrs() {
                assert!(
                    !name.starts_with("on"),
                    "{rel} has an event handler attribute {name}"
                );
            }
        }
        assert_eq!(
            doc.select(&sel("h1")).count(),
            1,
            "{rel} should have exactly one h1"
        );
        assert!(
            doc.select(&sel("html[lang]")).count() == 1,
            "{rel} lacks a language"
        );
        assert!(
            doc.select(&sel("a.skip-link[href='#main']")).count() == 1,
            "{rel} lacks a skip link"
        );
    }
}

#[test]
fn each_procedure_page_carries_all_of_its_yaml() {
    let (_dir, out) = build_site(&repo_root(), &[]);
    let site = waymark::load::load_site(&repo_root());
    assert_eq!(site.procedures.len(), 6);
    for lp in &site.procedures {
        let doc = parse(&out.join(&lp.slug).join("index.html"));
        let text: String = doc.root_element().text().collect::<Vec<_>>().join(" ");
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let p = &lp.procedure;
        assert!(text.contains(&squash(&p.title)), "{}: title", lp.slug);
        for node in &p.nodes {
            let section = doc
                .select(&sel(&format!("#node-{}", node.id)))
                .next()
                .unwrap_or_else(|| panic!("{}: no section for node {}", lp.slug, node.id));
            let section_text = squash(&section.text().collect::<Vec<_>>().join(" "));
            if let Some(label) = &node.label {
                assert!(
                    section_text.contains(&squash(label)),
                    "{}: {} label",
                    lp.slug,
                    node.id
                );
            }
            for step in &node.steps {
                if let Some(r) = &step.reference {
                    assert!(section_text.contains(&squash(r)), "{}: step {r}", lp.slug);
                }
            }
            for d in &node.deadlines {
                assert!(
                    section_text.contains(&squash(&d.wording)),
                    "{}: deadline wording {}",
                    lp.slug,
                    d.wording
                );
                assert!(
                    section_text.contains(&squash(&d.what)),
                    "{}: deadline {}",
                    lp.slug,
                    d.what
                );
            }
        }
        let table = doc.select(&sel("table.contacts")).next();
        if p.contacts.is_empty() {
            continue;
        }
        let table = table.unwrap_or_else(|| panic!("{}: no contacts table", lp.slug));
        assert_eq!(table.select(&sel("caption")).count(), 1);
        assert_eq!(
            table.select(&sel("tbody tr")).count(),
            p.contacts.len(),
            "{}: one row per contact",
            lp.slug
        );
        assert_eq!(
            table.select(&sel("tbody th[scope=row]")).count(),
            p.contacts.len()
        );
        for c in &p.contacts {
            if let Some(phone) = &c.phone {
                let tel = waymark::model::contact::tel_uri(phone, "+44").expect("valid phone");
                let link = table
                    .select(&sel(&format!("a[href='{tel}']")))
                    .next()
                    .unwrap_or_else(|| panic!("{}: no link for {phone}", lp.slug));
                assert_eq!(
                    link.text().collect::<String>(),
                    *phone,
                    "shown as published"
                );
            }
            if let Some(email) = &c.email {
                assert!(
                    table
                        .select(&sel(&format!("a[href='mailto:{email}']")))
                        .next()
                        .is_some(),
                    "{}: no mailto for {email}",
                    lp.slug
                );
            }
        }
    }
}

#[test]
fn oxfordshire_lists_all_fourteen_contacts_with_departments_as_a_hierarchy() {
    let (_dir, out) = build_site(&repo_root(), &[]);
    let doc = parse(&out.join("oxfordshire/index.html"));
    let rows: Vec<_> = doc.select(&sel("table.contacts tbody tr")).collect();
    assert_eq!(rows.len(), 14);
    assert_eq!(
        doc.select(&sel("table.contacts [rowspan], table.contacts [colspan]"))
            .count(),
        0
    );
    let fire = rows
        .iter()
        .find(|r| r.text().any(|t| t.contains("Risk Reduction")))
        .expect("the fire and rescue row");
    let departments: Vec<String> = fire
        .select(&sel("th .departments li"))
        .map(|li| li.text().collect::<String>())
        .collect();
    assert_eq!(departments, ["Community Safety", "Fire & Rescue"]);
    assert!(
        doc.select(&sel("a[href='tel:+441993861000']"))
            .next()
            .is_some(),
        "West Oxfordshire's number as a tel: link"
    );
}

#[test]
fn downloads_hold_every_contact() {
    let (_dir, out) = build_site(&repo_root(), &[]);
    let csv = std::fs::read_to_string(out.join("staffordshire/contacts.csv")).expect("csv");
    assert_eq!(csv.lines().count(), 5, "header and four contacts");
    assert!(csv.contains("tim.leese@staffordshire.gov.uk"));
    let vcf = std::fs::read_to_string(out.join("staffordshire/contacts.vcf")).expect("vcf");
    assert_eq!(vcf.matches("BEGIN:VCARD").count(), 4);
    assert!(vcf.contains("TEL;VALUE=uri;TYPE=work:tel:+447814372627"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("doncaster.json")).expect("json"))
            .expect("valid JSON");
    assert_eq!(json["start"], "stage-1");
    assert!(json["nodes"].as_array().is_some_and(|n| n.len() >= 8));
}

#[test]
fn a_base_url_adds_a_sitemap_and_canonical_links_only() {
    let (_dir, out) = build_site(
        &repo_root(),
        &["--base-url", "https://example.org/compact/"],
    );
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).expect("sitemap");
    assert!(sitemap.contains("<loc>https://example.org/compact/doncaster/</loc>"));
    let doc = parse(&out.join("doncaster/index.html"));
    let canonical = doc
        .select(&sel("link[rel=canonical]"))
        .next()
        .expect("canonical");
    assert_eq!(
        canonical.value().attr("href"),
        Some("https://example.org/compact/doncaster/")
    );
    let stylesheet = doc
        .select(&sel("link[rel=stylesheet]"))
        .next()
        .expect("css");
    assert_eq!(
        stylesheet.value().attr("href"),
        Some("../assets/style.css"),
        "links stay relative"
    );
    let robots = std::fs::read_to_string(out.join("robots.txt")).expect("robots");
    assert!(robots.contains("Sitemap: https://example.org/compact/sitemap.xml"));
}

#[test]
fn init_makes_a_site_that_builds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("new-site");
    let (code, _, stderr) = run(&["init", site.to_str().expect("utf-8 path")]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run(&["check", "--root", site.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.ends_with("0 errors and 1 warning in 1 file\n")
            && stderr.starts_with("procedures/example.yaml:7:7: warning: 'area' still holds the starter's example text"),
        "the only warning is that the example is the starter's text: {stderr}"
    );
    let (_d, out) = build_site(&site, &[]);
    assert!(out.join("example/index.html").is_file());
    assert!(out.join("about/index.html").is_file());
    let (code, _, _) = run(&["init", site.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "init refuses a folder that is not empty");
}

#[test]
fn only_menu_pages_are_in_every_header_but_the_home_page_lists_them_all() {
    let site = support::copy_of_repo_site();
    std::fs::write(
        site.path().join("content/extra.md"),
        "---\ntitle: An extra page\norder: 5\n---\nBody.\n",
    )
    .expect("write");
    let (_dir, out) = build_site(site.path(), &[]);
    let header = sel("header .site-nav a");
    let doc = parse(&out.join("doncaster/index.html"));
    let in_header: Vec<String> = doc.select(&header).map(|a| a.text().collect()).collect();
    assert!(
        in_header.contains(&"Accessibility statement".to_string()),
        "{in_header:?}"
    );
    assert!(
        !in_header.contains(&"An extra page".to_string()),
        "{in_header:?}"
    );
    let home = parse(&out.join("index.html"));
    let listed: Vec<&str> = home
        .select(&sel("#guidance + ul a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(listed.contains(&"extra/index.html"), "{listed:?}");
    assert!(listed.contains(&"accessibility/index.html"), "{listed:?}");
}
