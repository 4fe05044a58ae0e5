//! The report's sections of one coverage folder: headline and cards, map and chart
//! figures, the coverage, band, profile, tier, service, unit, gap and center tables,
//! and the method.

use std::fmt::Write;

use super::figures::histogram_figure;
use super::folder::{CoverageFolder, Summary};
use super::markup::{card, esc, fill, lonlat, minutes, named, Table};
use super::strings::{Lang, Words};
use crate::output::grouped;
use crate::study::is_default_title;

pub(super) fn profile_name(lang: Lang, id: &str) -> String {
    let zh = match id {
        "adult" => "成年人",
        "older" => "老年人",
        "wheelchair" => "轮椅使用者",
        _ => return esc(id),
    };
    match lang {
        Lang::En => esc(id),
        Lang::Zh => format!("{zh} <span class=\"note\">{}</span>", esc(id)),
    }
}

pub(super) fn role_name(w: &Words, role: &str) -> String {
    esc(match role {
        "roads" => w.role_roads,
        "centers" => w.role_centers,
        "demand" => w.role_demand,
        "units" => w.role_units,
        other => other,
    })
}

/// The coverage sections of one folder (everything but the title and map).
pub(super) fn coverage_sections(
    out: &mut String,
    lang: Lang,
    w: &Words,
    folder: &CoverageFolder,
    id_prefix: &str,
) {
    let s = &folder.summary;
    let c = &s.coverage;
    let pct = |r: f64| lang.percent(r);
    let total = c.total_population.max(f64::MIN_POSITIVE);
    let _ = write!(out, "<h2>{}</h2>", esc(w.coverage));
    let mut t = Table::new(
        &format!("{id_prefix}coverage-table"),
        &[
            ("", false),
            (w.population, true),
            (w.share, true),
            (w.residents, true),
        ],
    );
    for (label, pop, n, class) in [
        (w.covered, c.covered_population, c.residents_covered, ""),
        (
            w.reachable_beyond,
            c.uncovered_reachable_population,
            c.residents_uncovered_reachable,
            "",
        ),
        (
            w.too_far_from_network,
            c.too_far_from_network_population,
            c.residents_too_far_from_network,
            "",
        ),
        (w.no_path, c.no_path_population, c.residents_no_path, ""),
        (w.total, c.total_population, c.residents, "total"),
    ] {
        t.row(
            class,
            &[
                esc(label),
                grouped(pop),
                pct(pop / total),
                grouped(n as f64),
            ],
        );
    }
    out.push_str(&t.end());

    if !s.bands.is_empty() {
        let _ = write!(out, "<h2>{}</h2>", esc(w.circles));
        let mut t = Table::new(
            &format!("{id_prefix}circles-table"),
            &[
                (w.circle_within, false),
                (w.population, true),
                (w.share, true),
                (w.residents, true),
            ],
        );
        for b in &s.bands {
            t.row(
                "",
                &[
                    esc(&b.label),
                    grouped(b.covered_population),
                    pct(b.coverage_ratio),
                    grouped(b.residents_covered as f64),
                ],
            );
        }
        out.push_str(&t.end());
    }

    let _ = write!(out, "<h2>{}</h2>", esc(w.walk_time));
    out.push_str(&histogram_figure(
        &format!("{id_prefix}histogram"),
        lang,
        w,
        s,
    ));
    let mut t = Table::new(
        &format!("{id_prefix}bands-table"),
        &[
            (w.minutes, false),
            (w.population, true),
            (w.share, true),
            (w.cumulative_share, true),
        ],
    );
    let mut cumulative = 0.0;
    for b in &c.histogram {
        cumulative += b.population;
        t.row(
            "",
            &[
                esc(&b.label),
                grouped(b.population),
                pct(b.population / total),
                pct(cumulative / total),
            ],
        );
    }
    let unreachable = c.too_far_from_network_population + c.no_path_population;
    if unreachable > 0.0 {
        t.row(
            "",
            &[
                esc(w.no_walk),
                grouped(unreachable),
                pct(unreachable / total),
                pct(1.0),
            ],
        );
    }
    out.push_str(&t.end());

    if !s.profiles.is_empty() {
        let _ = write!(out, "<h2>{}</h2>", esc(w.profiles));
        let first = &s.profiles[0].profile;
        let first = match (lang, first.as_str()) {
            (Lang::Zh, "adult") => "成年人",
            (Lang::Zh, "older") => "老年人",
            (Lang::Zh, "wheelchair") => "轮椅使用者",
            (_, other) => other,
        };
        let lost = format!("{} ({first})", w.lost_vs_first);
        let mut t = Table::new(
            &format!("{id_prefix}profiles-table"),
            &[
                (w.profile, false),
                (w.speed_kmh, true),
                (w.covered_population, true),
                (w.coverage, true),
                (&lost, true),
            ],
        );
        for p in &s.profiles {
            t.row(
                "",
                &[
                    profile_name(lang, &p.profile),
                    grouped(p.speed_kmh),
                    grouped(p.covered_population),
                    pct(p.coverage_ratio),
                    grouped(p.lost_vs_first_population),
                ],
            );
        }
        out.push_str(&t.end());
    }

    if let Some(tiers) = &s.tiers {
        for (title, id, rows) in [
            (w.tiers, "tiers", &tiers.tiers),
            (w.services, "services", &tiers.services),
        ] {
            if rows.is_empty() {
                continue;
            }
            let _ = write!(out, "<h2>{}</h2>", esc(title));
            let head = if id == "tiers" { w.tier } else { w.service };
            let mut t = Table::new(
                &format!("{id_prefix}{id}-table"),
                &[
                    (head, false),
                    (w.threshold_min, true),
                    (w.required, false),
                    (w.centers, true),
                    (w.covered_population, true),
                    (w.coverage, true),
                ],
            );
            for r in rows {
                t.row(
                    "",
                    &[
                        esc(&r.name),
                        esc(&threshold_text(w, r.threshold_min, r.threshold_m)),
                        esc(if r.required { w.yes } else { w.no }),
                        grouped(r.centers as f64),
                        grouped(r.covered_population),
                        pct(r.coverage_ratio),
                    ],
                );
            }
            out.push_str(&t.end());
        }
        let _ = write!(
            out,
            r#"<p id="{id_prefix}complete-coverage">{}: <strong>{}</strong> ({})</p>"#,
            esc(w.complete_coverage),
            grouped(tiers.complete_population),
            pct(tiers.complete_ratio)
        );
    }

    if !c.per_unit.is_empty() {
        let _ = write!(out, "<h2>{}</h2>", esc(w.units));
        let mut t = Table::new(
            &format!("{id_prefix}units-table"),
            &[
                (w.unit, false),
                (w.population, true),
                (w.covered_population, true),
                (w.coverage, true),
                (w.mean_walk, true),
            ],
        );
        for u in &c.per_unit {
            t.row(
                "",
                &[
                    named(u.name.as_deref(), &u.id),
                    grouped(u.population),
                    grouped(u.covered_population),
                    pct(u.coverage_ratio),
                    minutes(u.mean_walk_min),
                ],
            );
        }
        out.push_str(&t.end());
        if c.residents_outside_units > 0 {
            let _ = write!(
                out,
                r#"<p class="note">{} {}</p>"#,
                grouped(c.residents_outside_units as f64),
                esc(w.outside_units)
            );
        }
    }

    if !s.gaps.largest.is_empty() {
        let _ = write!(out, "<h2>{}</h2>", esc(w.gaps));
        let mut t = Table::new(
            &format!("{id_prefix}gaps-table"),
            &[
                (w.rank, true),
                (w.population, true),
                (w.residents, true),
                (w.mean_walk, true),
                (w.longest_walk, true),
                (w.location, false),
                (w.best_site, false),
                (w.newly_covered, true),
            ],
        );
        for g in &s.gaps.largest {
            let (site, gain) = g.best_site.as_ref().map_or(("–".into(), "–".into()), |b| {
                (lonlat(b.location), grouped(b.covered_population_gain))
            });
            t.row(
                "",
                &[
                    g.rank.to_string(),
                    grouped(g.population),
                    grouped(g.residents as f64),
                    minutes(g.mean_walk_min),
                    minutes(g.max_walk_min),
                    lonlat(g.centroid),
                    site,
                    gain,
                ],
            );
        }
        out.push_str(&t.end());
        let _ = write!(out, r#"<p class="note">{}"#, esc(w.gaps_note));
        if s.gaps.count > s.gaps.largest.len() {
            let _ = write!(
                out,
                " {} {}",
                grouped((s.gaps.count - s.gaps.largest.len()) as f64),
                esc(w.more_gaps)
            );
        }
        out.push_str("</p>");
    }

    let _ = write!(out, "<h2>{}</h2>", esc(w.centers));
    let mut centers: Vec<_> = c.per_center.iter().collect();
    centers.sort_by(|a, b| {
        b.served_population
            .total_cmp(&a.served_population)
            .then(a.id.cmp(&b.id))
    });
    let mut t = Table::new(
        &format!("{id_prefix}centers-table"),
        &[
            (w.center, false),
            (w.status, false),
            (w.served_population, true),
            (w.nearest_population, true),
        ],
    );
    for ct in centers {
        let status = if ct.status == "ok" {
            w.status_ok
        } else {
            w.status_off_network
        };
        t.row(
            "",
            &[
                named(ct.name.as_deref(), &ct.id),
                esc(status),
                grouped(ct.served_population),
                grouped(ct.nearest_population),
            ],
        );
    }
    out.push_str(&t.end());
}

pub(super) fn method_section(out: &mut String, w: &Words, s: &Summary) {
    let _ = write!(out, "<h2>{}</h2>", esc(w.method));
    let text = fill(
        w.method_text,
        &[
            ("nodes", grouped(s.network.nodes as f64)),
            ("edges", grouped(s.network.edges as f64)),
            ("km", grouped(s.network.length_km)),
            ("speed", grouped(s.parameters.speed_kmh)),
            (
                "threshold",
                threshold_text(w, s.parameters.threshold_min, s.parameters.threshold_m),
            ),
            ("snap", grouped(s.parameters.max_snap_m)),
        ],
    );
    let _ = write!(out, "<p>{}</p>", esc(&text));
    let mut t = Table::new(
        "inputs-table",
        &[
            (w.input, false),
            (w.source, false),
            (w.used, true),
            (w.skipped, true),
            (w.skipped_reasons, false),
        ],
    );
    for role in ["roads", "centers", "demand", "units"] {
        let Some(i) = s.inputs.get(role) else {
            continue;
        };
        let reasons: Vec<String> = i
            .skipped
            .iter()
            .map(|(reason, n)| format!("<code>{}</code> {}", esc(reason), grouped(*n as f64)))
            .collect();
        t.row(
            "",
            &[
                role_name(w, role),
                format!("<code>{}</code>", esc(&i.source)),
                grouped(i.features_used as f64),
                grouped(i.skipped_total as f64),
                reasons.join("<br>"),
            ],
        );
    }
    out.push_str(&t.end());
}

pub(super) fn footer(w: &Words, s: &Summary) -> String {
    let osm = s
        .inputs
        .values()
        .any(|i| i.source.contains(".osm") || i.source.contains(".pbf"));
    let mut f = format!(
        "{} {} {}",
        esc(w.made_by),
        esc(&s.tool.name),
        esc(&s.tool.version)
    );
    if osm {
        let _ = write!(f, " · {}", esc(w.osm_attribution));
    }
    f
}

pub(super) fn headline(lang: Lang, w: &Words, s: &Summary) -> String {
    let c = &s.coverage;
    let (template, key, value) = match s.parameters.threshold_m {
        Some(m) => (w.headline_m, "m", m),
        None => (w.headline, "min", s.parameters.threshold_min),
    };
    fill(
        template,
        &[
            ("pct", lang.percent(c.coverage_ratio)),
            ("covered", grouped(c.covered_population)),
            ("total", grouped(c.total_population)),
            (key, grouped(value)),
        ],
    )
}

pub(super) fn cards(lang: Lang, w: &Words, s: &Summary) -> String {
    let c = &s.coverage;
    let min = |m: Option<f64>| m.map_or("–".to_string(), |m| format!("{m:.1} {}", w.min));
    let raw = |m: Option<f64>| m.map_or(String::new(), |m| m.to_string());
    let ok = c.per_center.iter().filter(|c| c.status == "ok").count();
    format!(
        r#"<div class="cards">{}{}{}{}{}{}{}</div>"#,
        card(
            "coverage-pct",
            &c.coverage_ratio.to_string(),
            &lang.percent(c.coverage_ratio),
            w.coverage
        ),
        card(
            "covered-pop",
            &c.covered_population.to_string(),
            &grouped(c.covered_population),
            w.covered_population
        ),
        card(
            "total-pop",
            &c.total_population.to_string(),
            &grouped(c.total_population),
            w.total_population
        ),
        card(
            "mean-walk",
            &raw(c.mean_walk_min),
            &min(c.mean_walk_min),
            w.mean_walk
        ),
        card(
            "median-walk",
            &raw(c.median_walk_min),
            &min(c.median_walk_min),
            w.median_walk
        ),
        card(
            "gap-count",
            &s.gaps.count.to_string(),
            &grouped(s.gaps.count as f64),
            w.gap_count
        ),
        card(
            "center-count",
            &ok.to_string(),
            &grouped(ok as f64),
            w.centers
        ),
    )
}

/// The user's own title under the heading (a default title says no more than it).
pub(super) fn subtitle(body: &mut String, s: &Summary) {
    if let Some(t) = s.title.as_deref().filter(|t| !is_default_title(t)) {
        let _ = write!(body, r#"<p class="subtitle" id="title">{}</p>"#, esc(t));
    }
}

/// A threshold with its unit: `10 min`, or `500 m walking distance` for a distance.
pub(super) fn threshold_text(w: &Words, threshold_min: f64, threshold_m: Option<f64>) -> String {
    match threshold_m {
        Some(m) => fill(w.walking_distance, &[("m", grouped(m))]),
        None => format!("{} {}", grouped(threshold_min), w.min),
    }
}
