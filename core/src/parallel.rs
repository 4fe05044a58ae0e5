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

/// `f` of every item with a scratch `init` makes (one per task, reused across items),
/// in item order; for few heavy items (one search and buffer per center), so from two
/// items on it runs on the pool.
pub(crate) fn map_heavy_in_order<T: Sync, S, R: Send>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        if items.len() >= 2 {
            return items.par_iter().map_init(&init, |s, t| f(s, t)).collect();
        }
    }
    let mut scratch = init();
    items.iter().map(|t| f(&mut scratch, t)).collect()
}

/// `consume(produce(batch))` for every batch in order, stopping at the first error of
/// `consume`. With the `parallel` feature the next batch is produced on the pool while
/// the calling thread consumes the one before: output serialized while the previous
/// part is being written to its file (the writer need not be `Send`).
pub(crate) fn produce_while_consuming<B: Sync, P: Send, E>(
    batches: &[B],
    produce: impl Fn(&B) -> P + Sync,
    mut consume: impl FnMut(P) -> Result<(), E>,
) -> Result<(), E> {
    let Some((first, rest)) = batches.split_first() else {
        return Ok(());
    };
    let mut current = produce(first);
    for batch in rest {
        #[cfg(feature = "parallel")]
        {
            let mut next = None;
            rayon::in_place_scope(|scope| {
                scope.spawn(|_| next = Some(produce(batch)));
                consume(current)
            })?;
            current = next.expect("the scope ran the spawned batch");
        }
        #[cfg(not(feature = "parallel"))]
        {
            consume(current)?;
            current = produce(batch);
        }
    }
    consume(current)
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

    #[test]
    fn batches_are_consumed_in_order_until_the_first_error() {
        let batches: Vec<u32> = (0..10).collect();
        let mut seen = Vec::new();
        let all = produce_while_consuming(
            &batches,
            |&b| b * 10,
            |p| {
                seen.push(p);
                Ok::<_, u32>(())
            },
        );
        assert_eq!(all, Ok(()));
        assert_eq!(seen, (0..10).map(|b| b * 10).collect::<Vec<_>>());
        let mut seen = Vec::new();
        let stopped = produce_while_consuming(
            &batches,
            |&b| b,
            |p| {
                seen.push(p);
                if p == 3 {
                    Err(p)
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(stopped, Err(3));
        assert_eq!(seen, vec![0, 1, 2, 3]);
        assert_eq!(
            produce_while_consuming(&[] as &[u32], |&b| b, |_| Err(())),
            Ok(())
        );
    }

    #[test]
    fn heavy_items_keep_their_order_and_reuse_scratch() {
        let items: Vec<u32> = (0..64).collect();
        let out = map_heavy_in_order(&items, Vec::new, |seen: &mut Vec<u32>, &i| {
            seen.push(i);
            (i * 3, seen.len())
        });
        assert!(out.iter().enumerate().all(|(i, &(v, _))| v == 3 * i as u32));
        // A scratch serves more than one item somewhere (one per task, not per item).
        assert!(out.iter().any(|&(_, used)| used > 1));
    }
}
