//! `lifecircle coverage`: who is within a walk of a center, with gaps and service areas.

use anyhow::Result;
use lifecircle::Study;

use crate::args::CoverageArgs;
use crate::load;
use crate::progress::Stages;
use crate::write::{print_summary, write_coverage, OutputDir};

pub(super) fn run(args: CoverageArgs) -> Result<()> {
    let mut stages = Stages::new(args.quiet);
    let named = load::named_files(Some(&args.inputs.roads), &args.inputs.layers, &args.model);
    let out = OutputDir::begin(&args.out, &named)?;
    let params = load::study_params(&args.params, &args.model)?;
    let inputs = stages.run("reading inputs", || {
        load::read_inputs(&args.inputs.roads, &args.inputs.layers, None)
    })?;
    let study = Study::new_observed(inputs.layers, params, &mut |stage| {
        stages.lap(stage.as_str());
    })?;
    stages.end_lap();
    let summary = write_coverage(out.folder(), &study, "Walking coverage", &mut stages)?;
    let path = out.commit()?;
    if !args.quiet {
        print_summary(&study, &summary, &path, &stages);
    }
    Ok(())
}
