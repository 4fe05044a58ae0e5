//! Input layers as tables: what core's readers make of a file (roads with their tags,
//! points with their population and properties), for `lifecircle.osm_layers_to_parquet`
//! — the distributed run's inputs from an OSM extract.

use std::collections::BTreeMap;

use lifecircle::crs::Crs;
use lifecircle::features::{PointLayer, RoadLine};
use lifecircle::input::InputLimits;
use lifecircle::output::{FeatureSource, Geometry, PointsLayer};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::Serialize;

use crate::background;
use crate::columns::Table;
use crate::inputs::{LayerSpec, PointReading};

/// Road lines with an order key and their tags.
struct RoadsLayer {
    lines: Vec<RoadLine>,
}

/// A road's properties: `id` (its position in the file, zero-padded so that text order
/// is file order) and its tags as a JSON object (one column: tag keys differ only in
/// case often enough, `name` and `NAME`, to break case-insensitive engines).
#[derive(Serialize)]
struct RoadProperties {
    id: String,
    tags: String,
}

impl FeatureSource for RoadsLayer {
    type Properties<'p> = RoadProperties;

    fn len(&self) -> usize {
        self.lines.len()
    }

    fn feature(&self, i: usize) -> (Geometry<'_>, RoadProperties) {
        let line = &self.lines[i];
        (
            Geometry::LineString(&line.coords),
            RoadProperties {
                id: format!("{:012}", line.source_index),
                tags: tags_json(&line.tags),
            },
        )
    }
}

fn tags_json(tags: &BTreeMap<String, String>) -> String {
    serde_json::to_string(tags).expect("a map of strings serialises")
}

/// A point's properties: `id`, `population`, and the rest as a JSON object.
#[derive(Clone, Serialize)]
struct PointProperties {
    id: String,
    population: f64,
    properties: String,
}

fn points_layer(layer: PointLayer) -> PointsLayer<PointProperties> {
    PointsLayer {
        points: layer
            .points
            .into_iter()
            .map(|p| {
                let row = PointProperties {
                    id: p.id,
                    population: p.population,
                    properties: serde_json::Value::Object(p.properties).to_string(),
                };
                ([p.lon, p.lat], row)
            })
            .collect(),
    }
}

/// The layer `spec` read as `kind` (`roads`, `places` or `residents`), as column buffers.
#[pyfunction]
pub(crate) fn read_layer_table(
    py: Python<'_>,
    spec: LayerSpec,
    kind: String,
) -> PyResult<Py<PyDict>> {
    let limits = InputLimits::default();
    let bytes = spec.load(py, &limits)?;
    let table = background::run(py, None, move |_| match kind.as_str() {
        "roads" => {
            let roads = bytes.roads(limits)?;
            Table::of(
                &RoadsLayer {
                    lines: roads.data.lines,
                },
                Crs::Wgs84,
            )
        }
        "places" | "residents" => {
            let reading = PointReading {
                places: kind == "places",
                ..PointReading::default()
            };
            let points = bytes.points(limits, &reading)?;
            Table::of(&points_layer(points.data), Crs::Wgs84)
        }
        other => Err(crate::errors::Failure::parameter(
            "kind",
            format!("`{other}`: expected roads, places or residents"),
        )),
    })?;
    table.into_py(py)
}
