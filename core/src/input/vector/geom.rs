//! A geometry visitor that builds raw geometries from any geozero source: FlatGeobuf
//! features and WKB (GeoPackage, GeoParquet) share it, so every format nests coordinates
//! the same way.

use geozero::error::Result as GeozeroResult;
use geozero::{CoordDimensions, GeomProcessor};

use crate::input::raw::{Coordinates, Position, RawGeometry};

/// Most elements reserved up front: counts come from the file and may lie.
const MAX_RESERVE: usize = 4096;

/// A part being built: the innermost open geometry is last on the stack.
enum Part {
    Point(Option<Position>),
    MultiPoint(Vec<Position>),
    Line(Vec<Position>),
    Polygon(Vec<Vec<Position>>),
    MultiLine(Vec<Vec<Position>>),
    MultiPolygon(Vec<Vec<Vec<Position>>>),
}

/// Collects one geometry; [`GeomBuilder::finish`] gives it (`None`: empty).
#[derive(Default)]
pub(super) struct GeomBuilder {
    stack: Vec<Part>,
    result: Option<Option<RawGeometry>>,
    /// Depth inside a geometry collection (its members are not read: collections are
    /// skipped, and counted, by every layer).
    collection_depth: usize,
    /// A geometry type the engine has no model for (curves, surfaces), or a nesting the
    /// builder did not expect.
    problem: Option<String>,
}

fn reserve<T>(size: usize) -> Vec<T> {
    Vec::with_capacity(size.min(MAX_RESERVE))
}

impl GeomBuilder {
    pub(super) fn new() -> Self {
        Self::default()
    }

    /// The geometry built; `Ok(None)` for an empty one.
    ///
    /// # Errors
    /// The reason, for a curve or surface type or an incomplete geometry.
    pub(super) fn finish(self) -> Result<Option<RawGeometry>, String> {
        if let Some(problem) = self.problem {
            return Err(problem);
        }
        if !self.stack.is_empty() || self.collection_depth > 0 {
            return Err("incomplete geometry".to_string());
        }
        Ok(self.result.flatten())
    }

    fn unsupported(&mut self, kind: &str) {
        if self.collection_depth == 0 && self.problem.is_none() {
            self.problem = Some(format!(
                "{kind} geometry is not supported (convert curves and surfaces to simple \
                 features first, e.g. `ogr2ogr -nlt CONVERT_TO_LINEAR`)"
            ));
        }
    }

    fn open(&mut self, part: Part) {
        if self.collection_depth == 0 {
            self.stack.push(part);
        }
    }

    fn close(&mut self) {
        if self.collection_depth > 0 {
            return;
        }
        let Some(part) = self.stack.pop() else {
            self.problem
                .get_or_insert_with(|| "geometry ends a part it never began".to_string());
            return;
        };
        match (self.stack.last_mut(), part) {
            (None, part) => self.result = Some(to_raw(part)),
            (Some(Part::Polygon(rings)), Part::Line(ring)) => rings.push(ring),
            (Some(Part::MultiLine(lines)), Part::Line(line)) => lines.push(line),
            (Some(Part::MultiPolygon(polygons)), Part::Polygon(rings)) => polygons.push(rings),
            (Some(Part::MultiPoint(points)), Part::Point(point)) => points.extend(point),
            _ => {
                self.problem
                    .get_or_insert_with(|| "geometry parts nested in an unknown way".to_string());
            }
        }
    }

    fn push(&mut self, position: Position) {
        if self.collection_depth > 0 {
            return;
        }
        match self.stack.last_mut() {
            Some(Part::Point(point)) => *point = Some(position),
            Some(Part::MultiPoint(list) | Part::Line(list)) => list.push(position),
            _ => {
                self.problem
                    .get_or_insert_with(|| "a coordinate outside any part".to_string());
            }
        }
    }
}

/// A finished top-level part as a raw geometry; empty parts give `None`.
fn to_raw(part: Part) -> Option<RawGeometry> {
    let (kind, coordinates) = match part {
        Part::Point(point) => ("Point", Coordinates::Position(point?)),
        Part::MultiPoint(p) if !p.is_empty() => ("MultiPoint", Coordinates::Positions(p)),
        Part::Line(p) if !p.is_empty() => ("LineString", Coordinates::Positions(p)),
        Part::Polygon(r) if !r.is_empty() => ("Polygon", Coordinates::Rings(r)),
        Part::MultiLine(r) if !r.is_empty() => ("MultiLineString", Coordinates::Rings(r)),
        Part::MultiPolygon(p) if !p.is_empty() => ("MultiPolygon", Coordinates::Polygons(p)),
        _ => return None,
    };
    Some(RawGeometry::new(kind, coordinates))
}

impl GeomProcessor for GeomBuilder {
    fn dimensions(&self) -> CoordDimensions {
        CoordDimensions::xyz()
    }

    fn xy(&mut self, x: f64, y: f64, _idx: usize) -> GeozeroResult<()> {
        self.push(Position::xy(x, y));
        Ok(())
    }

    fn coordinate(
        &mut self,
        x: f64,
        y: f64,
        z: Option<f64>,
        _m: Option<f64>,
        _t: Option<f64>,
        _tm: Option<u64>,
        _idx: usize,
    ) -> GeozeroResult<()> {
        self.push(match z {
            Some(z) if !z.is_nan() => Position::xyz(x, y, z),
            _ => Position::xy(x, y),
        });
        Ok(())
    }

    fn empty_point(&mut self, _idx: usize) -> GeozeroResult<()> {
        // A top-level empty point is an empty geometry; inside a multipoint, nothing.
        if self.collection_depth == 0 && self.stack.is_empty() {
            self.result = Some(None);
        }
        Ok(())
    }

    fn point_begin(&mut self, _idx: usize) -> GeozeroResult<()> {
        self.open(Part::Point(None));
        Ok(())
    }

    fn point_end(&mut self, _idx: usize) -> GeozeroResult<()> {
        self.close();
        Ok(())
    }

    fn multipoint_begin(&mut self, size: usize, _idx: usize) -> GeozeroResult<()> {
        self.open(Part::MultiPoint(reserve(size)));
        Ok(())
    }

    fn multipoint_end(&mut self, _idx: usize) -> GeozeroResult<()> {
        self.close();
        Ok(())
    }

    fn linestring_begin(&mut self, _tagged: bool, size: usize, _idx: usize) -> GeozeroResult<()> {
        self.open(Part::Line(reserve(size)));
        Ok(())
    }

    fn linestring_end(&mut self, _tagged: bool, _idx: usize) -> GeozeroResult<()> {
        self.close();
        Ok(())
    }

    fn multilinestring_begin(&mut self, size: usize, _idx: usize) -> GeozeroResult<()> {
        self.open(Part::MultiLine(reserve(size)));
        Ok(())
    }

    fn multilinestring_end(&mut self, _idx: usize) -> GeozeroResult<()> {
        self.close();
        Ok(())
    }

    fn polygon_begin(&mut self, _tagged: bool, size: usize, _idx: usize) -> GeozeroResult<()> {
        self.open(Part::Polygon(reserve(size)));
        Ok(())
    }

    fn polygon_end(&mut self, _tagged: bool, _idx: usize) -> GeozeroResult<()> {
        self.close();
        Ok(())
    }

    fn multipolygon_begin(&mut self, size: usize, _idx: usize) -> GeozeroResult<()> {
        self.open(Part::MultiPolygon(reserve(size)));
        Ok(())
    }

    fn multipolygon_end(&mut self, _idx: usize) -> GeozeroResult<()> {
        self.close();
        Ok(())
    }

    fn geometrycollection_begin(&mut self, _size: usize, _idx: usize) -> GeozeroResult<()> {
        self.collection_depth += 1;
        Ok(())
    }

    fn geometrycollection_end(&mut self, _idx: usize) -> GeozeroResult<()> {
        self.collection_depth = self.collection_depth.saturating_sub(1);
        if self.collection_depth == 0 && self.stack.is_empty() {
            self.result = Some(Some(RawGeometry::collection()));
        }
        Ok(())
    }

    fn circularstring_begin(&mut self, _size: usize, _idx: usize) -> GeozeroResult<()> {
        self.unsupported("CircularString");
        Ok(())
    }

    fn compoundcurve_begin(&mut self, _size: usize, _idx: usize) -> GeozeroResult<()> {
        self.unsupported("CompoundCurve");
        Ok(())
    }

    fn curvepolygon_begin(&mut self, _size: usize, _idx: usize) -> GeozeroResult<()> {
        self.unsupported("CurvePolygon");
        Ok(())
    }

    fn multicurve_begin(&mut self, _size: usize, _idx: usize) -> GeozeroResult<()> {
        self.unsupported("MultiCurve");
        Ok(())
    }

    fn multisurface_begin(&mut self, _size: usize, _idx: usize) -> GeozeroResult<()> {
        self.unsupported("MultiSurface");
        Ok(())
    }

    fn triangle_begin(&mut self, _tagged: bool, _size: usize, _idx: usize) -> GeozeroResult<()> {
        self.unsupported("Triangle");
        Ok(())
    }

    fn polyhedralsurface_begin(&mut self, _size: usize, _idx: usize) -> GeozeroResult<()> {
        self.unsupported("PolyhedralSurface");
        Ok(())
    }

    fn tin_begin(&mut self, _size: usize, _idx: usize) -> GeozeroResult<()> {
        self.unsupported("TIN");
        Ok(())
    }
}

/// Decodes one WKB geometry (ISO, or the extended flavour with Z/M/SRID flags that
/// PostGIS and shapely write).
///
/// # Errors
/// The reason, for bytes that are not WKB or a type the engine has no model for.
pub(super) fn decode_wkb(bytes: &[u8]) -> Result<Option<RawGeometry>, String> {
    let mut builder = GeomBuilder::new();
    // The extended flavour sets high bits of the type word; ISO uses 1000s.
    let extended = match bytes {
        [0, a, ..] if bytes.len() >= 5 => a & 0xE0 != 0,
        [_, _, _, _, d, ..] => d & 0xE0 != 0,
        _ => false,
    };
    let mut cursor = std::io::Cursor::new(bytes);
    let decoded = if extended {
        geozero::wkb::process_ewkb_geom(&mut cursor, &mut builder)
    } else {
        geozero::wkb::process_wkb_geom(&mut cursor, &mut builder)
    };
    decoded.map_err(|e| format!("invalid WKB geometry: {e}"))?;
    builder.finish()
}
