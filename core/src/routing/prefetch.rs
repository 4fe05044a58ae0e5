//! Prefetch hints for the searches: start loading memory that a later step will read.
//!
//! The only `unsafe` in the engine, allowed because a benchmark proved the need: the
//! whole-network search waits mostly for memory, and prefetching the nodes it settles
//! next took 20–30 % off it on 100k- and 1M-node cities (`benches/README.md`). Plain
//! loads cannot do the same, as each one holds up the instructions after it.
#![allow(unsafe_code)]

/// Whether [`prefetch`] issues a prefetch instruction on this target (x86_64); where
/// it does not, it does nothing.
pub(crate) const PREFETCH_SUPPORTED: bool = cfg!(target_arch = "x86_64");

/// Asks the processor to start loading `slice[index]` into its caches. A hint only:
/// nothing is read and no value changes; an index out of bounds is ignored.
#[inline(always)]
pub(crate) fn prefetch<T>(slice: &[T], index: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(item) = slice.get(index) {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch reads no data and cannot fault, and the address is that of
        // a live element; the intrinsic is `unsafe` only for its target feature (SSE),
        // which every x86_64 processor has.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(item).cast::<i8>()) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (slice, index);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefetch_changes_nothing_and_ignores_indices_out_of_bounds() {
        let values = vec![1.5f64, 2.5, 3.5];
        for index in [0, 2, 3, usize::MAX] {
            prefetch(&values, index);
        }
        prefetch::<u32>(&[], 0);
        assert_eq!(values, [1.5, 2.5, 3.5]);
    }
}
