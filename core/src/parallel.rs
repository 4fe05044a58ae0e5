//! Work over many independent items (residents to snap and walk), on the thread pool
//! with the `parallel` feature and in order on one thread without it (as on wasm).

/// `f` of every item, in item order.
pub(crate) fn map_in_order<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        // Small inputs are not worth waking the pool for.
        if items.len() >= PARALLEL_MIN_ITEMS {
            return items.par_iter().map(&f).collect();
        }
    }
    items.iter().map(f).collect()
}

/// Below this many items [`map_in_order`] stays on the calling thread.
#[cfg(feature = "parallel")]
const PARALLEL_MIN_ITEMS: usize = 4096;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_order_of_the_items() {
        let items: Vec<u32> = (0..20_000).collect();
        let doubled = map_in_order(&items, |&i| i * 2);
        assert!(doubled.iter().enumerate().all(|(i, &d)| d == 2 * i as u32));
    }
}
