//! `waymark schema [--site]`: print the JSON Schema of procedure files or of
//! `site.yaml`, for editors.

use std::process::ExitCode;

pub fn run(site: bool) -> ExitCode {
    let text = if site {
        crate::model::schema::site_schema()
    } else {
        crate::model::schema::procedure_schema()
    };
    print!("{text}");
    ExitCode::SUCCESS
}
