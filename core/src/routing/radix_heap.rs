//! A monotone radix heap keyed by the bit pattern of non-negative `f64` costs.
//!
//! Dijkstra only ever inserts keys at least as large as the last one removed, which a
//! radix heap exploits: an item sits in the bucket named by the highest bit in which its
//! key differs from the last removed key, so each item moves at most 64 times and most
//! operations touch one small vector. For non-negative IEEE-754 doubles the bit pattern,
//! read as `u64`, orders exactly like the value.

/// Monotone priority queue of `(key, value)` pairs with `u64` keys.
#[derive(Debug, Clone)]
pub(crate) struct RadixHeap<T> {
    last: u64,
    len: usize,
    buckets: Vec<Vec<(u64, T)>>,
}

impl<T: Copy> RadixHeap<T> {
    pub fn new() -> Self {
        Self {
            last: 0,
            len: 0,
            buckets: (0..65).map(|_| Vec::new()).collect(),
        }
    }

    fn bucket_of(&self, key: u64) -> usize {
        (64 - (key ^ self.last).leading_zeros()) as usize
    }

    /// Inserts an item; `key` must not be smaller than the last key popped.
    pub fn push(&mut self, key: u64, value: T) {
        debug_assert!(key >= self.last, "radix heap keys must be monotone");
        let b = self.bucket_of(key);
        self.buckets[b].push((key, value));
        self.len += 1;
    }

    /// Removes an item with the smallest key.
    pub fn pop(&mut self) -> Option<(u64, T)> {
        if self.len == 0 {
            return None;
        }
        if self.buckets[0].is_empty() {
            let i = self.buckets.iter().position(|b| !b.is_empty())?;
            let new_last = self.buckets[i].iter().map(|e| e.0).min()?;
            self.last = new_last;
            let moved = std::mem::take(&mut self.buckets[i]);
            for (key, value) in &moved {
                let b = self.bucket_of(*key);
                self.buckets[b].push((*key, *value));
            }
            // Keep the emptied vector's allocation for reuse.
            let mut moved = moved;
            moved.clear();
            self.buckets[i] = moved;
        }
        self.len -= 1;
        self.buckets[0].pop()
    }

    pub fn clear(&mut self) {
        for b in &mut self.buckets {
            b.clear();
        }
        self.last = 0;
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn pops_in_key_order_under_monotone_use() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let mut heap = RadixHeap::new();
        let mut reference = std::collections::BinaryHeap::new();
        let mut last = 0.0f64;
        for round in 0..2000 {
            if round % 3 != 2 {
                let key = last + rng.random_range(0.0..100.0);
                heap.push(key.to_bits(), round);
                reference.push(std::cmp::Reverse(key.to_bits()));
            } else if let Some((k, _)) = heap.pop() {
                let std::cmp::Reverse(want) = reference.pop().unwrap();
                assert_eq!(k, want);
                last = f64::from_bits(k);
            }
        }
        while let Some((k, _)) = heap.pop() {
            assert_eq!(k, reference.pop().unwrap().0);
        }
        assert!(reference.is_empty());
    }
}
