//! ESRI Shapefile: geometry from the `.shp` (through the `shapefile` crate), attributes
//! from the `.dbf` beside it, the coordinate system from the `.prj`, the text encoding
//! from the `.cpg`.

use std::io::Cursor;

use ::shapefile::{Shape, ShapeReader};

use super::dbf::read_dbf;
use super::{file_name, guarded, parse_error, Companion};
use crate::input::raw::{Coordinates, FeatureTable, Position, RawFeature, RawGeometry};
use crate::Result;

/// The `.shp` header is 100 bytes; its file length (in 16-bit words) is at byte 24.
const HEADER_LEN: usize = 100;

/// Reads the Shapefile whose `.shp` bytes are `shp`, named `shp_name` (the file name of
/// `label` unless it comes from an archive); its `.dbf` (needed), `.shx`, `.prj` and
/// `.cpg` are found among `companions` by base name.
///
/// # Errors
/// [`crate::Error::Parse`] naming `label` for a missing `.dbf`, a truncated or corrupt
/// `.shp` or `.dbf` (naming the file and record), or shape and record counts that differ.
pub(crate) fn read_shapefile(
    label: &str,
    shp_name: &str,
    shp: &[u8],
    companions: &[Companion],
) -> Result<FeatureTable> {
    let shp_name = file_name(shp_name);
    let shp_name = strip_suffix_ignore_case(shp_name, ".gz").unwrap_or(shp_name);
    let stem = strip_suffix_ignore_case(shp_name, ".shp").unwrap_or(shp_name);
    let companion = |ext: &str| {
        companions
            .iter()
            .find(|(name, _)| {
                let name = file_name(name);
                name.len() == stem.len() + ext.len()
                    && name.is_char_boundary(stem.len())
                    && name[..stem.len()].eq_ignore_ascii_case(stem)
                    && name[stem.len()..].eq_ignore_ascii_case(ext)
            })
            .map(|(_, bytes)| bytes.as_slice())
    };
    let dbf_name = format!("{stem}.dbf");
    let Some(dbf) = companion(".dbf") else {
        return Err(parse_error(
            label,
            format!(
                "a Shapefile needs its attribute table {dbf_name} beside {shp_name}, and it \
                 was not given (give the .shp together with its .dbf, .shx, .prj and .cpg, \
                 or all of them zipped)"
            ),
        ));
    };
    check_length(label, shp_name, shp)?;
    let records = read_dbf(label, &dbf_name, dbf, companion(".cpg"))?;
    let shapes = read_shapes(label, shp_name, shp, companion(".shx"))?;
    if shapes.len() != records.len() {
        return Err(parse_error(
            label,
            format!(
                "{shp_name} has {} shapes but {dbf_name} has {} records",
                shapes.len(),
                records.len()
            ),
        ));
    }
    let features = shapes
        .into_iter()
        .zip(records)
        // A record marked deleted in the table is no longer part of the layer.
        .filter_map(|(shape, record)| Some(RawFeature::new(to_geometry(shape), record?)))
        .collect();
    let declared_crs = companion(".prj")
        .map(|prj| String::from_utf8_lossy(prj).trim().to_string())
        .filter(|prj| !prj.is_empty());
    Ok(FeatureTable {
        features,
        declared_crs,
    })
}

fn strip_suffix_ignore_case<'a>(name: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = name.len().checked_sub(suffix.len())?;
    (name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(suffix)).then(|| &name[..cut])
}

/// The header's magic number and file length against the bytes given.
fn check_length(label: &str, shp_name: &str, shp: &[u8]) -> Result<()> {
    if shp.len() < HEADER_LEN {
        return Err(parse_error(
            label,
            format!(
                "{shp_name}: truncated: {} bytes, shorter than the 100-byte header",
                shp.len()
            ),
        ));
    }
    if shp[..4] != 9994i32.to_be_bytes() {
        return Err(parse_error(
            label,
            format!("{shp_name}: not a Shapefile (no file code 9994 at its start)"),
        ));
    }
    let words = i32::from_be_bytes([shp[24], shp[25], shp[26], shp[27]]);
    let declared = usize::try_from(words).unwrap_or(0).saturating_mul(2);
    if declared > shp.len() {
        return Err(parse_error(
            label,
            format!(
                "{shp_name}: truncated: the header says {declared} bytes, the file has {}",
                shp.len()
            ),
        ));
    }
    Ok(())
}

fn read_shapes(label: &str, shp_name: &str, shp: &[u8], shx: Option<&[u8]>) -> Result<Vec<Shape>> {
    let decode = || -> Result<Vec<Shape>> {
        let reader = match shx {
            Some(shx) => ShapeReader::with_shx(Cursor::new(shp), Cursor::new(shx)),
            None => ShapeReader::new(Cursor::new(shp)),
        };
        let mut reader =
            reader.map_err(|e| parse_error(label, format!("{shp_name}: invalid header: {e}")))?;
        let mut shapes = Vec::new();
        for (index, shape) in reader.iter_shapes().enumerate() {
            shapes.push(
                shape
                    .map_err(|e| parse_error(label, format!("{shp_name}: record {index}: {e}")))?,
            );
        }
        Ok(shapes)
    };
    guarded(label, "Shapefile", decode)
}

fn position(x: f64, y: f64, z: Option<f64>) -> Position {
    match z {
        Some(z) => Position::xyz(x, y, z),
        None => Position::xy(x, y),
    }
}

/// A shape as a raw geometry; null shapes and multipatches (3-D surfaces the engine has
/// no model for) have none, and are counted as such by the layer.
fn to_geometry(shape: Shape) -> Option<RawGeometry> {
    macro_rules! xy {
        ($p:expr) => {
            position($p.x, $p.y, None)
        };
    }
    macro_rules! xyz {
        ($p:expr) => {
            position($p.x, $p.y, Some($p.z))
        };
    }
    match shape {
        Shape::NullShape | Shape::Multipatch(_) => None,
        Shape::Point(p) => point(xy!(p)),
        Shape::PointM(p) => point(xy!(p)),
        Shape::PointZ(p) => point(xyz!(p)),
        Shape::Multipoint(m) => points(m.points().iter().map(|p| xy!(p)).collect()),
        Shape::MultipointM(m) => points(m.points().iter().map(|p| xy!(p)).collect()),
        Shape::MultipointZ(m) => points(m.points().iter().map(|p| xyz!(p)).collect()),
        Shape::Polyline(l) => lines(l.parts().iter().map(|p| p.iter().map(|p| xy!(p)).collect())),
        Shape::PolylineM(l) => lines(l.parts().iter().map(|p| p.iter().map(|p| xy!(p)).collect())),
        Shape::PolylineZ(l) => lines(
            l.parts()
                .iter()
                .map(|p| p.iter().map(|p| xyz!(p)).collect()),
        ),
        Shape::Polygon(g) => polygons(g.rings().iter().map(|r| ring(r, |p| xy!(p)))),
        Shape::PolygonM(g) => polygons(g.rings().iter().map(|r| ring(r, |p| xy!(p)))),
        Shape::PolygonZ(g) => polygons(g.rings().iter().map(|r| ring(r, |p| xyz!(p)))),
    }
}

fn point(p: Position) -> Option<RawGeometry> {
    Some(RawGeometry::new("Point", Coordinates::Position(p)))
}

fn points(list: Vec<Position>) -> Option<RawGeometry> {
    match list.len() {
        0 => None,
        1 => point(list[0]),
        _ => Some(RawGeometry::new("MultiPoint", Coordinates::Positions(list))),
    }
}

fn lines(parts: impl Iterator<Item = Vec<Position>>) -> Option<RawGeometry> {
    let mut parts: Vec<Vec<Position>> = parts.filter(|p| !p.is_empty()).collect();
    match parts.len() {
        0 => None,
        1 => Some(RawGeometry::new(
            "LineString",
            Coordinates::Positions(parts.remove(0)),
        )),
        _ => Some(RawGeometry::new(
            "MultiLineString",
            Coordinates::Rings(parts),
        )),
    }
}

/// A ring's positions and whether it is an outer ring (clockwise in a Shapefile; the
/// `shapefile` crate tells them apart by orientation).
fn ring<P>(
    ring: &::shapefile::PolygonRing<P>,
    to_position: impl Fn(&P) -> Position,
) -> (bool, Vec<Position>) {
    let outer = matches!(ring, ::shapefile::PolygonRing::Outer(_));
    (outer, ring.points().iter().map(to_position).collect())
}

/// Rings into polygons: each outer ring starts a polygon; each hole joins the outer ring
/// that contains it (else the one before it; a hole before any outer ring is taken as an
/// outer ring, as GDAL does).
fn polygons(rings: impl Iterator<Item = (bool, Vec<Position>)>) -> Option<RawGeometry> {
    let mut polygons: Vec<Vec<Vec<Position>>> = Vec::new();
    let mut holes = Vec::new();
    for (outer, positions) in rings {
        if positions.is_empty() {
            continue;
        }
        if outer || (polygons.is_empty() && holes.is_empty()) {
            polygons.push(vec![positions]);
        } else {
            holes.push((polygons.len().saturating_sub(1), positions));
        }
    }
    for (before, hole) in holes {
        let first = hole[0];
        let home = polygons
            .iter()
            .position(|p| contains(&p[0], first))
            .unwrap_or(before);
        polygons[home].push(hole);
    }
    match polygons.len() {
        0 => None,
        1 => Some(RawGeometry::new(
            "Polygon",
            Coordinates::Rings(polygons.remove(0)),
        )),
        _ => Some(RawGeometry::new(
            "MultiPolygon",
            Coordinates::Polygons(polygons),
        )),
    }
}

/// Whether `p` lies inside `ring` (even-odd rule).
fn contains(ring: &[Position], p: Position) -> bool {
    let [x, y, _] = p.values;
    let mut inside = false;
    for pair in ring.windows(2) {
        let ([x1, y1, _], [x2, y2, _]) = (pair[0].values, pair[1].values);
        if (y1 > y) != (y2 > y) && x < x1 + (y - y1) / (y2 - y1) * (x2 - x1) {
            inside = !inside;
        }
    }
    inside
}
