//! Connected components of the walk graph.

/// Labels connected components by breadth-first search over CSR adjacency.
///
/// Returns `(component of each node, node count of each component)` with components
/// numbered by decreasing size (ties: by smallest node id), so labels are deterministic.
///
/// Complexity: O(V + E) plus O(C log C) to order C components.
pub(crate) fn label_components(
    node_count: usize,
    arc_start: &[u32],
    arc_head: &[u32],
) -> (Vec<u32>, Vec<u32>) {
    const UNSEEN: u32 = u32::MAX;
    let mut raw = vec![UNSEEN; node_count];
    let mut sizes: Vec<u32> = Vec::new();
    let mut queue: Vec<u32> = Vec::new();
    for start in 0..node_count {
        if raw[start] != UNSEEN {
            continue;
        }
        let label = sizes.len() as u32;
        raw[start] = label;
        queue.clear();
        queue.push(start as u32);
        let mut head = 0;
        while head < queue.len() {
            let v = queue[head] as usize;
            head += 1;
            for &w in &arc_head[arc_start[v] as usize..arc_start[v + 1] as usize] {
                if raw[w as usize] == UNSEEN {
                    raw[w as usize] = label;
                    queue.push(w);
                }
            }
        }
        sizes.push(queue.len() as u32);
    }
    // Renumber: larger first; equal sizes keep discovery order (smallest node first).
    let mut order: Vec<u32> = (0..sizes.len() as u32).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(sizes[c as usize]));
    let mut new_label = vec![0u32; sizes.len()];
    for (new, &old) in order.iter().enumerate() {
        new_label[old as usize] = new as u32;
    }
    let labels = raw.iter().map(|&c| new_label[c as usize]).collect();
    let sorted_sizes = order.iter().map(|&c| sizes[c as usize]).collect();
    (labels, sorted_sizes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_components_larger_first() {
        // 0-1 and 2-3-4 (path).
        let arc_start = [0, 1, 2, 3, 5, 6];
        let arc_head = [1, 0, 3, 2, 4, 3];
        let (labels, sizes) = label_components(5, &arc_start, &arc_head);
        assert_eq!(sizes, vec![3, 2]);
        assert_eq!(labels, vec![1, 1, 0, 0, 0]);
    }
}
