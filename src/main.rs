//! The `waymark` command.

// A build allocates and frees many short strings from both cores at once;
// mimalloc's per-thread heaps spend far less time on that than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    waymark::cmd::main()
}
