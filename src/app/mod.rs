//! The application: CLI, settings, start-up and shutdown.
//!
//! [`main_entry`] is the whole of `main`: parse the command line, load and validate the
//! configuration (exit 2 with a one-line error), build the logger (exit 1 if the log file
//! is unwritable), then run the daemon on a tokio runtime until SIGINT/SIGTERM (exit 0).

pub mod cli;
pub mod fd_limit;
pub mod live;
pub mod metrics;
pub mod routes;
pub mod run;
pub mod settings;
pub mod wiring;

pub use cli::Cli;
pub use run::{run, run_until, RunError};
pub use settings::{PbxMode, Settings};

use crate::adapters::{config, logging};
use clap::Parser;
use std::ffi::OsString;

/// Exit code: configuration invalid (also clap's code for bad flags).
pub const EXIT_CONFIG: i32 = 2;
/// Exit code: start-up or runtime failure.
pub const EXIT_FAILURE: i32 = 1;

pub mod operations;

/// Runs the daemon from the process arguments and returns the exit code.
pub fn main_entry() -> i32 {
    main_with_args(std::env::args_os())
}

/// Runs the daemon from the given arguments (first = program name) and returns the exit
/// code: 0 on a clean stop or a valid `--check-config`, 2 for an invalid configuration or
/// command line, 1 for any other start-up failure.
pub fn main_with_args<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // --help / --version land here too, with exit code 0.
            let _ = e.print();
            return e.exit_code();
        }
    };
    let dir = cli.config_dir();
    let config = match config::load(&dir) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("nethcti-server: configuration error: {e}");
            return EXIT_CONFIG;
        }
    };
    let settings = Settings::resolve(&cli, &config);
    if settings.check_only {
        for problem in config.warnings() {
            eprintln!("nethcti-server: warning: {problem}");
        }
        println!("configuration OK: {}", dir.display());
        return 0;
    }
    let log = match logging::build(&settings.log) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("nethcti-server: {e}");
            return EXIT_FAILURE;
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("nethcti-server: cannot start the async runtime: {e}");
            return EXIT_FAILURE;
        }
    };
    let result = runtime.block_on(run(settings, config, log.clone()));
    let code = match result {
        Ok(()) => 0,
        Err(e) => {
            slog::error!(log, "fatal"; "error" => %e);
            eprintln!("nethcti-server: {e}");
            EXIT_FAILURE
        }
    };
    // Drop the runtime, then the last logger handle, so the async drain flushes.
    drop(runtime);
    drop(log);
    code
}
