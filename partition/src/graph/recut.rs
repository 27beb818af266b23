//! Compactness by re-cutting pairs of neighbouring grids.
//!
//! Single-unit moves (`smooth`) stop at the first local optimum: they straighten a ragged
//! border but cannot turn one, so grids keep the strips and slivers that recursive bisection
//! cuts. Here each pair of neighbouring grids is merged and cut again along a straight line in
//! each of `DIRECTIONS` directions — the line through the pair's units at the first grid's
//! workload, then the usual connectivity repair and rebalancing — and the cut giving the two
//! grids the highest summed Polsby-Popper compactness (4πA/P², the measure the peers are judged
//! by) replaces the old one when it beats it. The pair's workloads come out as they were (or
//! closer), both grids stay connected and within the count limits, and the first grid keeps
//! most of what it held, so a grid stays where it was while its shape improves.
//! Deterministic: pairs and directions in a fixed order, ties to the first.

use super::{Books, Sub, move_unit};
use crate::Limits;
use crate::cells::Mesh;
use geo::{Area, BoundingRect, Euclidean, Length, MultiPolygon};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeSet;

/// Directions of the cutting line tried per pair, spread over a half turn; each is tried with
/// the first grid on either side.
const DIRECTIONS: usize = 6;
/// Passes over all pairs at most (a pass that improves no pair ends it).
const PASSES: usize = 4;
/// A new cut must raise the figure it is chosen by (the pair's summed compactness, or the
/// grids' mean plus least for `lift_least`) by more than this.
const MIN_GAIN: f64 = 1e-4;

/// Each unit's cell as it lies in its piece of the park: area and perimeter (metres).
pub(super) struct Shapes {
    area: Vec<f64>,
    perimeter: Vec<f64>,
}

impl Shapes {
    /// Cells that no part of the park's boundary comes near are taken whole; the others are
    /// cut to their piece.
    pub(super) fn of(mesh: &Mesh) -> Shapes {
        use rstar::{AABB, RTree, primitives::Line};
        let segments: Vec<Line<[f64; 2]>> = mesh
            .pieces
            .0
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|ring| ring.0.windows(2).map(|w| Line::new([w[0].x, w[0].y], [w[1].x, w[1].y])))
            .collect();
        let edges = RTree::bulk_load(segments);
        let mut area = Vec::with_capacity(mesh.units.len());
        let mut perimeter = Vec::with_capacity(mesh.units.len());
        for u in &mesh.units {
            let Some(bb) = u.cell.bounding_rect() else {
                area.push(0.0);
                perimeter.push(0.0);
                continue;
            };
            let envelope = AABB::from_corners([bb.min().x, bb.min().y], [bb.max().x, bb.max().y]);
            if edges.locate_in_envelope_intersecting(&envelope).next().is_none() {
                // The unit lies in the park and no boundary crosses its cell's box.
                area.push(u.cell.unsigned_area());
                perimeter.push(Euclidean.length(u.cell.exterior()));
            } else {
                let piece = MultiPolygon(vec![mesh.pieces.0[u.piece].clone()]);
                let cut = mesh.ops.intersection(&MultiPolygon(vec![u.cell.clone()]), &piece);
                area.push(cut.unsigned_area());
                perimeter.push(
                    cut.0.iter().map(|p| Euclidean.length(p.exterior()) + p.interiors().iter().map(|r| Euclidean.length(r)).sum::<f64>()).sum(),
                );
            }
        }
        Shapes { area, perimeter }
    }
}

impl Shapes {
    /// The mean and the least Polsby-Popper compactness of the regions (a region's perimeter
    /// is its cells' perimeters less twice the borders they share).
    pub(super) fn compactness(&self, mesh: &Mesh, regions: &[Vec<usize>]) -> (f64, f64) {
        let mut grid_of = vec![usize::MAX; mesh.units.len()];
        for (r, units) in regions.iter().enumerate() {
            for &u in units {
                grid_of[u] = r;
            }
        }
        let (mut sum, mut least) = (0.0, f64::INFINITY);
        for (r, units) in regions.iter().enumerate() {
            let pp = self.compactness_of(mesh, units, grid_of.as_slice(), r);
            sum += pp;
            least = least.min(pp);
        }
        (sum / regions.len().max(1) as f64, least)
    }

    /// The Polsby-Popper compactness of grid `r` (its `units`).
    fn compactness_of(&self, mesh: &Mesh, units: &[usize], grid_of: &[usize], r: usize) -> f64 {
        let (mut area, mut perimeter) = (0.0, 0.0);
        for &u in units {
            area += self.area[u];
            perimeter += self.perimeter[u];
            perimeter -= mesh.adj[u].iter().filter(|&&v| grid_of[v] == r).map(|&v| mesh.border(u, v)).sum::<f64>();
        }
        polsby_popper(area, perimeter)
    }
}

/// Re-cuts neighbouring pairs of grids while that makes them more compact (see the module).
pub(super) fn recut_pairs(mesh: &Mesh, books: Books<'_>, limits: Limits, shapes: &Shapes) {
    let (regions, grid_of, counts, loads, cuts) = books;
    let n = mesh.units.len();
    // A pair whose grids did not change since it was last tried would be cut the same way.
    let mut changed = vec![true; regions.len()];
    for _pass in 0..PASSES {
        let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
        for u in 0..n {
            for &v in &mesh.adj[u] {
                let (r, s) = (grid_of[u], grid_of[v]);
                if r != s && r != usize::MAX && s != usize::MAX {
                    pairs.insert((r.min(s), r.max(s)));
                }
            }
        }
        let mut improved = false;
        let mut changes = vec![false; regions.len()];
        for (r, s) in pairs {
            if !(changed[r] || changed[s] || changes[r] || changes[s]) {
                continue;
            }
            let Some((_, side)) = best_cut(mesh, (&regions[r], &regions[s]), (loads[r], loads[s]), (counts[r], counts[s]), limits, shapes, &score) else {
                continue;
            };
            apply_cut(mesh, (regions, grid_of, counts, loads, cuts), (r, s), &side);
            changes[r] = true;
            changes[s] = true;
            improved = true;
        }
        changed = changes;
        if !improved {
            break;
        }
    }
}

/// The least compact grid re-cut with one of its neighbours while that raises the figure the
/// partitioner's tries are judged by — the grids' mean compactness plus their least — so the
/// thinnest grid (the longest walk for its worker) is not left as the pairs' summed
/// compactness leaves it. Each re-cut keeps what [`recut_pairs`] keeps (balance, limits,
/// connectivity, most of the first grid).
pub(super) fn lift_least(mesh: &Mesh, books: Books<'_>, limits: Limits, shapes: &Shapes) {
    let (regions, grid_of, counts, loads, cuts) = books;
    let k = regions.len();
    if k < 2 {
        return;
    }
    let mut pps: Vec<f64> = (0..k).map(|r| shapes.compactness_of(mesh, &regions[r], grid_of, r)).collect();
    for _ in 0..k {
        let Some(g) = (0..k).min_by(|&a, &b| pps[a].total_cmp(&pps[b]).then(a.cmp(&b))) else { break };
        let sum: f64 = pps.iter().sum();
        let now = sum / k as f64 + pps[g];
        let mut neighbours: Vec<usize> = regions[g].iter().flat_map(|&u| mesh.adj[u].iter()).map(|&v| grid_of[v]).filter(|&s| s != g && s != usize::MAX).collect();
        neighbours.sort_unstable();
        neighbours.dedup();
        let mut best: Option<(f64, usize, HashMap<usize, u8>)> = None;
        for s in neighbours {
            let others_least = (0..k).filter(|&r| r != g && r != s).map(|r| pps[r]).fold(f64::INFINITY, f64::min);
            let others_sum = sum - pps[g] - pps[s];
            let objective = |m: Measures| {
                let (a, b) = (polsby_popper(m.0[0], m.1[0]), polsby_popper(m.0[1], m.1[1]));
                (others_sum + a + b) / k as f64 + a.min(b).min(others_least)
            };
            let Some((figure, side)) = best_cut(mesh, (&regions[g], &regions[s]), (loads[g], loads[s]), (counts[g], counts[s]), limits, shapes, &objective) else {
                continue;
            };
            if figure > now + MIN_GAIN && best.as_ref().is_none_or(|(f, _, _)| figure > *f) {
                best = Some((figure, s, side));
            }
        }
        let Some((_, s, side)) = best else { break };
        apply_cut(mesh, (regions, grid_of, counts, loads, cuts), (g, s), &side);
        for r in [g, s] {
            pps[r] = shapes.compactness_of(mesh, &regions[r], grid_of, r);
        }
    }
}

/// The best straight re-cut of the pair `(a, b)` by `objective` (of the two sides' measures),
/// with its figure and the side (0: `a`, 1: `b`) of each of their units, if it beats the
/// present cut.
fn best_cut(
    mesh: &Mesh,
    (a, b): (&[usize], &[usize]),
    (load_a, load_b): (f64, f64),
    (count_a, count_b): (i64, i64),
    limits: Limits,
    shapes: &Shapes,
    objective: &dyn Fn(Measures) -> f64,
) -> Option<(f64, HashMap<usize, u8>)> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let union: Vec<usize> = a.iter().chain(b).copied().collect();
    let sub = Sub::new(mesh, &union);
    let m = sub.len();
    let in_a: Vec<bool> = {
        let mine: rustc_hash::FxHashSet<usize> = a.iter().copied().collect();
        sub.units.iter().map(|u| mine.contains(u)).collect()
    };
    let count: Vec<i64> = sub.units.iter().map(|&u| mesh.units[u].sites.len() as i64).collect();
    let shape = Shape {
        sub: &sub,
        border: (0..m).map(|i| sub.adj[i].iter().map(|&j| mesh.border(sub.units[i], sub.units[j])).collect()).collect(),
        area: sub.units.iter().map(|&u| shapes.area[u]).collect(),
        perimeter: sub.units.iter().map(|&u| shapes.perimeter[u]).collect(),
    };
    let pp = |side: &[u8]| objective(shape.measure(side));
    let present: Vec<u8> = in_a.iter().map(|&x| u8::from(!x)).collect();
    let before = pp(&present);
    let mut best = (before, present);
    let gap = (load_a - load_b).abs();
    let (min, max) = (i64::from(limits.min), i64::from(limits.max));
    // A cut may not take a grid out of the limits it was within.
    let count_ok = |before: i64, after: i64| (min..=max).contains(&after) || after == before;
    let total: f64 = sub.weight.iter().sum();
    let centre = (0..m).fold((0.0, 0.0), |(x, y), i| {
        let (w, p) = (sub.weight[i] / total, mesh.units[sub.units[i]].pos);
        (x + w * p.x, y + w * p.y)
    });
    for k in 0..2 * DIRECTIONS {
        let angle = std::f64::consts::PI * k as f64 / DIRECTIONS as f64;
        let side = sub.split(centre, angle, load_a, |i| mesh.units[sub.units[i]].pos);
        let (mut w, mut c, mut kept, mut taken) = ([0.0f64; 2], [0i64; 2], 0, 0);
        for i in 0..m {
            let s = usize::from(side[i]);
            w[s] += sub.weight[i];
            c[s] += count[i];
            if s == 0 {
                if in_a[i] { kept += count[i] } else { taken += count[i] }
            }
        }
        // The same balance or better, the limits kept, and the first grid keeps most of what
        // it held (by enterprises).
        if c[0] == 0 || c[1] == 0 || (w[0] - w[1]).abs() > gap + 1e-9 || !count_ok(count_a, c[0]) || !count_ok(count_b, c[1]) || kept < taken {
            continue;
        }
        if sub.components(&side, 0).len() != 1 || sub.components(&side, 1).len() != 1 {
            continue;
        }
        let score = pp(&side);
        if score > best.0 {
            best = (score, side);
        }
    }
    let (cut, mut side) = best;
    let best_side = side.clone();
    let mut after = shape.exchange(&mut side, &count, objective);
    // The exchanges too must leave the first grid most of what it held.
    let (kept, taken) = (0..m).filter(|&i| side[i] == 0).fold((0, 0), |(k, t), i| if in_a[i] { (k + count[i], t) } else { (k, t + count[i]) });
    if kept < taken {
        (after, side) = (cut, best_side);
    }
    (after > before + MIN_GAIN).then(|| (after, sub.units.iter().copied().zip(side).collect()))
}

/// The geometry of a pair's units, by local index, for the two sides' compactness.
struct Shape<'a> {
    sub: &'a Sub,
    /// Border lengths, parallel to `sub.adj`.
    border: Vec<Vec<f64>>,
    area: Vec<f64>,
    perimeter: Vec<f64>,
}

/// Area and perimeter of each side.
type Measures = ([f64; 2], [f64; 2]);

/// The summed Polsby-Popper compactness 4πA/P² of the two sides.
fn score((area, perimeter): Measures) -> f64 {
    (0..2).map(|s| polsby_popper(area[s], perimeter[s])).sum()
}

/// The Polsby-Popper compactness 4πA/P² of one region (0 for an empty one).
fn polsby_popper(area: f64, perimeter: f64) -> f64 {
    if perimeter > 0.0 { 4.0 * std::f64::consts::PI * area / (perimeter * perimeter) } else { 0.0 }
}

/// Moves the units of grids `r` and `s` whose `side` (0: `r`, 1: `s`) changed, one by one,
/// with their bookkeeping.
fn apply_cut(mesh: &Mesh, books: Books<'_>, (r, s): (usize, usize), side: &HashMap<usize, u8>) {
    let (regions, grid_of, counts, loads, cuts) = books;
    let leaving_r: Vec<usize> = regions[r].iter().copied().filter(|u| side[u] == 1).collect();
    let leaving_s: Vec<usize> = regions[s].iter().copied().filter(|u| side[u] == 0).collect();
    for u in leaving_r {
        move_unit(mesh, u, r, s, regions, grid_of, counts, loads, cuts);
    }
    for u in leaving_s {
        move_unit(mesh, u, s, r, regions, grid_of, counts, loads, cuts);
    }
}

impl Shape<'_> {
    /// A side's perimeter is its cells' perimeters less twice the borders they share.
    fn measure(&self, side: &[u8]) -> Measures {
        let (mut area, mut perimeter) = ([0.0f64; 2], [0.0f64; 2]);
        for i in 0..side.len() {
            let s = usize::from(side[i]);
            area[s] += self.area[i];
            perimeter[s] += self.perimeter[i];
            for (k, &j) in self.sub.adj[i].iter().enumerate() {
                if side[j] == side[i] {
                    perimeter[s] -= self.border[i][k];
                }
            }
        }
        (area, perimeter)
    }

    /// The measures after unit `i` changes sides (`side` as it is before the move).
    fn moved(&self, (mut area, mut perimeter): Measures, side: &[u8], i: usize) -> Measures {
        let (from, to) = (usize::from(side[i]), usize::from(1 - side[i]));
        let mut with = [0.0f64; 2];
        for (k, &j) in self.sub.adj[i].iter().enumerate() {
            with[usize::from(side[j])] += self.border[i][k];
        }
        area[from] -= self.area[i];
        area[to] += self.area[i];
        perimeter[from] += 2.0 * with[from] - self.perimeter[i];
        perimeter[to] += self.perimeter[i] - 2.0 * with[to];
        (area, perimeter)
    }

    /// Exchanges two units of the same weight and count across the cut while that raises the
    /// `objective`, the best exchange first; both sides stay connected. Returns the final
    /// figure.
    fn exchange(&self, side: &mut [u8], count: &[i64], objective: &dyn Fn(Measures) -> f64) -> f64 {
        let sub = self.sub;
        let mut now = self.measure(side);
        for _ in 0..sub.len() {
            let cuts = [sub.articulation_points(side, 0), sub.articulation_points(side, 1)];
            // Units of side s on the border, free to leave it.
            let movable = |s: u8| -> Vec<usize> {
                (0..sub.len()).filter(|&i| side[i] == s && !cuts[usize::from(s)][i] && sub.adj[i].iter().any(|&j| side[j] != s)).collect()
            };
            let (zeros, ones) = (movable(0), movable(1));
            let mut best: Option<(f64, usize, usize)> = None;
            for &u in &zeros {
                for &v in &ones {
                    if count[u] != count[v] || (sub.weight[u] - sub.weight[v]).abs() > 1e-9 {
                        continue;
                    }
                    // Each must still touch its new side once the other has left it.
                    if !sub.adj[v].iter().any(|&j| side[j] == 0 && j != u) || !sub.adj[u].iter().any(|&j| side[j] == 1 && j != v) {
                        continue;
                    }
                    let half = self.moved(now, side, u);
                    side[u] = 1;
                    let whole = self.moved(half, side, v);
                    side[u] = 0;
                    let gain = objective(whole) - objective(now);
                    if gain > 1e-9 && best.is_none_or(|(g, _, _)| gain > g) {
                        best = Some((gain, u, v));
                    }
                }
            }
            let Some((_, u, v)) = best else { break };
            now = self.moved(now, side, u);
            side[u] = 1;
            now = self.moved(now, side, v);
            side[v] = 0;
        }
        objective(now)
    }
}
