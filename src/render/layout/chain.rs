//! The layered graph: every real node on its rank, every edge cut into a
//! chain of slots, one per rank it crosses, the label riding on the middle
//! slot (as in dot).

use super::rank::Ranks;
use super::size::text_block;
use super::{Link, NodeBox, RankedNode, Shape, BOX3D, EDGE_FONT};
use crate::render::drawing::Drawing;
use crate::render::label::Justify;

/// dot's Ω: how much more a link is pulled straight when its ends are
/// real–real, real–slot and slot–slot (long edges stay straightest).
const STRAIGHTNESS: [f64; 3] = [1.0, 2.0, 8.0];

/// Half-width of an edge slot beside its line.
pub(super) const SLOT_MIN: f64 = 2.0;
/// Space between an edge's line and its label.
pub(super) const LABEL_GAP: f64 = 4.0;

/// The layered graph of a drawing.
pub(super) struct Chains {
    /// Real nodes (same indices as the boxes), then slots.
    pub ranked: Vec<RankedNode>,
    /// Links between neighbouring ranks.
    pub links: Vec<Link>,
    /// Per edge: its nodes from the upper end to the lower.
    pub chains: Vec<Vec<usize>>,
    /// Per edge: the slot carrying its label, if it has one.
    pub label_slot: Vec<Option<usize>>,
}

impl Chains {
    /// Builds the layered graph of `d` with its boxes and ranks.
    pub(super) fn build(d: &Drawing, nodes: &[NodeBox], ranks: &Ranks) -> Chains {
        let mut ranked: Vec<RankedNode> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let face = if n.shape == Shape::Box3d { BOX3D } else { 0.0 };
                RankedNode {
                    left: n.w / 2.0,
                    right: n.w / 2.0 + face,
                    h: n.h + face,
                    real: Some(i),
                    rank: ranks.rank[i],
                    x: 0.0,
                }
            })
            .collect();
        let mut links: Vec<Link> = Vec::new();
        let mut chains: Vec<Vec<usize>> = Vec::with_capacity(d.edges.len());
        let mut label_slot: Vec<Option<usize>> = Vec::with_capacity(d.edges.len());
        for (i, e) in d.edges.iter().enumerate() {
            let (u, v) = ranks.dir[i];
            let (ru, rv) = (ranks.rank[u], ranks.rank[v]);
            let label: Vec<(String, Justify)> =
                e.label.iter().map(|l| (l.clone(), Justify::Left)).collect();
            let (label_w, label_h) = text_block(&label, EDGE_FONT);
            let mut label_rank = ru + (rv - ru) / 2;
            if (label_rank - ru) % 2 == 0 && label_rank > ru + 1 {
                label_rank -= 1;
            }
            let half = e.pen.max(SLOT_MIN);
            let mut chain = vec![u];
            let mut slot = None;
            for r in ru + 1..rv {
                let is_label = r == label_rank && !label.is_empty();
                ranked.push(RankedNode {
                    left: half,
                    right: if is_label {
                        half + LABEL_GAP + label_w
                    } else {
                        half
                    },
                    h: if is_label { label_h } else { 0.0 },
                    real: None,
                    rank: r,
                    x: 0.0,
                });
                if is_label {
                    slot = Some(ranked.len() - 1);
                }
                chain.push(ranked.len() - 1);
            }
            chain.push(v);
            for w in chain.windows(2) {
                let slots = usize::from(ranked[w[0]].real.is_none())
                    + usize::from(ranked[w[1]].real.is_none());
                links.push(Link {
                    from: w[0],
                    to: w[1],
                    weight: e.weight * STRAIGHTNESS[slots],
                });
            }
            chains.push(chain);
            label_slot.push(slot);
        }
        Chains {
            ranked,
            links,
            chains,
            label_slot,
        }
    }
}
