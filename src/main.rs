//! Binary entry point: parses the command line and hands over to [`nethcti_server::app`].

/// mimalloc instead of glibc malloc: the JSON views and fan-out allocate many small
/// short-lived values across threads, where glibc's free/consolidate dominated profiles
/// (BENCHMARKS.md, nethcti-bench). The `system-alloc` feature (heap profiling) leaves
/// the system allocator in place.
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(nethcti_server::app::main_entry());
}
