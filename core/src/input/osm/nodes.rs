//! A compact id → location table of every node of a PBF, filled in one pass.

use std::collections::BTreeMap;

use super::super::validate::check_lon_lat;
use crate::{Error, Result};

/// Node locations as the decoder gives them, 16 bytes per node.
///
/// A location is kept in decimicrodegrees (`i32`), which is exact for the usual
/// granularity of 100 nanodegrees; any other value is kept in nanodegrees in a side map.
/// Both give back the decoder's own `f64` (`1e-9 · nanodegrees`), so results do not
/// depend on the packing.
#[derive(Default)]
pub(super) struct NodeTable {
    /// `(id, [lon, lat] in 1e-7 degrees)`, sorted by id after [`NodeTable::finish`].
    /// `i32::MIN` longitude: the exact value is in `nano`.
    entries: Vec<(i64, [i32; 2])>,
    nano: BTreeMap<i64, [i64; 2]>,
    sorted: bool,
}

const IN_NANO: i32 = i32::MIN;

fn decimicro(nano: i64) -> Option<i32> {
    if nano % 100 != 0 {
        return None;
    }
    i32::try_from(nano / 100).ok().filter(|&d| d != IN_NANO)
}

impl NodeTable {
    /// Adds a node in file order; a later node with the same id replaces an earlier one.
    pub(super) fn push(&mut self, id: i64, nano_lon: i64, nano_lat: i64) {
        let packed = match (decimicro(nano_lon), decimicro(nano_lat)) {
            (Some(lon), Some(lat)) => [lon, lat],
            _ => {
                self.nano.insert(id, [nano_lon, nano_lat]);
                [IN_NANO, 0]
            }
        };
        self.entries.push((id, packed));
    }

    /// Sorts by id (a no-op for the usual id-sorted file) and keeps the last node of
    /// each id, as a file-order scan would.
    pub(super) fn finish(&mut self) {
        if !self.entries.is_sorted_by_key(|e| e.0) {
            // Stable: equal ids stay in file order.
            self.entries.sort_by_key(|e| e.0);
        }
        let mut kept = 0;
        for i in 0..self.entries.len() {
            if kept > 0 && self.entries[kept - 1].0 == self.entries[i].0 {
                self.entries[kept - 1] = self.entries[i];
            } else {
                self.entries[kept] = self.entries[i];
                kept += 1;
            }
        }
        self.entries.truncate(kept);
        self.entries.shrink_to_fit();
        self.sorted = true;
    }

    /// The `[lon, lat]` of a node, `None` when the file does not hold it.
    pub(super) fn get(&self, id: i64) -> Option<[f64; 2]> {
        debug_assert!(self.sorted, "NodeTable::finish not called");
        let i = self.entries.binary_search_by_key(&id, |e| e.0).ok()?;
        let [nano_lon, nano_lat] = match self.entries[i].1 {
            [IN_NANO, _] => self.nano[&id],
            [lon, lat] => [i64::from(lon) * 100, i64::from(lat) * 100],
        };
        // The decoder's own formula, so coordinates are bit-identical to `Node::lon()`.
        Some([1e-9 * nano_lon as f64, 1e-9 * nano_lat as f64])
    }

    /// The location of a node, validated; `Ok(None)` when missing. An invalid location is
    /// an [`Error::Feature`] naming `layer`, the element `index` and the node.
    pub(super) fn checked(&self, layer: &str, index: usize, id: i64) -> Result<Option<[f64; 2]>> {
        let Some([lon, lat]) = self.get(id) else {
            return Ok(None);
        };
        check_lon_lat(lon, lat).map_err(|e| Error::Feature {
            layer: layer.to_string(),
            index,
            reason: format!("node {id} {e}"),
        })?;
        Ok(Some([lon, lat]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_the_decoders_own_and_the_last_of_an_id_wins() {
        let mut table = NodeTable::default();
        table.push(5, 7_123_456_700, 43_000_000_000);
        table.push(2, 123, -45); // not whole decimicrodegrees: kept in nanodegrees
        table.push(9, i64::from(i32::MIN) * 100, 0); // the marker value itself
        table.push(5, 7_000_000_000, 43_000_000_100);
        table.finish();
        let degrees = |nano: i64| 1e-9 * nano as f64;
        assert_eq!(
            table.get(5),
            Some([degrees(7_000_000_000), degrees(43_000_000_100)])
        );
        assert_eq!(table.get(2), Some([degrees(123), degrees(-45)]));
        assert_eq!(
            table.get(9),
            Some([degrees(i64::from(i32::MIN) * 100), 0.0])
        );
        assert_eq!(table.get(3), None);
    }
}
