//! Reading the layers a session loads: point layers from any format or by tag from a
//! PBF, and roads with their network built.

use std::sync::Arc;

use lifecircle::features::{PointLayer, RoadLayer};
use lifecircle::input::{InputLimits, PopulationEstimate, TagFilter};
use lifecircle::study::{build_network, InputReport};
use lifecircle::{read_points, Layer, ReadOptions, Result};

use super::{LoadReport, Roads};
use crate::view;

/// A tag filter that was given (an empty one means none, as in `read_points`).
pub(super) fn given(filter: Option<&str>) -> Option<&str> {
    filter.filter(|f| !f.trim().is_empty())
}

/// Reads a point layer; `places` for centers and candidate sites (their population is
/// not read as people).
pub(super) fn read_point_layer(
    name: &str,
    bytes: &[u8],
    osm_filter: Option<&str>,
    limits: &InputLimits,
    places: bool,
) -> Result<Layer<PointLayer>> {
    let base = ReadOptions {
        places,
        ..ReadOptions::with_limits(*limits)
    };
    match given(osm_filter) {
        Some(filter) => {
            let options = base.osm(TagFilter::parse(filter)?, PopulationEstimate::One);
            Ok(Layer::new(
                read_points(name, bytes, &options)?,
                format!("{name} [{filter}]"),
            ))
        }
        None => Ok(Layer::new(read_points(name, bytes, &base)?, name)),
    }
}

/// The roads with their network built, and their load report.
pub(super) fn roads_with_network(layer: Layer<RoadLayer>) -> Result<(Roads, LoadReport)> {
    let network = build_network(&layer, &Default::default())?;
    let report = InputReport::new(&layer.source, layer.data.lines.len(), &layer.data.skipped);
    let roads = Roads {
        network: Arc::new(network),
        bounds: view::line_bounds(&layer.data.lines),
        report: report.clone(),
    };
    Ok((roads, LoadReport::from(report)))
}
