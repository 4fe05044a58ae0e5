//! The priority queue of the walking searches: buckets of equal width over cost.
//!
//! A search pops nodes in nearly increasing cost. A comparison heap pays for exact
//! order with about two unpredictable branches per level, which on walking networks
//! costs more than the memory the search reads. Here a node goes into the bucket of its
//! cost (a fixed width of metres) and the buckets are drained in order; within one
//! bucket the order is arbitrary. The search stays exact because it is label-correcting:
//! a node improved after it was settled — only possible through an arc shorter than a
//! bucket — is queued and settled again.
//!
//! The buckets form a ring covering [`RING_BUCKETS`] widths ahead of the bucket being
//! drained; entries further ahead (a very long arc, or seeds with large initial costs)
//! wait in a small heap until the ring reaches them.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Queue buckets are this many metres of cost wide. Narrower buckets settle fewer
/// nodes twice (only arcs shorter than a bucket can improve a settled node) but leave
/// more empty buckets to step over and spread the queue's writes over more memory.
/// On the 100k-node synthetic city 16 m took 2–6 % fewer instructions and cache misses
/// than 1 m or 4 m (no more re-settled nodes than it saves); 64 m no fewer still.
const BUCKET_WIDTH_M: f64 = 16.0;

/// Bucket of a non-negative cost: its width-multiple rounded to the nearest integer
/// (below 2⁵² widths), read off the bits of `cost + 2⁵²`. Any mapping that never
/// decreases with cost keeps the search exact, and the bits of non-negative floats
/// never decrease with their value. A saturating float-to-integer conversion costs
/// four times the instructions, and this runs up to three times per node.
#[inline(always)]
pub(crate) fn bucket_of(cost_m: f64) -> u64 {
    const TWO_POW_52: f64 = 4_503_599_627_370_496.0;
    (cost_m * (1.0 / BUCKET_WIDTH_M) + TWO_POW_52).to_bits() - TWO_POW_52.to_bits()
}

/// Buckets in the ring (a power of two).
const RING_BUCKETS: usize = 1 << 11;

/// Min-priority queue of node ids by bucket number, for monotone searches: no entry
/// may be pushed below the bucket being drained (checked in debug builds).
#[derive(Debug, Clone)]
pub(crate) struct BucketQueue {
    /// A fixed-size array, so that indexing by `bucket % RING_BUCKETS` needs no bounds check.
    ring: Box<[Vec<u32>; RING_BUCKETS]>,
    /// The bucket being drained: every queued entry is in this bucket or a later one.
    current: u64,
    in_ring: usize,
    beyond_ring: BinaryHeap<Reverse<(u64, u32)>>,
}

impl Default for BucketQueue {
    fn default() -> Self {
        Self {
            ring: Box::new(std::array::from_fn(|_| Vec::new())),
            current: 0,
            in_ring: 0,
            beyond_ring: BinaryHeap::new(),
        }
    }
}

impl BucketQueue {
    /// Queues `node` in bucket `bucket`.
    #[inline]
    pub(crate) fn push(&mut self, bucket: u64, node: u32) {
        debug_assert!(
            bucket >= self.current,
            "bucket queue entries must be monotone"
        );
        if bucket - self.current < RING_BUCKETS as u64 {
            self.ring[bucket as usize % RING_BUCKETS].push(node);
            self.in_ring += 1;
        } else {
            self.beyond_ring.push(Reverse((bucket, node)));
        }
    }

    /// Removes an entry of the lowest non-empty bucket, with that bucket's number.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<(u64, u32)> {
        loop {
            if let Some(node) = self.ring[self.current as usize % RING_BUCKETS].pop() {
                self.in_ring -= 1;
                return Some((self.current, node));
            }
            self.advance()?;
        }
    }

    /// The entry `pop` will return after `skip` more pops, when it is in the bucket
    /// being drained: the search reads its memory early, so that the loads overlap the
    /// work on the nodes before it.
    #[inline]
    pub(crate) fn peek_in_bucket(&self, skip: usize) -> Option<u32> {
        let bucket = &self.ring[self.current as usize % RING_BUCKETS];
        bucket.len().checked_sub(skip + 1).map(|i| bucket[i])
    }

    /// Moves to the next bucket, or straight to the first waiting entry when the ring
    /// is empty; `None` when nothing is queued.
    fn advance(&mut self) -> Option<()> {
        if self.in_ring == 0 {
            let Reverse((bucket, _)) = self.beyond_ring.peek()?;
            self.current = *bucket;
        } else {
            self.current += 1;
        }
        let horizon = self.current + RING_BUCKETS as u64;
        while let Some(&Reverse((bucket, node))) = self.beyond_ring.peek() {
            if bucket >= horizon {
                break;
            }
            self.beyond_ring.pop();
            self.ring[bucket as usize % RING_BUCKETS].push(node);
            self.in_ring += 1;
        }
        Some(())
    }

    /// Removes every entry and starts again at bucket 0, keeping the allocations.
    pub(crate) fn clear(&mut self) {
        if self.in_ring > 0 {
            for bucket in self.ring.iter_mut() {
                bucket.clear();
            }
        }
        self.current = 0;
        self.in_ring = 0;
        self.beyond_ring.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use std::collections::BTreeSet;

    /// Interleaved pushes and pops, as a search does them, against an ordered set:
    /// buckets come out in order, and every entry comes out once.
    #[test]
    fn pops_buckets_in_order_and_every_entry_once() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut queue = BucketQueue::default();
        for round in 0..24 {
            queue.clear();
            let mut oracle = BTreeSet::new();
            let mut floor = 0u64;
            // Spans within the ring, around it, and far beyond it.
            let span = [3u64, 1_000, 5_000, 1 << 40][round % 4];
            for node in 0..5_000u32 {
                if rng.random_bool(0.55) || oracle.is_empty() {
                    let bucket = floor + rng.random_range(0..span);
                    queue.push(bucket, node);
                    oracle.insert((bucket, node));
                } else {
                    let (bucket, node) = queue.pop().unwrap();
                    assert_eq!(bucket, oracle.first().unwrap().0);
                    assert!(oracle.remove(&(bucket, node)));
                    floor = bucket;
                }
            }
            while let Some((bucket, node)) = queue.pop() {
                assert_eq!(bucket, oracle.first().unwrap().0);
                assert!(oracle.remove(&(bucket, node)));
            }
            assert!(oracle.is_empty());
        }
    }

    #[test]
    fn clear_forgets_entries_and_restarts_at_bucket_zero() {
        let mut queue = BucketQueue::default();
        queue.push(5, 1);
        queue.push(1 << 30, 2);
        assert_eq!(queue.pop(), Some((5, 1)));
        queue.clear();
        assert_eq!(queue.pop(), None);
        queue.push(0, 3);
        assert_eq!(queue.pop(), Some((0, 3)));
        assert_eq!(queue.pop(), None);
    }
}
