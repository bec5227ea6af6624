//! The application: wiring, CLI, start-up and shutdown.

pub mod operations;

/// Runs the daemon from the process arguments and returns the exit code.
pub fn main_entry() -> i32 {
    0
}
