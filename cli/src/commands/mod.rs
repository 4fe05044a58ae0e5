//! Subcommands: each reads its inputs (`load`), runs a study, and writes (`write`).

mod bench;
mod coverage;
mod demo;
mod plan;
mod report;
mod serve;

use anyhow::Result;

use crate::args::{Cli, Command};

/// Runs the chosen subcommand.
pub(crate) fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Bench(args) => bench::run(*args),
        Command::Coverage(args) => coverage::run(*args),
        Command::Demo(args) => demo::run(args),
        Command::Plan(args) => plan::run(*args),
        Command::Report(args) => report::run(args),
        Command::Serve(args) => serve::run(args),
    }
}
