//! The `waymark` command.

fn main() -> std::process::ExitCode {
    waymark::cli::main()
}
