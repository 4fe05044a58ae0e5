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
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
