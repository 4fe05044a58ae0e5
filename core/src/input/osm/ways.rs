//! Node lists of the ways a read needs, stored flat (8 bytes per reference).

/// Way node lists in file order, addressed by their position in the store.
#[derive(Default)]
pub(super) struct WayStore {
    refs: Vec<i64>,
    /// Start of each way in `refs`, plus the end.
    starts: Vec<usize>,
    ids: Vec<i64>,
    /// `(way id, position)` sorted by id, built by [`WayStore::index_ids`].
    by_id: Vec<(i64, usize)>,
}

impl WayStore {
    /// Stores a way's node ids and returns its position.
    pub(super) fn push(&mut self, id: i64, refs: impl IntoIterator<Item = i64>) -> usize {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.refs.extend(refs);
        self.starts.push(self.refs.len());
        self.ids.push(id);
        self.ids.len() - 1
    }

    /// The node ids of the way at `position`.
    pub(super) fn refs(&self, position: usize) -> &[i64] {
        &self.refs[self.starts[position]..self.starts[position + 1]]
    }

    /// Makes ways findable by OSM id; a later way with the same id wins, as in a
    /// file-order scan.
    pub(super) fn index_ids(&mut self) {
        let mut by_id: Vec<(i64, usize)> = self.ids.iter().copied().zip(0..).collect();
        by_id.sort_by_key(|&(id, _)| id); // stable: equal ids stay in file order
        by_id.reverse();
        by_id.dedup_by_key(|e| e.0); // keeps the first of a run: the last in the file
        by_id.reverse();
        self.by_id = by_id;
    }

    /// The node ids of the way with OSM id `id` (after [`WayStore::index_ids`]).
    pub(super) fn find(&self, id: i64) -> Option<&[i64]> {
        let i = self.by_id.binary_search_by_key(&id, |e| e.0).ok()?;
        Some(self.refs(self.by_id[i].1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ways_are_found_by_position_and_id_and_the_last_of_an_id_wins() {
        let mut store = WayStore::default();
        assert_eq!(store.push(30, [1, 2, 3]), 0);
        assert_eq!(store.push(10, []), 1);
        assert_eq!(store.push(30, [4, 5]), 2);
        store.index_ids();
        assert_eq!(store.refs(0), [1, 2, 3]);
        assert!(store.refs(1).is_empty());
        assert_eq!(store.find(30), Some(&[4, 5][..]));
        assert_eq!(store.find(10), Some(&[][..]));
        assert_eq!(store.find(20), None);
    }
}
