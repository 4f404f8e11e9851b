//! A stage's unknown parts: each is named once, says why, and is not also given,
//! so the page never shows a part both as known and as not known.

use crate::check::findings::{At, Findings};
use crate::load::locate::YamlPath;
use crate::model::{FlatNode, StagePart};

/// The stage's `unknown:` names parts, once each, with a reason, and none it also gives.
pub(super) fn check_unknowns(node: &FlatNode, path: &YamlPath, f: &mut Findings) {
    let Some(unknown) = &node.unknown else {
        return;
    };
    let at = path.key("unknown");
    if unknown.parts.is_empty() {
        f.error(
            at.key("parts"),
            At::Value,
            format!("the stage '{}' lists no unknown parts", node.id),
            "name the parts the source leaves unknown, e.g. 'parts: [steps, deadlines]', or remove 'unknown:'"
                .to_string(),
        );
    }
    if unknown.why.trim().is_empty() {
        f.error(
            at.key("why"),
            At::Key,
            format!("the stage '{}' does not say why parts are unknown", node.id),
            "say why in a sentence, e.g. 'The documents that hold the procedure could not be read.'"
                .to_string(),
        );
    }
    for (i, part) in unknown.parts.iter().enumerate() {
        if unknown.parts[..i].contains(part) {
            f.error(
                at.key("parts").index(i),
                At::Value,
                format!("'{}' is listed twice as unknown", part.field()),
                "name each part once".to_string(),
            );
        } else if is_given(node, *part) {
            f.error(
                path.key(part.field()),
                At::Key,
                format!(
                    "the stage '{}' gives '{}' but also lists them as unknown",
                    node.id,
                    part.field()
                ),
                format!(
                    "keep what the source gives and remove '{}' from 'unknown', or the other way round",
                    part.field()
                ),
            );
        }
    }
}

/// Whether the stage as written fills in this part.
fn is_given(node: &FlatNode, part: StagePart) -> bool {
    match part {
        StagePart::Steps => !node.steps.is_empty(),
        StagePart::Who => !node.who.is_empty(),
        StagePart::Deadlines => !node.deadlines.is_empty(),
        StagePart::Documents => !node.documents.is_empty(),
        StagePart::Contacts => !node.contacts.is_empty(),
    }
}
