//! Binary entry point: parses the command line and hands over to [`nethcti_server::app`].

fn main() {
    std::process::exit(nethcti_server::app::main_entry());
}
