//! The report's pictures as inline SVG: the network map and the walk-time chart.
//!
//! SVG rather than a script-drawn canvas: it needs nothing to open from the file
//! system, prints sharp at any scale, and the same input gives the same bytes. Streets
//! of one colour share one `<path>`, with coordinates on a 0.1-unit grid of a
//! 1,000-unit-wide picture, which keeps a city of 30,000 streets to a few MB.

use std::fmt::Write;

use super::folder::{GapShape, Street};
use super::markup::esc;

/// Width of the map picture, in SVG units.
pub(super) const MAP_WIDTH: f64 = 1000.0;

/// The palette of the viewer, so a report and the screen agree.
pub(super) mod colors {
    pub(crate) const COVERED: &str = "#0e9f6e";
    pub(crate) const NEAR: &str = "#f0a030";
    pub(crate) const BEYOND: &str = "#d9434b";
    pub(crate) const NO_WALK: &str = "#9aa1ab";
    pub(crate) const GAP_FILL: &str = "#ff5a5f";
    pub(crate) const GAP_LINE: &str = "#c81e3a";
    pub(crate) const CENTER: &str = "#1f2937";
    pub(crate) const NEW_SITE: &str = "#7c3aed";
}

/// Walk-time class of a street, as the viewer colours it.
fn street_color(s: &Street, threshold_min: f64) -> usize {
    match s.walk_min {
        None => 3,
        Some(_) if s.covered => 0,
        Some(m) if m <= threshold_min * 1.5 => 1,
        Some(_) => 2,
    }
}

const STREET_COLORS: [&str; 4] = [
    colors::COVERED,
    colors::NEAR,
    colors::BEYOND,
    colors::NO_WALK,
];

/// Maps `[lon, lat]` to picture units: an equirectangular projection around the middle
/// latitude (a city is small enough for its distortion not to show).
pub(super) struct Frame {
    min_lon: f64,
    max_lat: f64,
    x_scale: f64,
    y_scale: f64,
    /// Height of the picture, SVG units.
    pub height: f64,
}

impl Frame {
    /// The frame around `points`, `None` when there are none.
    pub(super) fn around(points: impl Iterator<Item = [f64; 2]>) -> Option<Frame> {
        let mut b = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for [x, y] in points {
            b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }
        if !b.iter().all(|v| v.is_finite()) {
            return None;
        }
        let margin = 0.03;
        let (dx, dy) = ((b[2] - b[0]).max(1e-6), (b[3] - b[1]).max(1e-6));
        let (b0, b1, b2, b3) = (
            b[0] - dx * margin,
            b[1] - dy * margin,
            b[2] + dx * margin,
            b[3] + dy * margin,
        );
        let shrink = ((b1 + b3) / 2.0).to_radians().cos().max(0.05);
        let x_scale = MAP_WIDTH / ((b2 - b0) * shrink);
        let height = ((b3 - b1) * x_scale).clamp(200.0, 1400.0);
        // A very tall or very flat area keeps its shape: scale down to fit the height.
        let fit = (height / ((b3 - b1) * x_scale)).min(1.0);
        Some(Frame {
            min_lon: b0,
            max_lat: b3,
            x_scale: x_scale * shrink * fit,
            y_scale: x_scale * fit,
            height,
        })
    }

    fn xy(&self, [lon, lat]: [f64; 2]) -> (f64, f64) {
        (
            (lon - self.min_lon) * self.x_scale,
            (self.max_lat - lat) * self.y_scale,
        )
    }
}

/// A coordinate on the 0.1-unit grid, without a trailing `.0`.
fn coord(out: &mut String, v: f64) {
    let tenths = (v * 10.0).round() as i64;
    if tenths % 10 == 0 {
        let _ = write!(out, "{}", tenths / 10);
    } else {
        let _ = write!(out, "{}", tenths as f64 / 10.0);
    }
}

fn path_of_lines<'a>(frame: &Frame, lines: impl Iterator<Item = &'a [[f64; 2]]>) -> String {
    let mut d = String::new();
    for line in lines {
        let mut last = None;
        for (i, p) in line.iter().enumerate() {
            let (x, y) = frame.xy(*p);
            let key = ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
            if last == Some(key) {
                continue;
            }
            d.push(if i == 0 { 'M' } else { 'L' });
            coord(&mut d, x);
            d.push(' ');
            coord(&mut d, y);
            last = Some(key);
        }
    }
    d
}

/// A point drawn on the map.
pub(super) struct Marker<'a> {
    pub at: [f64; 2],
    pub kind: MarkerKind,
    pub title: &'a str,
}

/// How a marker is drawn.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum MarkerKind {
    Center,
    OffNetwork,
    NewSite,
    /// The best site found for a gap.
    GapSite,
}

/// The map of a coverage folder: streets by walk time, gap areas with their rank, and
/// markers. `id` names the `<svg>` for the tests and the print layout.
pub(super) fn map(
    id: &str,
    label: &str,
    streets: &[Street],
    gaps: &[GapShape],
    markers: &[Marker<'_>],
    threshold_min: f64,
) -> String {
    let points = streets
        .iter()
        .flat_map(|s| s.line.iter().copied())
        .chain(markers.iter().map(|m| m.at));
    let Some(frame) = Frame::around(points) else {
        return String::new();
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg id="{id}" class="map" role="img" aria-label="{}" viewBox="0 0 {MAP_WIDTH} {}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(label),
        frame.height.round()
    );
    let _ = write!(
        svg,
        r##"<rect width="100%" height="100%" fill="#f6f7f4"/>"##
    );
    // Gaps under the streets, so the streets in them stay readable.
    let _ = write!(
        svg,
        r#"<g class="gaps" fill="{}" fill-opacity="0.28" stroke="{}" stroke-width="1.2">"#,
        colors::GAP_FILL,
        colors::GAP_LINE
    );
    for g in gaps {
        let d = path_of_lines(&frame, g.rings.iter().map(Vec::as_slice));
        let _ = write!(svg, r#"<path data-rank="{}" d="{d}Z"/>"#, g.rank);
    }
    svg.push_str("</g>");
    let mut by_color: [Vec<&[[f64; 2]]>; 4] = Default::default();
    for s in streets {
        by_color[street_color(s, threshold_min)].push(&s.line);
    }
    // Drawn far to near, so covered streets lie on top.
    for class in [3, 2, 1, 0] {
        let lines = &by_color[class];
        if lines.is_empty() {
            continue;
        }
        let d = path_of_lines(&frame, lines.iter().copied());
        let _ = write!(
            svg,
            r#"<path class="streets-{class}" fill="none" stroke="{}" stroke-width="1.1" stroke-linecap="round" stroke-linejoin="round" d="{d}"/>"#,
            STREET_COLORS[class]
        );
    }
    // Rank labels of the ten largest gaps, at their outline's first vertex extent centre.
    for g in gaps.iter().filter(|g| g.rank <= 10) {
        let pts: Vec<(f64, f64)> = g.rings.iter().flatten().map(|p| frame.xy(*p)).collect();
        if pts.is_empty() {
            continue;
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (x, y) in pts {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        let _ = write!(
            svg,
            r##"<g class="gap-label"><circle cx="{cx:.1}" cy="{cy:.1}" r="9" fill="#fff" stroke="{}" stroke-width="1.5"/><text x="{cx:.1}" y="{:.1}" text-anchor="middle" font-size="11" font-weight="700" fill="{}">{}</text></g>"##,
            colors::GAP_LINE,
            cy + 4.0,
            colors::GAP_LINE,
            g.rank
        );
    }
    for m in markers {
        let (x, y) = frame.xy(m.at);
        let title = esc(m.title);
        let _ = match m.kind {
            MarkerKind::Center => write!(
                svg,
                r##"<circle class="center" cx="{x:.1}" cy="{y:.1}" r="5" fill="#fff" stroke="{}" stroke-width="2.2"><title>{title}</title></circle>"##,
                colors::CENTER
            ),
            MarkerKind::OffNetwork => write!(
                svg,
                r##"<circle class="center-off" cx="{x:.1}" cy="{y:.1}" r="5" fill="none" stroke="{}" stroke-width="1.5" stroke-dasharray="2 2"><title>{title}</title></circle>"##,
                colors::NO_WALK
            ),
            MarkerKind::GapSite => write!(
                svg,
                r##"<rect class="gap-site" x="{:.1}" y="{:.1}" width="9" height="9" transform="rotate(45 {x:.1} {y:.1})" fill="#fff" stroke="{}" stroke-width="2"><title>{title}</title></rect>"##,
                x - 4.5,
                y - 4.5,
                colors::NEW_SITE
            ),
            MarkerKind::NewSite => write!(
                svg,
                r##"<rect class="new-site" x="{:.1}" y="{:.1}" width="11" height="11" transform="rotate(45 {x:.1} {y:.1})" fill="{}" stroke="#fff" stroke-width="1.5"><title>{title}</title></rect>"##,
                x - 5.5,
                y - 5.5,
                colors::NEW_SITE
            ),
        };
    }
    svg.push_str("</svg>");
    svg
}

/// The legend's colour swatches: `(colour, label, shape)`; shape `line`, `area`,
/// `center`, `off`, `site`.
pub(super) fn swatch(color: &str, shape: &str) -> String {
    let body = match shape {
        "line" => format!(
            r#"<line x1="1" y1="7" x2="21" y2="7" stroke="{color}" stroke-width="3" stroke-linecap="round"/>"#
        ),
        "area" => format!(
            r#"<rect x="2" y="2" width="18" height="10" fill="{color}" fill-opacity="0.35" stroke="{}" stroke-width="1.2"/>"#,
            colors::GAP_LINE
        ),
        "center" => format!(
            r##"<circle cx="11" cy="7" r="4.5" fill="#fff" stroke="{color}" stroke-width="2"/>"##
        ),
        "gap-site" => format!(
            r##"<rect x="7" y="3" width="8" height="8" transform="rotate(45 11 7)" fill="#fff" stroke="{color}" stroke-width="1.8"/>"##
        ),
        "off" => format!(
            r#"<circle cx="11" cy="7" r="4.5" fill="none" stroke="{color}" stroke-width="1.5" stroke-dasharray="2 2"/>"#
        ),
        _ => format!(
            r#"<rect x="6.5" y="2.5" width="9" height="9" transform="rotate(45 11 7)" fill="{color}"/>"#
        ),
    };
    format!(
        r#"<svg class="swatch" viewBox="0 0 22 14" width="22" height="14" aria-hidden="true">{body}</svg>"#
    )
}

/// One bar of the walk-time chart: label, share of the population, colour.
pub(super) struct Bar<'a> {
    pub label: &'a str,
    pub share: f64,
    pub text: String,
    pub color: &'static str,
}

/// A bar chart of population shares by walk time.
pub(super) fn histogram(id: &str, label: &str, bars: &[Bar<'_>]) -> String {
    let (w, h, top, bottom, left) = (640.0, 240.0, 22.0, 36.0, 8.0);
    let max = bars
        .iter()
        .map(|b| b.share)
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    let slot = (w - 2.0 * left) / bars.len().max(1) as f64;
    let mut svg = format!(
        r#"<svg id="{id}" class="chart" role="img" aria-label="{}" viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(label)
    );
    let base = h - bottom;
    let _ = write!(
        svg,
        r##"<line x1="{left}" y1="{base}" x2="{}" y2="{base}" stroke="#9aa1ab"/>"##,
        w - left
    );
    for (i, b) in bars.iter().enumerate() {
        let bar_h = (base - top) * b.share / max;
        let x = left + slot * i as f64 + slot * 0.15;
        let cx = left + slot * (i as f64 + 0.5);
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="{:.1}" width="{:.1}" height="{bar_h:.1}" fill="{}"/><text x="{cx:.1}" y="{:.1}" text-anchor="middle" font-size="13" fill="#1f2937">{}</text><text x="{cx:.1}" y="{:.1}" text-anchor="middle" font-size="13" fill="#4b5563">{}</text>"##,
            base - bar_h,
            slot * 0.7,
            b.color,
            base - bar_h - 6.0,
            esc(&b.text),
            base + 20.0,
            esc(b.label)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn street(line: Vec<[f64; 2]>, covered: bool, walk_min: Option<f64>) -> Street {
        Street {
            line,
            covered,
            walk_min,
        }
    }

    #[test]
    fn streets_are_coloured_as_in_the_viewer() {
        let t = 10.0;
        assert_eq!(street_color(&street(vec![], true, Some(3.0)), t), 0);
        assert_eq!(street_color(&street(vec![], false, Some(14.0)), t), 1);
        assert_eq!(street_color(&street(vec![], false, Some(16.0)), t), 2);
        assert_eq!(street_color(&street(vec![], false, None), t), 3);
    }

    #[test]
    fn the_frame_keeps_north_up_and_the_width() {
        let f = Frame::around([[0.0, 60.0], [2.0, 61.0]].into_iter()).unwrap();
        let (x0, y0) = f.xy([0.0, 61.0]);
        let (x1, y1) = f.xy([2.0, 60.0]);
        assert!(x0 > 0.0 && y0 > 0.0 && x1 < MAP_WIDTH && y1 < f.height);
        assert!(y1 > y0, "south is down");
        // At 60.5° a degree of longitude is about half a degree of latitude.
        let ratio = (x1 - x0) / (y1 - y0);
        assert!(
            (ratio - 2.0 * 60.5_f64.to_radians().cos()).abs() < 0.01,
            "{ratio}"
        );
        assert!(Frame::around(std::iter::empty()).is_none());
    }

    #[test]
    fn one_path_per_colour_and_repeated_points_dropped() {
        let streets = [
            street(
                vec![[0.0, 0.0], [0.001, 0.0], [0.001, 0.0]],
                true,
                Some(1.0),
            ),
            street(vec![[0.001, 0.0], [0.002, 0.001]], true, Some(2.0)),
            street(vec![[0.002, 0.001], [0.003, 0.001]], false, None),
        ];
        let svg = map("m", "label <x>", &streets, &[], &[], 10.0);
        assert_eq!(svg.matches("class=\"streets-0\"").count(), 1);
        assert_eq!(svg.matches("class=\"streets-3\"").count(), 1);
        assert!(svg.contains("label &lt;x&gt;"));
        let d0 = svg.split("class=\"streets-0\"").nth(1).unwrap();
        let d0 = d0.split("d=\"").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(d0.matches('M').count(), 2);
        assert_eq!(d0.matches('L').count(), 2, "{d0}");
    }

    #[test]
    fn coordinates_sit_on_a_tenth_grid() {
        let mut s = String::new();
        coord(&mut s, 12.04);
        s.push(' ');
        coord(&mut s, 12.06);
        s.push(' ');
        coord(&mut s, 7.0);
        assert_eq!(s, "12 12.1 7");
    }
}
