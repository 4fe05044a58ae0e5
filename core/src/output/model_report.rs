//! `report.md` sections for walking profiles, slope and service tiers.

use std::fmt::Write;

use crate::coverage::{
    AccessDecay, Accessibility, CoverageComparison, ProfileCoverage, Threshold, TierCoverage,
};

use super::numbers::grouped;
use super::report::threshold_words;
use super::text::markdown_cell;

fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

fn num(x: f64) -> String {
    grouped(x)
}

/// Centers listed in the slope table (those losing the most population first).
pub const REPORT_SLOPE_CENTER_ROWS: usize = 10;

/// "Walking profiles": coverage per profile side by side, and who loses access.
pub fn profiles_markdown(rows: &[ProfileCoverage], threshold: Threshold) -> String {
    let mut out = String::new();
    if rows.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\n## Walking profiles\n");
    let _ = writeln!(
        out,
        "Coverage within {} for each profile on the same network{}.{}\n",
        threshold_words(threshold),
        if rows[0].slope { ", with slope" } else { "" },
        if threshold.is_distance() {
            " A walking distance is the same for every walker: profiles differ only where \
             one cannot pass (steps, steep slopes)."
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "| profile | speed (km/h) | covered population | coverage | lost vs {} | no walk | steps closed | too steep |\n|---|---:|---:|---:|---:|---:|---:|---:|",
        rows[0].profile
    );
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            r.profile,
            num(r.speed_kmh),
            num(r.covered_population),
            pct(r.coverage_ratio),
            num(r.lost_vs_first_population),
            num(r.no_walk_population),
            r.closed_steps_edges,
            r.closed_steep_edges
        );
    }
    out
}

/// "Slope": coverage on flat ground against slope-aware walking, overall and per center.
pub fn slope_markdown(c: &CoverageComparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n## Slope\n");
    let _ = writeln!(
        out,
        "Walking times follow Tobler's hiking function from each resident to the center. \
Against flat ground coverage goes from {} to {} ({} population lose coverage, {} gain it); \
walks get {} min longer on average.\n",
        pct(c.baseline_coverage_ratio),
        pct(c.variant_coverage_ratio),
        num(c.lost_population),
        num(c.gained_population),
        c.mean_walk_change_min
            .map_or("–".to_string(), |m| format!("{m:.2}"))
    );
    let mut centers: Vec<_> = c
        .per_center
        .iter()
        .filter(|r| r.change_population != 0.0 || r.lost_population != 0.0)
        .collect();
    centers.sort_by(|a, b| {
        b.lost_population
            .total_cmp(&a.lost_population)
            .then(a.change_population.total_cmp(&b.change_population))
            .then(a.id.cmp(&b.id))
    });
    if !centers.is_empty() {
        let _ = writeln!(
            out,
            "| center | served, flat | served, slope | change | lost to the hills |\n|---|---:|---:|---:|---:|"
        );
        for r in centers.iter().take(REPORT_SLOPE_CENTER_ROWS) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                markdown_cell(&r.id),
                num(r.baseline_served_population),
                num(r.variant_served_population),
                num(r.change_population),
                num(r.lost_population)
            );
        }
        if centers.len() > REPORT_SLOPE_CENTER_ROWS {
            let _ = writeln!(
                out,
                "\n{} more centers change; all are in `summary.json` (`slope.per_center`).",
                centers.len() - REPORT_SLOPE_CENTER_ROWS
            );
        }
    }
    out
}

/// "Services and tiers": coverage per tier, per service, and complete coverage.
pub fn tiers_markdown(t: &TierCoverage) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n## Services and tiers{}\n",
        t.config
            .as_deref()
            .map_or(String::new(), |n| format!(" ({n})"))
    );
    let _ = writeln!(
        out,
        "**Complete coverage (every required service within its threshold): {} ({} of {}).**\n",
        pct(t.complete_ratio),
        num(t.complete_population),
        num(t.total_population)
    );
    let _ = writeln!(
        out,
        "| tier | threshold | centers | covered population | coverage | gaps |\n|---|---:|---:|---:|---:|---:|"
    );
    for r in &t.tiers {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            markdown_cell(&r.name),
            threshold_words(r.threshold()),
            r.centers,
            num(r.covered_population),
            pct(r.coverage_ratio),
            r.gap_count
        );
    }
    if !t.services.is_empty() {
        let _ = writeln!(
            out,
            "\n| service | tier | threshold | centers | covered population | coverage | gaps | population in gaps |\n|---|---|---:|---:|---:|---:|---:|---:|"
        );
        for r in &t.services {
            let _ = writeln!(
                out,
                "| {}{} | {} | {} | {} | {} | {} | {} | {} |",
                markdown_cell(&r.name),
                if r.required { "" } else { " (optional)" },
                markdown_cell(r.tier.as_deref().unwrap_or("any")),
                threshold_words(r.threshold()),
                r.centers,
                num(r.covered_population),
                pct(r.coverage_ratio),
                r.gap_count,
                num(r.gap_population)
            );
        }
    }
    if let Some(rules) = &t.center_rules {
        let _ = writeln!(
            out,
            "\nTiers of centers from the config's tag rules (a center's own `tier` wins: {}).\n\n\
             | rule | tier | centers |\n|---|---|---:|",
            rules.by_property
        );
        for r in &rules.rules {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                markdown_cell(&r.rule),
                markdown_cell(&r.tier),
                r.centers
            );
        }
        if rules.unmatched > 0 {
            let more = rules.unmatched - rules.unmatched_ids.len();
            let _ = writeln!(
                out,
                "\n**{} centers matched no rule and count for no tier:** {}{}.",
                rules.unmatched,
                rules
                    .unmatched_ids
                    .iter()
                    .map(|id| markdown_cell(id))
                    .collect::<Vec<_>>()
                    .join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        }
    }
    out.push_str(&unit_tiers_markdown(t));
    out.push_str(&upgrades_markdown(t));
    out
}

/// Upgrades listed in `report.md` (more in `summary.json`).
pub(crate) const REPORT_UPGRADE_ROWS: usize = 10;

/// "Upgrade or build": the services existing centers could add, best first.
fn upgrades_markdown(t: &TierCoverage) -> String {
    let mut out = String::new();
    if t.upgrades.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "\nUpgrade before you build: services existing centers could add ({} options; the \
         best {} in `summary.json`).\n\n| center | tier | adds | newly complete | newly \
         served |\n|---|---|---|---:|---:|",
        t.upgrade_options,
        t.upgrades.len()
    );
    for u in t.upgrades.iter().take(REPORT_UPGRADE_ROWS) {
        let service = t.services.iter().find(|s| s.id == u.service);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            markdown_cell(&u.center),
            markdown_cell(&u.tier),
            markdown_cell(service.map_or(u.service.as_str(), |s| s.name.as_str())),
            num(u.newly_complete_population),
            num(u.newly_served_population)
        );
    }
    out
}

/// Units listed in the per-unit tiers table (the units' order; all are in
/// `units.geojson` and `summary.json`).
pub const REPORT_TIER_UNIT_ROWS: usize = 50;

/// Per reporting unit: complete coverage, each tier and the weakest required service.
fn unit_tiers_markdown(t: &TierCoverage) -> String {
    let mut out = String::new();
    if t.per_unit.is_empty() {
        return out;
    }
    let tier_names: Vec<String> = t.tiers.iter().map(|r| markdown_cell(&r.name)).collect();
    let weakest = !t.services.is_empty();
    let _ = writeln!(
        out,
        "\nPer reporting unit (every tier and service in `units.geojson`):\n\n\
         | unit | population | complete | {}{} |\n|---|---:|---:|{}{}",
        tier_names.join(" | "),
        if weakest {
            " | weakest required service"
        } else {
            ""
        },
        "---:|".repeat(tier_names.len()),
        if weakest { "---|" } else { "" }
    );
    for u in t.per_unit.iter().take(REPORT_TIER_UNIT_ROWS) {
        let tiers: Vec<String> = u.tiers.iter().map(|r| pct(r.coverage_ratio)).collect();
        let weakest_cell = if weakest {
            let name = u.weakest_service(t).map_or("-".to_string(), |w| {
                let service = t.services.iter().find(|s| s.id == w.id);
                let label = service.map_or(w.id.as_str(), |s| s.name.as_str());
                format!("{} ({})", markdown_cell(label), pct(w.coverage_ratio))
            });
            format!(" | {name}")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {}{} |",
            markdown_cell(u.name.as_deref().unwrap_or(&u.id)),
            num(u.population),
            pct(u.complete_ratio),
            tiers.join(" | "),
            weakest_cell
        );
    }
    more_units(&mut out, t.per_unit.len(), REPORT_TIER_UNIT_ROWS);
    out
}

/// One band of a multi-threshold run, as [`bands_markdown`] lists it.
#[derive(Debug, Clone, Copy)]
pub struct BandRow<'a> {
    /// The threshold with its unit (`5 min`).
    pub label: &'a str,
    /// Population within the band's walk.
    pub covered_population: f64,
    /// Its share of all population.
    pub coverage_ratio: f64,
    /// Population with a longer walk.
    pub uncovered_reachable_population: f64,
}

/// "N more units in `units.geojson`." after a table listing `shown` of `total` units.
fn more_units(out: &mut String, total: usize, shown: usize) {
    if total > shown {
        let _ = writeln!(out, "\n{} more units in `units.geojson`.", total - shown);
    }
}

/// Units listed in the bands table (in the units' order; all are in `units.geojson`).
pub const REPORT_BAND_UNIT_ROWS: usize = 50;

/// "Life circles side by side": coverage within each band, and per reporting unit
/// (`units`: name and one coverage ratio per band).
pub fn bands_markdown(rows: &[BandRow<'_>], units: &[(&str, Vec<f64>)]) -> String {
    let mut out = String::new();
    if rows.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\n## Life circles side by side\n");
    let _ = writeln!(
        out,
        "Every threshold from the same walks (each equals a run at that threshold alone).\n"
    );
    let _ = writeln!(
        out,
        "| within | covered population | coverage | reachable, but farther |\n|---|---:|---:|---:|"
    );
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            r.label,
            num(r.covered_population),
            pct(r.coverage_ratio),
            num(r.uncovered_reachable_population)
        );
    }
    if units.is_empty() {
        return out;
    }
    let labels: Vec<&str> = rows.iter().map(|r| r.label).collect();
    let _ = writeln!(
        out,
        "\nCoverage per reporting unit:\n\n| unit | {} |\n|---|{}",
        labels.join(" | "),
        "---:|".repeat(labels.len())
    );
    for (name, ratios) in units.iter().take(REPORT_BAND_UNIT_ROWS) {
        let cells: Vec<String> = ratios.iter().map(|&r| pct(r)).collect();
        let _ = writeln!(out, "| {} | {} |", markdown_cell(name), cells.join(" | "));
    }
    more_units(&mut out, units.len(), REPORT_BAND_UNIT_ROWS);
    out
}

/// Units listed in the accessibility table (the units' order; all are in
/// `units.geojson`).
pub const REPORT_ACCESS_UNIT_ROWS: usize = 50;

/// "Accessibility": the 2SFCA scores and the centers within the threshold, overall and
/// per reporting unit (`unit_names` in the units' order).
pub fn access_markdown(a: &Accessibility, unit_names: &[&str], threshold: Threshold) -> String {
    let mut out = String::new();
    let decay = if a.method == AccessDecay::Gaussian.method() {
        "Gaussian distance decay"
    } else {
        "no distance decay"
    };
    let _ = writeln!(
        out,
        "\n## Accessibility ({}, {decay})\n\nEach center's `{}` is shared over the residents \
         within {} of it, and each resident sums the shares of the centers within reach: a \
         score is {}. {} centers have a capacity, {} count as 1 (total {}).\n",
        a.method,
        markdown_cell(&a.capacity_field),
        threshold_words(threshold),
        a.score_unit,
        a.centers_with_capacity,
        a.centers_capacity_defaulted,
        num(a.total_capacity)
    );
    let _ = writeln!(
        out,
        "| mean score | mean centers within | population with no center within |\n|---:|---:|---:|\n| {:.6} | {:.2} | {} |",
        a.mean_score,
        a.mean_centers_within,
        num(a.population_without_center)
    );
    if a.per_unit.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "\n| unit | mean score | mean centers within |\n|---|---:|---:|"
    );
    for (u, name) in a
        .per_unit
        .iter()
        .zip(unit_names)
        .take(REPORT_ACCESS_UNIT_ROWS)
    {
        let _ = writeln!(
            out,
            "| {} | {:.6} | {:.2} |",
            markdown_cell(name),
            u.mean_score,
            u.mean_centers_within
        );
    }
    more_units(&mut out, a.per_unit.len(), REPORT_ACCESS_UNIT_ROWS);
    out
}
