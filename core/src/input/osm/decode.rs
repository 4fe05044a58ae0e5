//! Block-by-block PBF decoding shared by every OSM reader.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use osmpbf::{BlobDecode, BlobReader, Element, PrimitiveBlock};

use crate::parallel::map_heavy_in_order;
use crate::{Error, Result};

/// Blobs read and decoded together before their elements are visited: enough to keep
/// every core busy, few enough that memory holds a bounded number of decoded blocks
/// (a block holds at most 8,000 elements by the format's convention, ~1 MB decoded).
const DECODE_BATCH_BLOBS: usize = 32;

/// A decoded blob.
enum Block {
    Header,
    Data(PrimitiveBlock),
    /// A blob type the format allows readers to ignore.
    Unknown,
}

/// Calls `visit` on every element of a PBF file, in file order.
///
/// Blobs are independent (each one zlib-compressed block), so they are decoded
/// [`DECODE_BATCH_BLOBS`] at a time on the thread pool and their elements visited in
/// file order on the calling thread; memory holds one batch of decoded blocks, not the
/// file. The file must start with an OSMHeader block. Decoder errors become
/// [`Error::Parse`] naming `layer` (the first in file order); the decoder is
/// third-party code fed untrusted bytes, so a panic inside it is caught and reported the
/// same way instead of taking the caller down.
pub(super) fn for_each_element(
    layer: &str,
    bytes: &[u8],
    mut visit: impl FnMut(Element<'_>),
) -> Result<()> {
    let decode_all = AssertUnwindSafe(|| -> Result<(), String> {
        let mut seen_header = false;
        let mut blobs = BlobReader::new(bytes);
        loop {
            let batch = blobs
                .by_ref()
                .take(DECODE_BATCH_BLOBS)
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|e| e.to_string())?;
            if batch.is_empty() {
                break;
            }
            let decoded = map_heavy_in_order(
                &batch,
                || (),
                |(), blob| {
                    // Only data blocks are kept: the header's content is not read.
                    blob.decode().map(|decoded| match decoded {
                        BlobDecode::OsmHeader(_) => Block::Header,
                        BlobDecode::OsmData(block) => Block::Data(block),
                        BlobDecode::Unknown(_) => Block::Unknown,
                    })
                },
            );
            for block in decoded {
                match block.map_err(|e| e.to_string())? {
                    Block::Header => seen_header = true,
                    Block::Data(block) if seen_header => block.for_each_element(&mut visit),
                    Block::Data(_) => {
                        return Err("data block before the OSMHeader block".to_string())
                    }
                    Block::Unknown => {}
                }
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
