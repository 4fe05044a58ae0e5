//! Walking costs per edge and direction.

use crate::network::{EdgeId, WalkNetwork};

/// Directional walking cost of every edge, in *flat-equivalent metres*: the distance a
/// walker would cover on flat ground at the profile speed in the same time. On flat
/// ground a cost is exactly the edge length; slope or obstacles make it larger, and
/// can make the two directions differ.
///
/// Walk time in minutes is `cost_m / (speed_kmh * 1000 / 60)`.
#[derive(Debug, Clone)]
pub struct WalkCosts {
    /// Cost of walking each edge from its first node to its second.
    pub(crate) forward_m: Vec<f64>,
    /// Cost of walking each edge from its second node to its first.
    pub(crate) backward_m: Vec<f64>,
    /// For each arc `tail -> head`: the cost of walking it the other way, `head -> tail`.
    /// Searches run from centers *backwards* to residents, so this is the cost they add.
    pub(crate) arc_toward_tail_m: Vec<f64>,
    /// Every cost equals the edge length (flat ground, no closures): searches then need
    /// not track walked length separately.
    pub(crate) lengths_equal_costs: bool,
}

impl WalkCosts {
    /// Flat ground: cost equals length in both directions.
    pub fn flat(network: &WalkNetwork) -> Self {
        Self::from_edge_costs(
            network,
            network.edge_length_m.clone(),
            network.edge_length_m.clone(),
        )
    }

    /// Costs from per-edge forward and backward values (`f64::INFINITY` closes a direction).
    pub fn from_edge_costs(
        network: &WalkNetwork,
        forward_m: Vec<f64>,
        backward_m: Vec<f64>,
    ) -> Self {
        assert_eq!(forward_m.len(), network.edge_count());
        assert_eq!(backward_m.len(), network.edge_count());
        let arc_toward_tail_m = network
            .arc_edge
            .iter()
            .zip(&network.arc_forward)
            .map(|(&e, &forward)| {
                // Arc along the edge (tail = first node): walking head -> tail is backward.
                if forward {
                    backward_m[e as usize]
                } else {
                    forward_m[e as usize]
                }
            })
            .collect();
        let lengths_equal_costs = forward_m
            .iter()
            .zip(&backward_m)
            .zip(&network.edge_length_m)
            .all(|((f, b), l)| f == l && b == l);
        Self {
            forward_m,
            backward_m,
            arc_toward_tail_m,
            lengths_equal_costs,
        }
    }

    /// Cost of walking along `edge` between two offsets, in the direction from
    /// `from_offset_m` to `to_offset_m`, as the matching share of the edge's cost.
    pub fn partial_m(
        &self,
        network: &WalkNetwork,
        edge: EdgeId,
        from_offset_m: f64,
        to_offset_m: f64,
    ) -> f64 {
        let length = network.edge_length_m(edge);
        let walked = (to_offset_m - from_offset_m).abs();
        if walked == 0.0 {
            return 0.0;
        }
        let full = if to_offset_m > from_offset_m {
            self.forward_m[edge.index()]
        } else {
            self.backward_m[edge.index()]
        };
        if length > 0.0 {
            full * (walked / length)
        } else {
            0.0
        }
    }

    /// Cost of walking the whole edge forward (first node to second).
    pub fn forward_m(&self, edge: EdgeId) -> f64 {
        self.forward_m[edge.index()]
    }

    /// Cost of walking the whole edge backward (second node to first).
    pub fn backward_m(&self, edge: EdgeId) -> f64 {
        self.backward_m[edge.index()]
    }
}
