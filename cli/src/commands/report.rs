//! `lifecircle report DIR`: `report.html` of an output folder written earlier.

use anyhow::{bail, Result};
use lifecircle::output::{html_report, Lang};
use lifecircle::study::OUTPUT_NAMES;

use crate::args::ReportArgs;
use crate::write::{read_output_file, write_file_atomically};

pub(super) fn run(args: ReportArgs) -> Result<()> {
    let lang = Lang::parse(&args.lang)?;
    let folder = &args.folder;
    if !folder.is_dir() {
        bail!(
            "{}: not a folder (give the --out folder of a coverage, plan or demo run)",
            folder.display()
        );
    }
    if !folder.join("summary.json").is_file() && !folder.join("plan.json").is_file() {
        bail!(
            "{}: holds neither summary.json nor plan.json, so it is not the output folder of a coverage, plan or demo run",
            folder.display()
        );
    }
    let html = html_report(&|name| read_output_file(folder, name), lang)
        .map_err(|e| anyhow::anyhow!("{}: {e}", folder.display()))?;
    let target = match &args.out {
        Some(path) => {
            if std::fs::symlink_metadata(path).is_ok() {
                bail!("--out {}: already exists; the report never replaces a file it did not make (give a new name, or leave --out out to write DIR/report.html)", path.display());
            }
            path.clone()
        }
        None => {
            debug_assert!(OUTPUT_NAMES.contains(&"report.html"));
            folder.join("report.html")
        }
    };
    write_file_atomically(&target, html.as_bytes())?;
    if !args.quiet {
        println!("Report in {}", target.display());
    }
    Ok(())
}
