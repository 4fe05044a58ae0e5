//! `lifecircle`: walking-distance coverage of service centers from the command line.
#![forbid(unsafe_code)]

mod args;
mod commands;
mod load;
mod progress;
mod write;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Messages quote ids and file contents: show control characters as escapes.
            eprintln!(
                "error: {}",
                lifecircle::output::terminal_text(&format!("{error:#}"))
            );
            ExitCode::from(2)
        }
    }
}
