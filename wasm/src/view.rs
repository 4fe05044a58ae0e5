//! What the page sees besides the core's view: the bounds of the roads and the
//! optimizer's progress as one fraction.

use lifecircle::features::RoadLine;
use lifecircle::planning::{PlanProgress, PlanStage};

/// `[west, south, east, north]` of the road vertices (zeros when there are none).
pub(crate) fn line_bounds(lines: &[RoadLine]) -> [f64; 4] {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for p in lines.iter().flat_map(|l| &l.coords) {
        b[0] = b[0].min(p[0]);
        b[1] = b[1].min(p[1]);
        b[2] = b[2].max(p[0]);
        b[3] = b[3].max(p[1]);
    }
    if b[0].is_finite() {
        b
    } else {
        [0.0; 4]
    }
}

/// Overall progress in `[0, 1)` and a stage name: the candidate searches are most of the
/// work, the greedy picks, swaps or the integer program the rest.
pub(crate) fn progress_fraction(p: &PlanProgress) -> (f64, &'static str) {
    let part = if p.total > 0 {
        (p.done as f64 / p.total as f64).clamp(0.0, 1.0)
    } else {
        0.0
    };
    match p.stage {
        PlanStage::Candidates => (0.8 * part, "candidates"),
        PlanStage::Greedy => (0.8 + 0.1 * part, "greedy"),
        PlanStage::Swap => (0.9 + 0.09 * part, "swap"),
        PlanStage::Exact => (0.8 + 0.19 * part, "exact"),
    }
}
