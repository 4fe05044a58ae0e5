//! The report's figures: the map with its legend and the walk-time chart.

use std::fmt::Write;

use super::folder::{CoverageFolder, Parameters, Summary};
use super::markup::esc;
use super::strings::{Lang, Words};
use super::svg::{self, colors, Bar, Marker, MarkerKind};
use crate::output::grouped;

/// The map's legend; streets are coloured by walk minutes, and a distance threshold is
/// named in metres (on the flat costs a distance threshold uses, the same streets).
pub(super) fn legend(w: &Words, parameters: &Parameters, new_sites: bool) -> String {
    let (value, unit) = match parameters.threshold_m {
        Some(m) => (m, w.metres),
        None => (parameters.threshold_min, w.min),
    };
    let t = grouped(value);
    let near = grouped(value * 1.5);
    let mut items = vec![
        (
            svg::swatch(colors::COVERED, "line"),
            format!("≤ {t} {unit} · {}", w.legend_covered),
        ),
        (
            svg::swatch(colors::NEAR, "line"),
            format!("≤ {near} {unit} · {}", w.legend_near),
        ),
        (
            svg::swatch(colors::BEYOND, "line"),
            format!("> {near} {unit} · {}", w.legend_beyond),
        ),
        (
            svg::swatch(colors::NO_WALK, "line"),
            w.legend_no_walk.to_string(),
        ),
        (
            svg::swatch(colors::GAP_FILL, "area"),
            w.legend_gap.to_string(),
        ),
        (
            svg::swatch(colors::CENTER, "center"),
            w.legend_center.to_string(),
        ),
        (
            svg::swatch(colors::NO_WALK, "off"),
            w.legend_off_network.to_string(),
        ),
    ];
    if new_sites {
        items.push((
            svg::swatch(colors::NEW_SITE, "site"),
            w.legend_new_site.to_string(),
        ));
    }
    items.push((
        svg::swatch(colors::NEW_SITE, "gap-site"),
        w.legend_gap_site.to_string(),
    ));
    let mut out = String::from(r#"<div class="legend">"#);
    for (sw, label) in items {
        let _ = write!(out, "<span>{sw}{}</span>", esc(&label));
    }
    out.push_str("</div>");
    out
}

/// Centers, then the best sites of the largest gaps.
pub(super) fn center_markers<'s>(s: &'s Summary, w: &'s Words) -> Vec<Marker<'s>> {
    let gap_sites = s.gaps.largest.iter().filter_map(|g| {
        g.best_site.as_ref().map(|b| Marker {
            at: b.location,
            kind: MarkerKind::GapSite,
            title: w.legend_gap_site,
        })
    });
    s.coverage
        .per_center
        .iter()
        .map(|c| Marker {
            at: c.location,
            kind: if c.status == "ok" {
                MarkerKind::Center
            } else {
                MarkerKind::OffNetwork
            },
            title: c.name.as_deref().unwrap_or(&c.id),
        })
        .chain(gap_sites)
        .collect()
}

pub(super) fn map_figure(
    id: &str,
    w: &Words,
    folder: &CoverageFolder,
    extra: &[Marker<'_>],
    caption: &str,
) -> String {
    let mut markers = center_markers(&folder.summary, w);
    markers.extend(extra.iter().map(|m| Marker {
        at: m.at,
        kind: m.kind,
        title: m.title,
    }));
    let svg = svg::map(
        id,
        caption,
        &folder.streets,
        &folder.gaps,
        &markers,
        folder.summary.parameters.threshold_min,
    );
    format!(
        "<figure>{svg}{}<figcaption>{}</figcaption></figure>",
        legend(w, &folder.summary.parameters, !extra.is_empty()),
        esc(caption)
    )
}

pub(super) fn histogram_figure(id: &str, lang: Lang, w: &Words, s: &Summary) -> String {
    let c = &s.coverage;
    let total = c.total_population.max(f64::MIN_POSITIVE);
    let t = s.parameters.threshold_min;
    let mut bars: Vec<Bar<'_>> = Vec::new();
    let mut from = 0.0;
    for b in &c.histogram {
        // Bins are labelled `a-b` or `>a`; colour a bin by where it ends against the
        // threshold, as the map colours a street.
        let upper = b
            .label
            .split_once('-')
            .and_then(|(_, hi)| hi.parse::<f64>().ok());
        let color = match upper {
            Some(hi) if hi <= t => colors::COVERED,
            Some(hi) if hi <= t * 1.5 => colors::NEAR,
            _ if from < t => colors::NEAR,
            _ => colors::BEYOND,
        };
        from = upper.unwrap_or(f64::INFINITY);
        let share = b.population / total;
        bars.push(Bar {
            label: &b.label,
            share,
            text: lang.percent(share),
            color,
        });
    }
    let unreachable = c.too_far_from_network_population + c.no_path_population;
    if unreachable > 0.0 {
        bars.push(Bar {
            label: w.no_walk,
            share: unreachable / total,
            text: lang.percent(unreachable / total),
            color: colors::NO_WALK,
        });
    }
    format!(
        "<figure>{}<figcaption>{}</figcaption></figure>",
        svg::histogram(id, w.walk_time, &bars),
        esc(w.histogram_note)
    )
}
