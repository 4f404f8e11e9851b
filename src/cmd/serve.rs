//! `waymark serve`: build the site into memory, serve it on this machine, and
//! rebuild as files change (the server itself is [`crate::serve`]).

use std::process::ExitCode;

use crate::serve::ServeOptions;

pub fn run(options: ServeOptions) -> ExitCode {
    crate::serve::serve(&options)
}
