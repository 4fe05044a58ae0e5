//! `lifecircle demo`: the whole pipeline on the bundled Isle of Man extract.

use anyhow::Result;
use lifecircle::{Study, StudyParams};

use crate::args::DemoArgs;
use crate::load;
use crate::progress::Stages;
use crate::write::{print_summary, write_coverage, OutputDir};

pub(super) fn run(args: DemoArgs) -> Result<()> {
    let mut stages = Stages::new(args.quiet);
    let out = OutputDir::begin(&args.out, &[])?;
    let inputs = stages.run("reading the Isle of Man extract", load::read_sample)?;
    let mut params = StudyParams::default();
    params.coverage.threshold_min = args.minutes;
    if !args.quiet {
        println!("Isle of Man: community centres, libraries, town halls and social facilities as centers; one resident per building.");
        println!("Map data © OpenStreetMap contributors, ODbL 1.0.");
    }
    let study = Study::new_observed(inputs.layers, params, &mut |stage| {
        stages.lap(stage.as_str());
    })?;
    stages.end_lap();
    let summary = write_coverage(
        out.folder(),
        &study,
        "Isle of Man: walking coverage of community services",
        &mut stages,
    )?;
    let path = out.commit()?;
    if !args.quiet {
        print_summary(&study, &summary, &path, &stages);
    }
    Ok(())
}
