//! A compact id → location table of every node of a PBF, filled in one pass.

use std::collections::BTreeMap;

use super::super::validate::check_lon_lat;
use crate::{Error, Result};

/// Node locations as the decoder gives them, 17 bytes per node (16 for the entry, 1
/// for the bucket index).
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
    /// After [`NodeTable::finish`]: where each bucket of `2^bucket_bits` consecutive ids
    /// from `first_id` starts in `entries`, and one more position closing the last. About
    /// [`ENTRIES_PER_BUCKET`] entries per bucket, so a lookup bisects a few neighbouring
    /// entries instead of the whole table, whose last steps each miss the cache
    /// (resolving the ways of a 4 M-node grid city took half of reading its PBF by
    /// plain bisection; `benches/pbf_decode.sh`).
    bucket_starts: Vec<usize>,
    first_id: i64,
    bucket_bits: u32,
}

/// Average entries per bucket of [`NodeTable::bucket_starts`] when ids are spread evenly.
const ENTRIES_PER_BUCKET: usize = 8;

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
        self.index_buckets();
    }

    fn index_buckets(&mut self) {
        let (Some(&(first, _)), Some(&(last, _))) = (self.entries.first(), self.entries.last())
        else {
            return;
        };
        let offset = |id: i64| (i128::from(id) - i128::from(first)) as u128;
        let target = (self.entries.len() / ENTRIES_PER_BUCKET).max(1) as u128;
        let mut bits = 0;
        while offset(last) >> bits >= target {
            bits += 1;
        }
        let buckets = (offset(last) >> bits) as usize + 1;
        let mut starts = Vec::with_capacity(buckets + 1);
        for (i, &(id, _)) in self.entries.iter().enumerate() {
            let bucket = (offset(id) >> bits) as usize;
            while starts.len() <= bucket {
                starts.push(i);
            }
        }
        starts.push(self.entries.len());
        self.bucket_starts = starts;
        self.first_id = first;
        self.bucket_bits = bits;
    }

    /// The position of `id` in `entries`.
    fn position(&self, id: i64) -> Option<usize> {
        let offset = u128::try_from(i128::from(id) - i128::from(self.first_id)).ok()?;
        let bucket = usize::try_from(offset >> self.bucket_bits).ok()?;
        let (&lo, &hi) = (
            self.bucket_starts.get(bucket)?,
            self.bucket_starts.get(bucket + 1)?,
        );
        let k = self.entries[lo..hi]
            .binary_search_by_key(&id, |e| e.0)
            .ok()?;
        Some(lo + k)
    }

    /// The `[lon, lat]` of a node, `None` when the file does not hold it.
    #[cfg(test)]
    pub(super) fn get(&self, id: i64) -> Option<[f64; 2]> {
        self.get_near(id, &mut 0)
    }

    /// [`NodeTable::get`] trying first the entry after `hint` (the position of the
    /// previous lookup, which it then moves to this one's), then its bucket.
    ///
    /// Consecutive nodes of a way mostly have consecutive ids (they were created
    /// together): the entry after the previous one is already in cache.
    pub(super) fn get_near(&self, id: i64, hint: &mut usize) -> Option<[f64; 2]> {
        debug_assert!(self.sorted, "NodeTable::finish not called");
        let entries = &self.entries;
        let next = *hint + 1;
        let i = if entries.get(next).is_some_and(|e| e.0 == id) {
            next
        } else {
            self.position(id)?
        };
        *hint = i;
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
        self.checked_near(layer, index, id, &mut 0)
    }

    /// [`NodeTable::checked`] through [`NodeTable::get_near`].
    pub(super) fn checked_near(
        &self,
        layer: &str,
        index: usize,
        id: i64,
        hint: &mut usize,
    ) -> Result<Option<[f64; 2]>> {
        let Some([lon, lat]) = self.get_near(id, hint) else {
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

    #[test]
    fn a_search_from_any_hint_finds_what_bisection_finds() {
        let mut table = NodeTable::default();
        // Ids with gaps, so that misses fall between and beyond entries.
        let ids: Vec<i64> = (0..300).map(|k| 3 * k + (k % 3)).collect();
        for &id in &ids {
            table.push(id, id * 100, -id * 100);
        }
        table.finish();
        for id in -5..=ids[ids.len() - 1] + 5 {
            let expected = ids.binary_search(&id).ok();
            for start in [0, 1, 17, 150, 299, 300, 10_000] {
                let mut hint = start;
                let found = table.get_near(id, &mut hint);
                assert_eq!(found.is_some(), expected.is_some(), "id {id} from {start}");
                if let Some(k) = expected {
                    assert_eq!(found, table.get(id));
                    assert_eq!(hint, k, "the hint moves to the entry found");
                }
            }
        }
        let mut hint = 5;
        assert_eq!(
            NodeTable {
                sorted: true,
                ..Default::default()
            }
            .get_near(1, &mut hint),
            None
        );
    }
}
