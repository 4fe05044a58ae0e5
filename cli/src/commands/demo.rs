//! `lifecircle demo`: the whole pipeline on the bundled Isle of Man extract.

use anyhow::Result;
use lifecircle::output::Lang;
use lifecircle::{Study, StudyParams};

use crate::args::DemoArgs;
use crate::load;
use crate::progress::Stages;
use crate::write::{
    html_report_lang, print_summary, print_truncated, write_coverage, write_html_report, OutputDir,
    Writing,
};

pub(super) fn run(args: DemoArgs) -> Result<()> {
    let html = html_report_lang(&args.report)?;
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
    let written = write_coverage(
        out.folder(),
        &study,
        args.report.title.as_deref().unwrap_or(match html {
            Some(Lang::Zh) => "马恩岛：社区服务步行覆盖",
            _ => "Isle of Man: walking coverage of community services",
        }),
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
