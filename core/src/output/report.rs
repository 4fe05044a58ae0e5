//! `report.md`: a short Markdown report a planner can paste into a memo.

use std::fmt::Write;

use crate::coverage::{CoverageParams, CoverageSummary, Threshold};
use crate::network::NetworkStats;

use super::numbers::grouped;
use super::text::markdown_cell;

/// One row of the gaps table.
#[derive(Debug, Clone, PartialEq)]
pub struct GapRow {
    /// 1 = the gap with the most population.
    pub rank: usize,
    /// Population in the gap.
    pub population: f64,
    /// Residents (points) in the gap.
    pub residents: usize,
    /// Population-weighted mean walk, minutes (None when nobody there has a walk).
    pub mean_walk_min: Option<f64>,
    /// Longest walk, minutes.
    pub max_walk_min: Option<f64>,
    /// Population-weighted centre, `[lon, lat]`.
    pub centroid_lonlat: [f64; 2],
    /// The best place found for a new center, `[lon, lat]`, and the population it
    /// would newly cover.
    pub best_site: Option<([f64; 2], f64)>,
}

/// Everything the report shows besides the summary itself.
#[derive(Debug, Clone)]
pub struct ReportContext<'a> {
    /// Report title (e.g. the study area).
    pub title: &'a str,
    /// Input lines: `(role, source, used, skipped)`.
    pub inputs: Vec<(String, String, usize, usize)>,
    /// Network size.
    pub network: &'a NetworkStats,
    /// Parameters used.
    pub params: &'a CoverageParams,
    /// Walking speed on flat ground, km/h.
    pub speed_kmh: f64,
    /// The summary.
    pub summary: &'a CoverageSummary,
    /// Largest gaps first; the report shows at most [`REPORT_GAP_ROWS`].
    pub gaps: Vec<GapRow>,
}

/// Gap rows shown in the report (all gaps are in `gaps.geojson`).
pub const REPORT_GAP_ROWS: usize = 10;

fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

fn num(x: f64) -> String {
    grouped(x)
}

fn count(n: usize) -> String {
    grouped(n as f64)
}

/// A center or unit as a reader knows it: its name, with the id when it has none.
pub(super) fn label(name: Option<&str>, id: &str) -> String {
    match name {
        Some(name) if name != id => format!("{name} ({id})"),
        _ => id.to_string(),
    }
}

fn minutes(x: Option<f64>) -> String {
    x.map_or("–".to_string(), |m| format!("{m:.1}"))
}

/// A threshold with its unit, as the reports write it: `10 min`, `500 m walking
/// distance`.
pub(crate) fn threshold_words(threshold: Threshold) -> String {
    match threshold {
        Threshold::Minutes(min) => format!("{} min", num(min)),
        Threshold::Metres(m) => format!("{} m walking distance", num(m)),
    }
}

/// Renders the Markdown report.
pub fn markdown_report(ctx: &ReportContext<'_>) -> String {
    let s = ctx.summary;
    let p = ctx.params;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", markdown_cell(ctx.title));
    let _ = writeln!(
        out,
        "**{} of the population ({} of {}) lives within {} of a service center.**\n",
        pct(s.coverage_ratio),
        num(s.covered_population),
        num(s.total_population),
        match p.threshold() {
            Threshold::Minutes(min) => format!("a {}-minute walk", num(min)),
            Threshold::Metres(m) => format!("{} m walking distance", num(m)),
        }
    );
    let _ = writeln!(out, "## Coverage\n");
    let _ = writeln!(out, "| | population | residents |\n|---|---:|---:|");
    let rows = [
        ("Covered", s.covered_population, s.residents_covered),
        (
            "Reachable but beyond the threshold",
            s.uncovered_reachable_population,
            s.residents_uncovered_reachable,
        ),
        (
            "Too far from the walking network",
            s.too_far_from_network_population,
            s.residents_too_far_from_network,
        ),
        (
            "No path to any center",
            s.no_path_population,
            s.residents_no_path,
        ),
        ("**Total**", s.total_population, s.residents),
    ];
    for (label, pop, n) in rows {
        let _ = writeln!(out, "| {label} | {} | {} |", num(pop), count(n));
    }
    let _ = writeln!(
        out,
        "\nMean walk {} min, median {} min (residents with a walk).\n",
        minutes(s.mean_walk_min),
        minutes(s.median_walk_min)
    );
    let _ = writeln!(out, "## Walk time\n");
    let _ = writeln!(out, "| minutes | population | share |\n|---|---:|---:|");
    for bin in &s.histogram {
        let share = if s.total_population > 0.0 {
            bin.population / s.total_population
        } else {
            0.0
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            bin.label,
            num(bin.population),
            pct(share)
        );
    }
    let unreachable = s.too_far_from_network_population + s.no_path_population;
    if unreachable > 0.0 {
        let _ = writeln!(
            out,
            "| no walk | {} | {} |",
            num(unreachable),
            pct(unreachable / s.total_population.max(f64::MIN_POSITIVE))
        );
    }
    if !ctx.gaps.is_empty() {
        let _ = writeln!(out, "\n## Largest gaps\n");
        let _ = writeln!(
            out,
            "| rank | population | residents | mean walk (min) | longest walk (min) | location (lon, lat) | best new site (lon, lat) | it would newly cover |\n|---:|---:|---:|---:|---:|---|---|---:|"
        );
        for g in ctx.gaps.iter().take(REPORT_GAP_ROWS) {
            let (site, gain) = g
                .best_site
                .map_or(("–".to_string(), "–".to_string()), |(at, gain)| {
                    (format!("{:.5}, {:.5}", at[0], at[1]), num(gain))
                });
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {:.5}, {:.5} | {site} | {gain} |",
                g.rank,
                num(g.population),
                count(g.residents),
                minutes(g.mean_walk_min),
                minutes(g.max_walk_min),
                g.centroid_lonlat[0],
                g.centroid_lonlat[1]
            );
        }
        if ctx.gaps.len() > REPORT_GAP_ROWS {
            let _ = writeln!(
                out,
                "\n{} more gaps in `gaps.geojson`.",
                ctx.gaps.len() - REPORT_GAP_ROWS
            );
        }
    }
    let _ = writeln!(out, "\n## Centers\n");
    let _ = writeln!(
        out,
        "| center | served population (within {}) | nearest for population |\n|---|---:|---:|",
        threshold_words(p.threshold())
    );
    let mut centers: Vec<_> = s.per_center.iter().collect();
    centers.sort_by(|a, b| {
        b.served_population
            .total_cmp(&a.served_population)
            .then(a.id.cmp(&b.id))
    });
    for c in centers {
        let note = if c.status == "ok" {
            ""
        } else {
            " (off the network, not used)"
        };
        let _ = writeln!(
            out,
            "| {}{note} | {} | {} |",
            markdown_cell(&label(c.name.as_deref(), &c.id)),
            num(c.served_population),
            num(c.nearest_population)
        );
    }
    if !s.per_unit.is_empty() {
        let _ = writeln!(out, "\n## Reporting units\n");
        let _ = writeln!(
            out,
            "| unit | population | covered | coverage | mean walk (min) |\n|---|---:|---:|---:|---:|"
        );
        for u in &s.per_unit {
            let name = markdown_cell(u.name.as_deref().unwrap_or(&u.id));
            let _ = writeln!(
                out,
                "| {name} | {} | {} | {} | {} |",
                num(u.population),
                num(u.covered_population),
                pct(u.coverage_ratio),
                minutes(u.mean_walk_min)
            );
        }
        if s.residents_outside_units > 0 {
            let _ = writeln!(
                out,
                "\n{} residents lie outside every reporting unit.",
                count(s.residents_outside_units)
            );
        }
    }
    let _ = writeln!(out, "\n## Method\n");
    let _ = writeln!(
        out,
        "Walks follow the walking network ({} nodes, {} edges, {} km; {} of {} components used, {} island nodes left out). \
Walking speed {} km/h; threshold {}; points farther than {} m from the network are counted as unreachable.",
        count(ctx.network.nodes),
        count(ctx.network.edges),
        grouped(ctx.network.length_km),
        ctx.network.eligible_components,
        ctx.network.components,
        count(ctx.network.island_nodes),
        num(ctx.speed_kmh),
        threshold_words(p.threshold()),
        num(p.max_snap_m)
    );
    if !ctx.inputs.is_empty() {
        let _ = writeln!(
            out,
            "\n| input | source | used | skipped |\n|---|---|---:|---:|"
        );
        for (role, source, used, skipped) in &ctx.inputs {
            let _ = writeln!(
                out,
                "| {role} | {} | {} | {} |",
                markdown_cell(source),
                count(*used),
                count(*skipped)
            );
        }
    }
    out
}

impl From<&crate::coverage::GapArea> for GapRow {
    fn from(g: &crate::coverage::GapArea) -> Self {
        GapRow {
            rank: g.rank,
            population: g.population,
            residents: g.residents,
            mean_walk_min: g.mean_walk_min,
            max_walk_min: g.max_walk_min,
            centroid_lonlat: g.centroid_lonlat,
            best_site: None,
        }
    }
}
