//! A study's input layers, each with where it came from, and what reading them used
//! and skipped.

use serde::Serialize;

use crate::features::{PointLayer, RoadLayer, SkipCounts, UnitLayer};

/// One input layer and its source (a file name, with the tag filter when it was taken
/// from an OSM file by tag), which errors and reports name.
#[derive(Debug, Clone, Default)]
pub struct Layer<T> {
    /// The features.
    pub data: T,
    /// Where they came from.
    pub source: String,
}

impl<T> Layer<T> {
    /// `data` read from `source`.
    pub fn new(data: T, source: impl Into<String>) -> Self {
        Self {
            data,
            source: source.into(),
        }
    }
}

/// Everything a study reads: roads, centers, residents and (optionally) reporting units.
#[derive(Debug, Clone, Default)]
pub struct Layers {
    /// Walkable road lines.
    pub roads: Layer<RoadLayer>,
    /// Service centers.
    pub centers: Layer<PointLayer>,
    /// Residents (demand points).
    pub demand: Layer<PointLayer>,
    /// Communities or grid cells that coverage is reported by.
    pub units: Option<Layer<UnitLayer>>,
}

/// What reading one layer used and skipped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputReport {
    /// Where the layer came from.
    pub source: String,
    /// Features used.
    pub features_used: usize,
    /// Features left out, all reasons.
    pub skipped_total: usize,
    /// Features kept with a note: an id renamed, a population defaulted to 1.
    pub noted_total: usize,
    /// Features left out, and notes, by reason (notes start with `renamed:` or
    /// `defaulted:`).
    pub skipped: SkipCounts,
    /// The coordinate system the layer was reprojected from, when it was not WGS84.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
}

impl InputReport {
    /// The report of a point layer.
    pub fn of_points(layer: &Layer<PointLayer>) -> Self {
        Self::new(&layer.source, layer.data.points.len(), &layer.data.skipped)
            .with_crs(layer.data.crs.clone())
    }

    /// The report of a unit layer.
    pub fn of_units(layer: &Layer<UnitLayer>) -> Self {
        Self::new(&layer.source, layer.data.units.len(), &layer.data.skipped)
            .with_crs(layer.data.crs.clone())
    }

    /// The report of a layer from `source` that used `used` features.
    pub fn new(source: &str, used: usize, skipped: &SkipCounts) -> Self {
        Self {
            source: source.to_string(),
            features_used: used,
            skipped_total: skipped.dropped(),
            noted_total: skipped.noted(),
            skipped: skipped.clone(),
            crs: None,
        }
    }

    /// The same report naming the coordinate system the layer was reprojected from.
    #[must_use]
    pub fn with_crs(mut self, crs: Option<String>) -> Self {
        self.crs = crs;
        self
    }
}

/// The input reports of a study, in role order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputsReport {
    /// The roads.
    pub roads: InputReport,
    /// The centers.
    pub centers: InputReport,
    /// The residents.
    pub demand: InputReport,
    /// The reporting units, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub units: Option<InputReport>,
}

impl InputsReport {
    /// `(role, report)` in role order, units last when given.
    pub fn rows(&self) -> Vec<(&'static str, &InputReport)> {
        let mut rows = vec![
            ("roads", &self.roads),
            ("centers", &self.centers),
            ("demand", &self.demand),
        ];
        if let Some(u) = &self.units {
            rows.push(("units", u));
        }
        rows
    }
}
