//! Writing: a study's output files, all or nothing, and the terminal summary.
//!
//! A run writes into a hidden staging folder beside `--out` and, once every file is
//! written and flushed to disk, swaps it in for the output folder with two renames. An
//! interrupted or failed run leaves the output folder as it was (the previous run's
//! complete set, or nothing); a completed run leaves exactly its own files. Nothing is
//! ever written through an existing path, so a symlink in the output folder is
//! replaced, never followed, and an input can never be overwritten: a run whose inputs
//! lie inside the output folder is refused before anything is read.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{bail, Context, Result};
use lifecircle::coverage::{CoverageSummary, Threshold, TierCoverage};
use lifecircle::crs::Crs;
use lifecircle::output::{grouped, html_report, terminal_text, CsvOptions, Lang, LayerFormat};
use lifecircle::study::{BandCoverage, LayerWriter, Truncated, OUTPUT_NAMES};
use lifecircle::Study;
use serde::Serialize;

use crate::args::{ReportFormat, ReportFormatArgs};
use crate::progress::Stages;

/// Test hook: with `LIFECIRCLE_FAULT_AFTER_BYTES=N` the process aborts once N bytes of
/// output have been written (an interruption at a chosen point); with
/// `LIFECIRCLE_FAULT_IN_COMMIT=1` it aborts halfway through the swap. Used by the
/// all-or-nothing tests; unset, it costs one atomic add per buffer flush.
static WRITTEN_BYTES: AtomicU64 = AtomicU64::new(0);

fn fault_after_bytes() -> Option<u64> {
    std::env::var("LIFECIRCLE_FAULT_AFTER_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
}

/// Counts the bytes written through it, for the fault hook.
struct Counted<W> {
    inner: W,
    limit: Option<u64>,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        let total = WRITTEN_BYTES.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        if self.limit.is_some_and(|limit| total >= limit) {
            eprintln!("lifecircle: fault injected after {total} bytes of output");
            std::process::abort();
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A folder outputs are written into (the staging folder or one inside it).
pub(crate) struct Folder {
    path: PathBuf,
}

impl Folder {
    /// Writes a file into the folder with `fill`, buffered and flushed to disk.
    fn write_with(
        &self,
        name: &str,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let path = self.path.join(name);
        let fail = || format!("{}: cannot write file", path.display());
        let file = File::create_new(&path).with_context(fail)?;
        let mut out = BufWriter::with_capacity(
            1 << 20,
            Counted {
                inner: file,
                limit: fault_after_bytes(),
            },
        );
        fill(&mut out).with_context(fail)?;
        let counted = out
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)
            .with_context(fail)?;
        counted.inner.sync_all().with_context(fail)
    }

    /// Writes a text file.
    pub(crate) fn write(&self, name: &str, content: &str) -> Result<()> {
        self.write_with(name, |w| w.write_all(content.as_bytes()))
    }

    /// Writes pretty-printed JSON with a final newline.
    pub(crate) fn write_json(&self, name: &str, value: &impl Serialize) -> Result<()> {
        let mut text = serde_json::to_string_pretty(value).context("serialising JSON")?;
        text.push('\n');
        self.write(name, &text)
    }

    /// Writes map layers, each in every format of `formats` (GeoPackage: one
    /// `layers.gpkg` holding them all); returns the text values cut to fit.
    pub(crate) fn write_layers(
        &self,
        formats: &[LayerFormat],
        crs: Crs,
        add: impl FnOnce(&mut LayerWriter<'_, '_, anyhow::Error>) -> Result<()>,
    ) -> Result<Vec<Truncated>> {
        let mut sink =
            |name: &str, fill: &mut lifecircle::study::FillFile<'_>| self.write_with(name, fill);
        let mut layers = LayerWriter::new(formats, crs, &mut sink);
        add(&mut layers)?;
        layers.finish()
    }

    /// A folder inside this one (`before/`, `after/`).
    pub(crate) fn child(&self, name: &str) -> Result<Folder> {
        let path = self.path.join(name);
        std::fs::create_dir(&path)
            .with_context(|| format!("{}: cannot create folder", path.display()))?;
        Ok(Folder { path })
    }
}

/// An output folder being written: a staging folder beside it, swapped in by
/// [`OutputDir::commit`] and removed if the run stops before.
pub(crate) struct OutputDir {
    target: PathBuf,
    staging: Folder,
    committed: bool,
}

/// `parent/.NAME.lifecircle-KIND-PID`: beside the target, on the same file system (so
/// the swap is two renames), hidden, and named after the process that made it.
fn sibling(target: &Path, kind: &str, pid: u32) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.lifecircle-{kind}-{pid}"))
}

/// Leftovers of runs that were killed: their staging and old folders, when the process
/// that made them is gone (checked on Linux; elsewhere they are left alone).
fn remove_leftovers(target: &Path) {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let prefix = format!(".{}.lifecircle-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    }) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.rsplit('-').next().and_then(|p| p.parse::<u32>().ok());
        let gone = cfg!(target_os = "linux")
            && pid.is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
        if gone {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

impl OutputDir {
    /// Starts writing the outputs of a run that reads `inputs` into `target`.
    ///
    /// Refuses a target that is a file, an existing folder holding anything but a
    /// run's outputs, and a target that contains one of the inputs.
    pub(crate) fn begin(target: &Path, inputs: &[PathBuf]) -> Result<Self> {
        let shown = target.display();
        if let Ok(meta) = std::fs::symlink_metadata(target) {
            if meta.file_type().is_symlink() {
                bail!(
                    "--out {shown}: is a symbolic link; give the folder itself (outputs \
                     replace the folder, and a link would be replaced, not followed)"
                );
            }
            if !meta.is_dir() {
                bail!("--out {shown}: is a file, not a folder");
            }
            let real = target
                .canonicalize()
                .with_context(|| format!("--out {shown}: cannot read folder"))?;
            for input in inputs {
                if let Ok(input_real) = input.canonicalize() {
                    if input_real.starts_with(&real) {
                        bail!(
                            "{}: this input is inside the output folder {shown}, which the \
                             run replaces; write the outputs to another folder (--out)",
                            input.display()
                        );
                    }
                }
            }
            let mut foreign = Vec::new();
            for entry in std::fs::read_dir(target)
                .with_context(|| format!("--out {shown}: cannot read folder"))?
            {
                let name = entry?.file_name().to_string_lossy().into_owned();
                if !OUTPUT_NAMES.contains(&name.as_str()) {
                    foreign.push(name);
                }
            }
            if !foreign.is_empty() {
                foreign.sort();
                bail!(
                    "--out {shown}: the folder holds files that are not lifecircle outputs \
                     ({}); the run replaces the whole folder, so give an empty or new folder",
                    foreign.join(", ")
                );
            }
        }
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("{}: cannot create folder", parent.display()))?;
        }
        remove_leftovers(target);
        let staging = sibling(target, "staging", std::process::id());
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir(&staging)
            .with_context(|| format!("{shown}: cannot create the output folder beside it"))?;
        Ok(Self {
            target: target.to_path_buf(),
            staging: Folder { path: staging },
            committed: false,
        })
    }

    /// The folder to write into until the commit.
    pub(crate) fn folder(&self) -> &Folder {
        &self.staging
    }

    /// Swaps the written outputs in for the output folder.
    pub(crate) fn commit(mut self) -> Result<PathBuf> {
        let shown = self.target.display().to_string();
        let fail = || format!("--out {shown}: cannot put the outputs in place");
        if let Ok(dir) = File::open(&self.staging.path) {
            let _ = dir.sync_all();
        }
        let old = sibling(&self.target, "old", std::process::id());
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old).with_context(fail)?;
        }
        if std::env::var_os("LIFECIRCLE_FAULT_IN_COMMIT").is_some() {
            eprintln!("lifecircle: fault injected in the commit");
            std::process::abort();
        }
        if let Err(e) = std::fs::rename(&self.staging.path, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(e).with_context(fail);
        }
        self.committed = true;
        if had_old {
            std::fs::remove_dir_all(&old).with_context(|| {
                format!(
                    "{}: the previous outputs, moved aside, cannot be removed",
                    old.display()
                )
            })?;
        }
        Ok(self.target.clone())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging.path);
        }
    }
}

/// What a coverage folder's writing leaves for the command to report.
pub(crate) struct CoverageWritten {
    /// The headline figures.
    pub(crate) summary: CoverageSummary,
    /// Coverage per tier and service, with a catalogue.
    pub(crate) tiers: Option<TierCoverage>,
    /// Every band's coverage, in a multi-threshold run.
    pub(crate) bands: Vec<BandCoverage>,
    /// 2SFCA figures, with `--access` (per-resident vectors left out).
    pub(crate) access: Option<AccessHeadline>,
    /// Text values a layer format cut to fit.
    pub(crate) truncated: Vec<Truncated>,
    /// The GeoJSON layers `report.html` reads, kept in memory when `--format` writes
    /// none to the folder.
    pub(crate) report_layers: BTreeMap<String, Vec<u8>>,
}

/// The accessibility figures the terminal shows.
#[derive(Debug, Clone)]
pub(crate) struct AccessHeadline {
    method: &'static str,
    mean_score: f64,
    mean_centers_within: f64,
    capacity_field: String,
    defaulted: usize,
}

/// How a run writes its layers and reports (from `ReportFormatArgs`).
#[derive(Debug, Clone)]
pub(crate) struct Writing {
    /// `--csv` / `--csv-bom`.
    pub(crate) tables: Option<CsvOptions>,
    /// `--format`, each once.
    pub(crate) formats: Vec<LayerFormat>,
    /// Whether `report.html` is written (it reads the GeoJSON layers).
    pub(crate) html: bool,
}

impl Writing {
    pub(crate) fn of(args: &ReportFormatArgs) -> Self {
        let mut formats = Vec::new();
        for f in &args.format {
            if !formats.contains(f) {
                formats.push(*f);
            }
        }
        Self {
            tables: csv_tables(args),
            formats,
            html: args.report.contains(&ReportFormat::Html),
        }
    }
}

/// Computes a study's derived results and writes every coverage output into `folder`
/// (the files of [`Study::write_coverage_files_in`]) and `timings.json`.
pub(crate) fn write_coverage(
    folder: &Folder,
    study: &Study,
    title: &str,
    writing: &Writing,
    stages: &mut Stages,
) -> Result<CoverageWritten> {
    let outputs = study.coverage_outputs(&mut |stage| stages.lap(stage))?;
    stages.lap("writing outputs");
    let truncated =
        study.write_coverage_files_in(&outputs, title, &writing.formats, &mut |name, fill| {
            folder.write_with(name, fill)
        })?;
    let mut report_layers = BTreeMap::new();
    if writing.html && !writing.formats.contains(&LayerFormat::GeoJson) {
        // The page is built from the GeoJSON layers; render them in memory only.
        study.write_coverage_files_in(
            &outputs,
            title,
            &[LayerFormat::GeoJson],
            &mut |name, fill| -> std::io::Result<()> {
                if name.ends_with(".geojson") {
                    let mut bytes = Vec::new();
                    fill(&mut bytes)?;
                    report_layers.insert(name.to_string(), bytes);
                }
                Ok(())
            },
        )?;
    }
    let tables = writing.tables;
    if let Some(options) = tables {
        study.write_coverage_tables(&outputs, options, &mut |name, fill| {
            folder.write_with(name, fill)
        })?;
    }
    stages.end_lap();
    folder.write_json("timings.json", &stages.timings())?;
    Ok(CoverageWritten {
        tiers: outputs.analysis.tiers.clone(),
        access: outputs.analysis.access.as_ref().map(|a| AccessHeadline {
            method: a.method,
            mean_score: a.mean_score,
            mean_centers_within: a.mean_centers_within,
            capacity_field: a.capacity_field.clone(),
            defaulted: a.centers_capacity_defaulted,
        }),
        bands: outputs.bands.map(|b| b.coverage).unwrap_or_default(),
        summary: outputs.summary,
        truncated,
        report_layers,
    })
}

/// Prints what a layer format cut to fit, file by file (`folder` is the subfolder's
/// name with its slash, or empty).
pub(crate) fn print_truncated(folder: &str, truncated: &[Truncated]) {
    for t in truncated {
        println!(
            "Note: {folder}{}: {} text values cut to 254 bytes (the Shapefile limit; the other \
             formats hold them whole)",
            t.file,
            thousands(t.values as f64)
        );
    }
}

pub(crate) fn thousands(x: f64) -> String {
    grouped(x.round())
}

/// The CSV tables a run writes, if any (`--csv`, `--csv-bom`).
pub(crate) fn csv_tables(args: &ReportFormatArgs) -> Option<CsvOptions> {
    (args.csv || args.csv_bom).then_some(CsvOptions { bom: args.csv_bom })
}

/// The language of `report.html` when the run writes one, checked before anything runs.
pub(crate) fn html_report_lang(args: &ReportFormatArgs) -> Result<Option<Lang>> {
    let lang = Lang::parse(&args.lang)?;
    Ok(args.report.contains(&ReportFormat::Html).then_some(lang))
}

/// A file of the output folder at `root`, `None` when it holds none by that name.
pub(crate) fn read_output_file(root: &Path, name: &str) -> Option<Vec<u8>> {
    std::fs::read(root.join(name)).ok()
}

/// Writes `report.html` of the files already in `folder` (the same page as
/// `lifecircle report` makes of the finished folder) and of `layers`, GeoJSON layers
/// kept in memory by name in the folder.
pub(crate) fn write_html_report(
    folder: &Folder,
    lang: Lang,
    layers: &BTreeMap<String, Vec<u8>>,
) -> Result<()> {
    let html = html_report(
        &|name| {
            layers
                .get(name)
                .cloned()
                .or_else(|| read_output_file(&folder.path, name))
        },
        lang,
    )?;
    folder.write("report.html", &html)
}

/// Writes `content` to `path` through a hidden file beside it and a rename, so a reader
/// never sees half a file and a failed write leaves the old one.
pub(crate) fn write_file_atomically(path: &Path, content: &[u8]) -> Result<()> {
    let staging = sibling(path, "file", std::process::id());
    let fail = || format!("{}: cannot write file", path.display());
    let result = (|| -> std::io::Result<()> {
        let mut file = File::create_new(&staging)?;
        file.write_all(content)?;
        file.sync_all()?;
        std::fs::rename(&staging, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&staging);
    }
    result.with_context(fail)
}

/// Prints what reading the inputs left out or defaulted, by layer and reason, so nothing
/// changes the figures unseen (the same counts are in `summary.json` `inputs`).
pub(crate) fn print_input_notes(study: &Study) {
    for (role, report) in study.inputs().rows() {
        for (reason, count) in &report.skipped.0 {
            if reason.starts_with("defaulted:") {
                println!(
                    "Note: {role} ({}): {} features {}",
                    terminal_text(&report.source),
                    thousands(*count as f64),
                    reason.trim_start_matches("defaulted:").trim()
                );
            }
        }
        if report.skipped_total > 0 {
            println!(
                "Note: {role} ({}): {} features skipped (by reason in summary.json)",
                terminal_text(&report.source),
                thousands(report.skipped_total as f64)
            );
        }
    }
    if let Some((with, without)) = study.prepared().dem_vertices {
        if without > 0 {
            println!(
                "Warning: {} of {} road vertices got no height from the elevation tiles \
                 (their segments count as flat)",
                thousands(without as f64),
                thousands((with + without) as f64)
            );
        }
    }
}

/// With tag rules in the catalogue: how many centers each way got a tier, and how many
/// none (they count for no tier).
fn print_rule_counts(study: &Study) {
    let Some(services) = &study.params().services else {
        return;
    };
    // The tier analysis itself reports a failure; here only a successful match is told.
    let Ok(roles) = lifecircle::coverage::center_roles(&services.config, study.centers()) else {
        return;
    };
    if let Some(rules) = roles.rules {
        let by_rule: usize = rules.rules.iter().map(|r| r.centers).sum();
        println!(
            "Tiers: {by_rule} centers by tag rule, {} by their own `tier`, {} matched no rule \
             (count for no tier; listed in summary.json tiers.center_rules)",
            rules.by_property, rules.unmatched
        );
    }
}

/// With a catalogue: coverage per tier (its threshold with its unit) and complete
/// coverage.
fn print_tiers(tiers: &TierCoverage) {
    println!(
        "Tiers ({}): complete coverage {:.1} % ({} of {} population)",
        tiers.config.as_deref().unwrap_or("catalogue"),
        tiers.complete_ratio * 100.0,
        thousands(tiers.complete_population),
        thousands(tiers.total_population)
    );
    for t in &tiers.tiers {
        let threshold = match t.threshold() {
            Threshold::Minutes(min) => format!("{min} min"),
            Threshold::Metres(m) => format!("{m} m"),
        };
        println!(
            "  {:<40} within {:>8}: {:>5.1} %  ({} centers)",
            t.name,
            threshold,
            t.coverage_ratio * 100.0,
            t.centers
        );
    }
    if let Some(u) = tiers.upgrades.first() {
        println!(
            "  best upgrade: center {} adds {}: {} more with complete coverage, {} with the \
             service ({} options in summary.json tiers.upgrades)",
            terminal_text(&u.center),
            terminal_text(&u.service),
            thousands(u.newly_complete_population),
            thousands(u.newly_served_population),
            tiers.upgrade_options
        );
    }
}

/// Prints the headline figures.
pub(crate) fn print_summary(written: &CoverageWritten, study: &Study, out: &Path, stages: &Stages) {
    let s = &written.summary;
    print_input_notes(study);
    let network = study.network().stats();
    println!(
        "Network: {} nodes, {} edges, {:.1} km ({} island nodes left out)",
        thousands(network.nodes as f64),
        thousands(network.edges as f64),
        network.length_km,
        thousands(network.island_nodes as f64)
    );
    println!(
        "Centers: {} ({} off the network)",
        s.centers, s.centers_too_far_from_network
    );
    print_rule_counts(study);
    if let Some(t) = &written.tiers {
        print_tiers(t);
    }
    println!(
        "Coverage within {}: {:.1} % ({} of {} population)",
        match study.threshold() {
            Threshold::Minutes(min) => format!("{min} min at {} km/h", study.costs().speed_kmh()),
            Threshold::Metres(m) => format!("{m} m walking distance"),
        },
        s.coverage_ratio * 100.0,
        thousands(s.covered_population),
        thousands(s.total_population)
    );
    println!(
        "  beyond the threshold: {}   too far from network: {}   no path: {}",
        thousands(s.uncovered_reachable_population),
        thousands(s.too_far_from_network_population),
        thousands(s.no_path_population)
    );
    for band in &written.bands {
        println!(
            "  within {:>8}: {:>5.1} % ({} population)",
            band.label,
            band.coverage_ratio * 100.0,
            thousands(band.covered_population)
        );
    }
    if let (Some(mean), Some(median)) = (s.mean_walk_min, s.median_walk_min) {
        println!("  walk time: mean {mean:.1} min, median {median:.1} min");
    }
    if let Some(a) = &written.access {
        println!(
            "Accessibility ({}): mean score {:.6} `{}` per resident, {:.2} centers within \
             the threshold on average",
            a.method,
            a.mean_score,
            terminal_text(&a.capacity_field),
            a.mean_centers_within
        );
        if a.defaulted > 0 {
            println!(
                "Note: {} centers have no `{}`: each counts as 1",
                a.defaulted,
                terminal_text(&a.capacity_field)
            );
        }
    }
    println!("  walk-time histogram (population):");
    for bin in &s.histogram {
        println!(
            "    {:>6} min  {:>10}",
            bin.label,
            thousands(bin.population)
        );
    }
    println!(
        "Outputs in {} ({:.2} s)",
        out.display(),
        stages.total().as_secs_f64()
    );
}
