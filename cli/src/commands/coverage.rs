//! `lifecircle coverage`: who is within a walk of a center, with gaps and service areas.

use anyhow::Result;
use lifecircle::study::DEFAULT_TITLE;
use lifecircle::Study;

use crate::args::CoverageArgs;
use crate::load;
use crate::progress::Stages;
use crate::write::{
    html_report_lang, print_summary, print_truncated, write_coverage, write_html_report, OutputDir,
    Writing,
};

pub(super) fn run(args: CoverageArgs) -> Result<()> {
    let html = html_report_lang(&args.report)?;
    let mut stages = Stages::new(args.quiet);
    let named = load::named_files(Some(&args.inputs.roads), &args.inputs.layers, &args.model);
    let out = OutputDir::begin(&args.out, &named)?;
    let params = load::study_params(&args.params, &args.model)?;
    let projections = load::layer_projections(&args.model)?;
    let inputs = stages.run("reading inputs", || {
        load::read_inputs(
            &args.inputs.roads,
            &args.inputs.layers,
            &projections,
            args.params.max_snap_m,
            None,
        )
    })?;
    let study = Study::new_observed(inputs.layers, params, &mut |stage| {
        stages.lap(stage.as_str());
    })?;
    stages.end_lap();
    let written = write_coverage(
        out.folder(),
        &study,
        args.report.title.as_deref().unwrap_or(DEFAULT_TITLE),
        &Writing::of(&args.report),
        &mut stages,
    )?;
    if let Some(lang) = html {
        stages.run("writing report.html", || {
            write_html_report(out.folder(), lang, &written.report_layers)
        })?;
    }
    let path = out.commit()?;
    if !args.quiet {
        print_truncated("", &written.truncated);
        print_summary(&written, &study, &path, &stages);
    }
    Ok(())
}
