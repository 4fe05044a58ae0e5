//! Walking costs per edge and direction.

use std::sync::Arc;

use crate::network::{EdgeId, WalkNetwork};

/// Directional walking cost of every edge, in *flat-equivalent metres*: the distance a
/// walker would cover on flat ground at the profile speed in the same time. On flat
/// ground a cost is exactly the edge length; slope or obstacles make it larger, and
/// can make the two directions differ. Searches add whole edges at `f32` precision
/// (a relative 6·10⁻⁸, 1 mm in 16 km), and a walk along a whole edge measured from a
/// position takes the same rounded value.
///
/// The costs carry the flat-ground speed they were made for: walk time in minutes is
/// `cost_m / metres_per_min()`.
#[derive(Debug, Clone)]
pub struct WalkCosts {
    /// Walking speed on flat ground these costs stand for, km/h.
    speed_kmh: f64,
    /// Cost of walking each edge from its first node to its second.
    pub(crate) forward_m: Arc<[f64]>,
    /// Cost of walking each edge from its second node to its first (the same
    /// allocation as `forward_m` on flat ground).
    pub(crate) backward_m: Arc<[f64]>,
    /// For each arc `tail -> head`, indexed like the network's arcs: its head and the
    /// cost of walking it the other way, `head -> tail` (searches run from centers
    /// *backwards* to residents, so this is the cost they add).
    pub(crate) search_arcs: Vec<SearchArc>,
    /// Every cost equals the edge length (flat ground, no closures): searches then need
    /// not track walked length separately.
    pub(crate) lengths_equal_costs: bool,
    /// Per-segment cost rates (cost per metre), when costs vary along an edge (slope).
    pub(crate) segment_rates: Option<SegmentRates>,
}

/// What a search reads of one arc, packed in 8 bytes so that settling a node reads
/// its arcs from one cache line instead of two arrays: most of a search's time is
/// waiting for that memory. The cost is stored as `f32` (a rounding of at most
/// 1 mm per 16 km, far below the precision of any map), and sums are kept in `f64`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C)]
pub(crate) struct SearchArc {
    pub head: u32,
    pub cost_toward_tail_m: f32,
}

impl SearchArc {
    /// The cost in the searches' `f64` arithmetic.
    #[inline]
    pub(crate) fn cost_m(self) -> f64 {
        f64::from(self.cost_toward_tail_m)
    }
}

/// The nearest `f32` value, as the searches store costs.
fn round_to_f32(cost_m: f64) -> f64 {
    f64::from(cost_m as f32)
}

/// Cost per metre of each geometry segment, indexed like the network's vertices: the
/// segment from vertex `i` to vertex `i + 1` of an edge has index `i` (the last vertex of
/// each edge starts no segment and its entry is unused).
#[derive(Debug, Clone)]
pub(crate) struct SegmentRates {
    /// Walking the segment in the edge's direction.
    pub forward: Vec<f64>,
    /// Walking it against the edge's direction.
    pub backward: Vec<f64>,
}

impl WalkCosts {
    /// Flat ground at the default adult speed ([`crate::coverage::DEFAULT_SPEED_KMH`]): cost
    /// equals length in both directions. [`Self::with_speed_kmh`] sets another speed.
    pub fn flat(network: &WalkNetwork) -> Self {
        let lengths = Arc::clone(network.edge_lengths());
        Self::from_shared_edge_costs(network, lengths.clone(), lengths)
    }

    /// Costs from per-edge forward and backward values (`f64::INFINITY` closes a direction).
    ///
    /// Searches read these costs at `f32` precision.
    pub fn from_edge_costs(
        network: &WalkNetwork,
        forward_m: Vec<f64>,
        backward_m: Vec<f64>,
    ) -> Self {
        Self::from_shared_edge_costs(network, forward_m.into(), backward_m.into())
    }

    fn from_shared_edge_costs(
        network: &WalkNetwork,
        forward_m: Arc<[f64]>,
        backward_m: Arc<[f64]>,
    ) -> Self {
        assert_eq!(forward_m.len(), network.edge_count());
        assert_eq!(backward_m.len(), network.edge_count());
        let (edge_from, edge_to) = network.edge_ends();
        let search_arcs = network
            .arc_edges()
            .iter()
            .zip(network.arc_forward())
            .map(|(&e, &forward)| {
                // Arc along the edge (tail = first node): its head is the second node,
                // and walking head -> tail is backward.
                let (head, cost_m) = if forward {
                    (edge_to[e as usize], backward_m[e as usize])
                } else {
                    (edge_from[e as usize], forward_m[e as usize])
                };
                SearchArc {
                    head,
                    cost_toward_tail_m: cost_m as f32,
                }
            })
            .collect();
        let lengths_equal_costs = forward_m
            .iter()
            .zip(backward_m.iter())
            .zip(network.edge_lengths().iter())
            .all(|((f, b), l)| f == l && b == l);
        Self {
            speed_kmh: crate::coverage::DEFAULT_SPEED_KMH,
            forward_m,
            backward_m,
            search_arcs,
            lengths_equal_costs,
            segment_rates: None,
        }
    }

    /// The same costs for a walker of `speed_kmh` on flat ground (costs are in
    /// flat-equivalent metres, so only their conversion to minutes changes).
    #[must_use]
    pub fn with_speed_kmh(mut self, speed_kmh: f64) -> Self {
        self.speed_kmh = speed_kmh;
        self
    }

    /// Walking speed on flat ground these costs stand for, km/h.
    pub fn speed_kmh(&self) -> f64 {
        self.speed_kmh
    }

    /// The same speed in metres per minute: a cost of `cost_m` takes
    /// `cost_m / metres_per_min()` minutes.
    pub fn metres_per_min(&self) -> f64 {
        self.speed_kmh * 1000.0 / 60.0
    }

    /// Cost of walking along `edge` between two offsets, in the direction from
    /// `from_offset_m` to `to_offset_m`.
    ///
    /// With per-segment costs (slope) each segment counts the part of it that is walked
    /// at its own rate; this is exact, as a point inside a segment takes its height by
    /// linear interpolation, so the slope is constant along the segment. Otherwise the
    /// edge's cost is shared in proportion to length. Walking nothing costs nothing,
    /// even on a closed edge.
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
        let forward = to_offset_m > from_offset_m;
        let full = if forward {
            self.forward_m[edge.index()]
        } else {
            self.backward_m[edge.index()]
        };
        if walked >= length {
            // The whole edge, at the precision a search crosses it: a walk then costs
            // the same whichever edge of a shared node a point was snapped to.
            return round_to_f32(full);
        }
        if let Some(rates) = &self.segment_rates {
            let (lo, hi) = if forward {
                (from_offset_m, to_offset_m)
            } else {
                (to_offset_m, from_offset_m)
            };
            let shape = network.edge_shape(edge);
            let range = network.edge_vertex_range(edge);
            let rate = if forward {
                &rates.forward[range]
            } else {
                &rates.backward[range]
            };
            let mut cost = 0.0;
            // The last vertex's rate slot is unused: it starts no segment.
            for (i, &segment_rate) in rate[..rate.len() - 1].iter().enumerate() {
                let overlap = hi.min(shape.offset_m(i + 1)) - lo.max(shape.offset_m(i));
                if overlap > 0.0 {
                    cost += overlap * segment_rate;
                }
            }
            return cost;
        }
        if length > 0.0 {
            full * (walked / length)
        } else {
            0.0
        }
    }

    /// How far from `target_offset_m` along `edge` a walker can start and still reach
    /// `target_offset_m` for at most `budget_m`: starting after the target (walking
    /// backward to it) when `after` is true, else before it (walking forward). Metres,
    /// not clamped to the edge when the budget outlasts it (infinite when every segment
    /// on that side is free).
    ///
    /// Complexity: O(segments of the edge).
    pub fn reach_toward_m(
        &self,
        network: &WalkNetwork,
        edge: EdgeId,
        target_offset_m: f64,
        budget_m: f64,
        after: bool,
    ) -> f64 {
        let length = network.edge_length_m(edge);
        let Some(rates) = &self.segment_rates else {
            let full = if after {
                self.backward_m[edge.index()]
            } else {
                self.forward_m[edge.index()]
            };
            let rate = if length > 0.0 {
                full / length
            } else {
                f64::INFINITY
            };
            return if rate > 0.0 {
                budget_m / rate
            } else {
                f64::INFINITY
            };
        };
        let shape = network.edge_shape(edge);
        let offsets = |i: usize| shape.offset_m(i);
        let range = network.edge_vertex_range(edge);
        let rate = if after {
            &rates.backward[range]
        } else {
            &rates.forward[range]
        };
        let segments = shape.vertex_count() - 1;
        let mut left = budget_m;
        let mut reached = 0.0;
        let mut visit = |i: usize, span: f64| -> bool {
            if span <= 0.0 {
                return true;
            }
            let cost = span * rate[i];
            if cost <= left {
                left -= cost;
                reached += span;
                true
            } else {
                if rate[i] > 0.0 {
                    reached += left / rate[i];
                }
                false
            }
        };
        let mut whole = true;
        if after {
            for i in 0..segments {
                let span = offsets(i + 1).min(length) - offsets(i).max(target_offset_m);
                if offsets(i + 1) > target_offset_m && !visit(i, span) {
                    whole = false;
                    break;
                }
            }
        } else {
            for i in (0..segments).rev() {
                let span = offsets(i + 1).min(target_offset_m) - offsets(i);
                if offsets(i) < target_offset_m && !visit(i, span) {
                    whole = false;
                    break;
                }
            }
        }
        if whole {
            f64::INFINITY
        } else {
            reached
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
