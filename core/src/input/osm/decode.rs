//! Block-by-block PBF decoding shared by every OSM reader.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use osmpbf::{BlobDecode, BlobReader, Element};

use crate::{Error, Result};

/// Calls `visit` on every element of a PBF file, in file order.
///
/// Blocks are decoded one at a time and dropped after their elements are visited, so
/// memory holds one decoded block, not the file. The file must start with an OSMHeader
/// block. Decoder errors become [`Error::Parse`] naming `layer`; the decoder is
/// third-party code fed untrusted bytes, so a panic inside it is caught and reported the
/// same way instead of taking the caller down.
pub(super) fn for_each_element(
    layer: &str,
    bytes: &[u8],
    mut visit: impl FnMut(Element<'_>),
) -> Result<()> {
    let decode_all = AssertUnwindSafe(|| -> Result<(), String> {
        let mut seen_header = false;
        for blob in BlobReader::new(bytes) {
            let blob = blob.map_err(|e| e.to_string())?;
            match blob.decode().map_err(|e| e.to_string())? {
                BlobDecode::OsmHeader(_) => seen_header = true,
                BlobDecode::OsmData(block) if seen_header => block.for_each_element(&mut visit),
                BlobDecode::OsmData(_) => {
                    return Err("data block before the OSMHeader block".to_string())
                }
                BlobDecode::Unknown(_) => {}
            }
        }
        if seen_header {
            Ok(())
        } else {
            Err("no OSMHeader block (empty file or not OSM PBF)".to_string())
        }
    });
    let reason = match catch_unwind(decode_all) {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(reason)) => reason,
        Err(_) => "the decoder failed on corrupt data".to_string(),
    };
    Err(Error::Parse {
        layer: layer.to_string(),
        reason: format!("invalid OSM PBF: {reason}"),
    })
}

/// Node ids of a way, decoded from the delta coding without overflow panics.
pub(super) fn way_refs<'a>(way: &'a osmpbf::Way<'_>) -> impl Iterator<Item = i64> + 'a {
    way.raw_refs().iter().scan(0i64, |current, delta| {
        *current = current.wrapping_add(*delta);
        Some(*current)
    })
}

pub(super) fn element_tags<'a>(element: &Element<'a>) -> Vec<(&'a str, &'a str)> {
    match element {
        Element::Node(node) => node.tags().collect(),
        Element::DenseNode(node) => node.tags().collect(),
        Element::Way(way) => way.tags().collect(),
        Element::Relation(relation) => relation.tags().collect(),
    }
}

pub(super) fn tag_map(tags: &[(&str, &str)]) -> BTreeMap<String, String> {
    tags.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}
