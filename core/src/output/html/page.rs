//! The two pages: the report of a coverage folder and the report of a plan folder.

use std::fmt::Write;

use super::figures::map_figure;
use super::folder::{CoverageFolder, PlanFolder};
use super::markup::{esc, lonlat, minutes, page, Table};
use super::sections::{cards, coverage_sections, footer, headline, method_section, subtitle};
use super::strings::Lang;
use super::svg::{Marker, MarkerKind};
use crate::output::grouped;

fn model_name(lang: Lang, id: &str) -> String {
    let (en, zh) = match id {
        "mclp" => ("maximal coverage (MCLP)", "最大覆盖模型（MCLP）"),
        "lscp" => ("set covering (LSCP)", "集合覆盖模型（LSCP）"),
        "pmedian" => ("p-median", "P 中位模型（p-median）"),
        _ => return esc(id),
    };
    esc(if lang == Lang::Zh { zh } else { en })
}

fn method_name(lang: Lang, id: &str) -> String {
    let (en, zh) = match id {
        "greedy" => ("greedy", "贪心算法"),
        "greedy+swap" => ("greedy, then improved by swaps", "贪心算法并以交换改进"),
        "exact" => ("exact (integer program)", "精确求解（整数规划）"),
        _ => return esc(id),
    };
    esc(if lang == Lang::Zh { zh } else { en })
}

/// The report of a coverage folder.
pub(super) fn coverage_page(lang: Lang, folder: &CoverageFolder) -> String {
    let w = lang.words();
    let s = &folder.summary;
    let mut body = String::new();
    let _ = write!(body, "<h1>{}</h1>", esc(w.coverage_report));
    subtitle(&mut body, s);
    let _ = write!(
        body,
        r#"<p class="headline" id="headline">{}</p>"#,
        esc(&headline(lang, w, s))
    );
    body.push_str(&cards(lang, w, s));
    let _ = write!(body, "<h2>{}</h2>", esc(w.map));
    body.push_str(&map_figure("map-coverage", w, folder, &[], w.map_note));
    coverage_sections(&mut body, lang, w, folder, "");
    method_section(&mut body, w, s);
    page(
        lang,
        s.title.as_deref().unwrap_or(w.coverage_report),
        &body,
        &footer(w, s),
    )
}

/// The report of a plan folder: the chosen sites, the maps before and after, and the
/// coverage after.
pub(super) fn plan_page(lang: Lang, folder: &PlanFolder) -> String {
    let w = lang.words();
    let (plan, before, after) = (&folder.plan, &folder.before.summary, &folder.after.summary);
    let pct = |r: f64| lang.percent(r);
    let mut body = String::new();
    let _ = write!(body, "<h1>{}</h1>", esc(w.plan_report));
    subtitle(&mut body, after);
    let _ = write!(
        body,
        r#"<p class="headline" id="headline">{}</p>"#,
        esc(&headline(lang, w, after))
    );
    body.push_str(&cards(lang, w, after));

    let mut t = Table::new(
        "plan-table",
        &[
            ("", false),
            (w.before, true),
            (w.after, true),
            (w.change, true),
        ],
    );
    let (b, a) = (&before.coverage, &after.coverage);
    t.row(
        "",
        &[
            esc(w.coverage),
            pct(b.coverage_ratio),
            pct(a.coverage_ratio),
            pct(a.coverage_ratio - b.coverage_ratio),
        ],
    );
    t.row(
        "",
        &[
            esc(w.covered_population),
            grouped(b.covered_population),
            grouped(a.covered_population),
            grouped(a.covered_population - b.covered_population),
        ],
    );
    t.row(
        "",
        &[
            esc(w.mean_walk),
            minutes(b.mean_walk_min),
            minutes(a.mean_walk_min),
            a.mean_walk_min
                .zip(b.mean_walk_min)
                .map_or("–".into(), |(a, b)| format!("{:+.1}", a - b)),
        ],
    );
    t.row(
        "",
        &[
            esc(w.gap_count),
            grouped(before.gaps.count as f64),
            grouped(after.gaps.count as f64),
            format!("{:+}", after.gaps.count as i64 - before.gaps.count as i64),
        ],
    );
    let _ = write!(body, "<h2>{}</h2>", esc(w.coverage));
    body.push_str(&t.end());

    let _ = write!(body, "<h2>{}</h2>", esc(w.new_sites));
    let k = plan
        .parameters
        .k
        .map_or(String::new(), |k| format!(", k = {k}"));
    let target = plan
        .parameters
        .target_ratio
        .map_or(String::new(), |r| format!(", {}", pct(r)));
    let _ = write!(
        body,
        "<p>{}: {}{k}{target} · {}: {} · {}: <code>{}</code> ({})</p>",
        esc(w.plan_model),
        model_name(lang, &plan.parameters.model),
        esc(w.plan_method),
        method_name(lang, &plan.method),
        esc(w.candidates),
        esc(&plan.candidates.source),
        grouped(plan.candidates.count as f64)
    );
    let mut t = Table::new(
        "sites-table",
        &[
            (w.rank, true),
            (w.site, false),
            (w.location, false),
            (w.gain, true),
        ],
    );
    for site in &plan.sites {
        t.row(
            "",
            &[
                site.rank.to_string(),
                esc(&site.id),
                lonlat(site.lonlat),
                grouped(site.gain),
            ],
        );
    }
    body.push_str(&t.end());
    let _ = write!(
        body,
        "<p>{}: {} ({})</p>",
        esc(w.objective),
        grouped(plan.objective),
        plan.bound.map_or("–".into(), grouped)
    );
    if !plan.closed.is_empty() {
        let names: Vec<String> = plan.closed.iter().map(|c| esc(&c.id)).collect();
        let _ = write!(
            body,
            "<p>{}: {}</p>",
            esc(w.closed_centers),
            names.join(", ")
        );
    }
    if !plan.notes.is_empty() {
        let _ = write!(
            body,
            "<p class=\"note\">{}: {}</p>",
            esc(w.notes),
            plan.notes
                .iter()
                .map(|n| esc(n))
                .collect::<Vec<_>>()
                .join(" · ")
        );
    }

    let sites: Vec<Marker<'_>> = plan
        .sites
        .iter()
        .map(|s| Marker {
            at: s.lonlat,
            kind: MarkerKind::NewSite,
            title: &s.id,
        })
        .collect();
    let _ = write!(body, "<h2>{}</h2>", esc(w.map));
    body.push_str(r#"<div class="pair">"#);
    body.push_str(&map_figure("map-before", w, &folder.before, &[], w.before));
    body.push_str(&map_figure("map-after", w, &folder.after, &sites, w.after));
    body.push_str("</div>");
    let _ = write!(body, r#"<p class="note">{}</p>"#, esc(w.map_note));
    coverage_sections(&mut body, lang, w, &folder.after, "after-");
    method_section(&mut body, w, after);
    page(
        lang,
        after.title.as_deref().unwrap_or(w.plan_report),
        &body,
        &footer(w, after),
    )
}
