//! The SVG: well formed, classed instead of styled, escaped, with safe ids.

use super::*;

/// A small well-formedness check: balanced tags, quoted attributes, entities only
/// from the five XML ones (or numeric), unique ids that start with the prefix.
pub(super) fn check_svg(svg: &str, prefix: &str) -> Result<(), String> {
    fn check_text(t: &str) -> Result<(), String> {
        if t.contains('<') || t.contains('>') {
            return Err(format!("raw angle bracket in {t:?}"));
        }
        let mut rest = t;
        while let Some(i) = rest.find('&') {
            rest = &rest[i + 1..];
            let end = rest
                .find(';')
                .ok_or(format!("unterminated entity in {t:?}"))?;
            let name = &rest[..end];
            let ok = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
                || (name.starts_with('#') && name.len() > 1);
            if !ok {
                return Err(format!("bad entity &{name};"));
            }
            rest = &rest[end + 1..];
        }
        Ok(())
    }
    let mut stack: Vec<String> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let mut rest = svg;
    let mut roots = 0;
    while let Some(open) = rest.find('<') {
        check_text(&rest[..open])?;
        rest = &rest[open + 1..];
        let close = rest.find('>').ok_or("unclosed tag")?;
        let tag = &rest[..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(top) if top == name.trim() => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            continue;
        }
        let self_closing = tag.ends_with('/');
        let body = tag.trim_end_matches('/');
        let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
        let name = &body[..name_end];
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':')
        {
            return Err(format!("bad tag name {name:?}"));
        }
        if stack.is_empty() {
            roots += 1;
        }
        // Attributes: name="value" pairs.
        let mut attrs = body[name_end..].trim();
        let mut names: Vec<&str> = Vec::new();
        while !attrs.is_empty() {
            let eq = attrs
                .find("=\"")
                .ok_or(format!("bad attributes in <{tag}>"))?;
            let attr = attrs[..eq].trim();
            let value_end = attrs[eq + 2..].find('"').ok_or("unterminated attribute")? + eq + 2;
            let value = &attrs[eq + 2..value_end];
            check_text(value)?;
            if names.contains(&attr) {
                return Err(format!("duplicate attribute {attr}"));
            }
            names.push(attr);
            if attr == "style" {
                return Err("style attribute".into());
            }
            if attr == "id" {
                ids.push(value.to_string());
            }
            attrs = attrs[value_end + 1..].trim_start();
        }
        if !self_closing {
            stack.push(name.to_string());
        }
    }
    check_text(rest.trim())?;
    if !stack.is_empty() {
        return Err(format!("unclosed {stack:?}"));
    }
    if roots != 1 {
        return Err(format!("{roots} root elements"));
    }
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != ids.len() {
        return Err(format!("duplicate ids {ids:?}"));
    }
    if let Some(bad) = ids.iter().find(|id| !id.starts_with(&format!("{prefix}-"))) {
        return Err(format!("id {bad} lacks the prefix"));
    }
    Ok(())
}

#[test]
fn svg_is_well_formed_and_classed() {
    for (name, graph) in samples() {
        let placed = layout(&graph);
        let svg = render_svg(&graph, &placed, name, "Flowchart", "How the procedure goes");
        check_svg(&svg, name).unwrap_or_else(|e| panic!("{name}: {e}\n{svg}"));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
        assert!(svg.contains(&format!("aria-labelledby=\"{name}-title {name}-desc\"")));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("class=\"flowchart\""));
        assert!(svg.contains(&format!("<title id=\"{name}-title\">Flowchart</title>")));
        assert!(svg.contains(&format!(
            "<desc id=\"{name}-desc\">How the procedure goes</desc>"
        )));
        assert!(svg.contains(&format!("marker-end=\"url(#{name}-arrow)\"")));
        assert!(!svg.contains("style="));
        assert!(!svg.contains("<style"));
        assert!(!svg.contains("fill=") && !svg.contains("stroke="));
        for class in [
            "flow-node",
            "flow-stage",
            "flow-ending",
            "flow-edge",
            "flow-label",
            "flow-arrow",
        ] {
            assert!(svg.contains(class), "{name} lacks {class}");
        }
        let decisions = graph
            .nodes
            .iter()
            .filter(|n| n.shape == Shape::Decision)
            .count();
        assert_eq!(svg.matches("flow-node flow-decision").count(), decisions);
        assert_eq!(svg.matches("<polygon").count(), decisions);
        let drawn = placed.edges.iter().filter(|e| e.points.len() >= 2).count();
        assert_eq!(svg.matches("class=\"flow-edge\"").count(), drawn);
        let links = graph.nodes.iter().filter(|n| n.href.is_some()).count();
        assert_eq!(svg.matches("<a href=").count(), links);
        // Coordinates carry at most one decimal.
        for number in svg.split(|c: char| !(c.is_ascii_digit() || c == '.')) {
            if let Some((_, frac)) = number.split_once('.') {
                assert!(frac.len() <= 1, "{number}");
            }
        }
    }
}

#[test]
fn svg_escapes_text() {
    let mut graph = linear();
    graph.nodes[0].text = "Use <script>alert('x')</script> & \"quotes\"".to_string();
    graph.nodes[0].label = Some("A & B".to_string());
    graph.nodes[0].href = Some("#a?b=1&c=<2>".to_string());
    graph.nodes[0].class = Some("outcome-\"x\"".to_string());
    graph.nodes[0].id = "id&<".to_string();
    graph.edges[1].label = Some("<b>Yes</b> & no".to_string());
    let placed = layout(&graph);
    let svg = render_svg(&graph, &placed, "esc", "Title <script>", "Desc & more");
    check_svg(&svg, "esc").unwrap_or_else(|e| panic!("{e}\n{svg}"));
    assert!(!svg.contains("<script"));
    assert!(!svg.contains("<b>"));
    assert!(svg.contains("&lt;script&gt;"));
    assert!(svg.contains("A &amp; B"));
    assert!(svg.contains("Desc &amp; more"));
    assert!(svg.contains("href=\"#a?b=1&amp;c=&lt;2&gt;\""));
    assert!(svg.contains("&apos;x&apos;"));
    assert!(svg.contains("outcome-&quot;x&quot;"));
}

#[test]
fn id_prefix_is_made_safe() {
    let graph = linear();
    let placed = layout(&graph);
    let svg = render_svg(&graph, &placed, "9 bad\"prefix", "T", "D");
    check_svg(&svg, "fc-9-bad-prefix").unwrap();
    assert_eq!(sanitize_id("proc-1_a"), "proc-1_a");
}

#[test]
fn numbers_print_compactly() {
    let mut s = String::new();
    for v in [0.0, 12.0, 12.5, -0.5, -3.25, 1e3, f64::NAN, 0.04] {
        push_num(&mut s, v);
        s.push(' ');
    }
    assert_eq!(s, "0 12 12.5 -0.5 -3.3 1000 0 0 ");
}
