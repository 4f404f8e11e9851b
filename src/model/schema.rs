//! The JSON Schemas of the procedure and site files, generated from the model
//! so that editors can autocomplete and underline mistakes as a coordinator types.

use crate::model::{Procedure, SiteConfig};

/// The JSON Schema of a procedure file, pretty-printed.
pub fn procedure_schema() -> String {
    pretty(schemars::schema_for!(Procedure))
}

/// The JSON Schema of `site.yaml`, pretty-printed.
pub fn site_schema() -> String {
    pretty(schemars::schema_for!(SiteConfig))
}

fn pretty(schema: schemars::Schema) -> String {
    // Serialising a JSON value to a string cannot fail.
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
