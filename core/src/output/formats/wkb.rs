//! Little-endian WKB (ISO 19125), the geometry encoding of GeoPackage and GeoParquet.

use super::table::Shape;

/// `shape` as little-endian 2D WKB.
pub(crate) fn wkb(shape: &Shape) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out, shape);
    out
}

fn header(out: &mut Vec<u8>, kind: u32) {
    out.push(1); // little-endian
    out.extend_from_slice(&kind.to_le_bytes());
}

fn count(out: &mut Vec<u8>, n: usize) {
    let n = u32::try_from(n).expect("a WKB part holds fewer than 2^32 items");
    out.extend_from_slice(&n.to_le_bytes());
}

fn positions(out: &mut Vec<u8>, points: &[[f64; 2]]) {
    count(out, points.len());
    for [x, y] in points {
        out.extend_from_slice(&x.to_le_bytes());
        out.extend_from_slice(&y.to_le_bytes());
    }
}

fn write(out: &mut Vec<u8>, shape: &Shape) {
    match shape {
        Shape::Point([x, y]) => {
            header(out, 1);
            out.extend_from_slice(&x.to_le_bytes());
            out.extend_from_slice(&y.to_le_bytes());
        }
        Shape::LineString(line) => {
            header(out, 2);
            positions(out, line);
        }
        Shape::MultiPolygon(parts) => {
            header(out, 6);
            count(out, parts.len());
            for rings in parts {
                header(out, 3);
                count(out, rings.len());
                for ring in rings {
                    positions(out, ring);
                }
            }
        }
    }
}
