//! Subcommands.

pub mod bench;
mod coverage;
mod demo;
mod model;
mod pipeline;
mod plan;
pub mod serve;

use anyhow::Result;

use crate::args::{Cli, Command};

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Bench(args) => bench::run(*args),
        Command::Coverage(args) => coverage::run(*args),
        Command::Demo(args) => demo::run(args),
        Command::Plan(args) => plan::run(*args),
        Command::Serve(args) => serve::run(args),
    }
}
