//! A region of the unit graph as a small dense graph, for the work done many times over one
//! region: splitting it in two, repairing the two sides' connectivity, rebalancing them.
//! Local indices follow the units' order, so that every "lowest first" tie-break picks the
//! same unit it would pick on the whole mesh.

use crate::cells::Mesh;

pub(super) struct Sub {
    /// The region's units, sorted: local index `i` is unit `units[i]`.
    pub units: Vec<usize>,
    /// Neighbours inside the region, by local index, sorted.
    pub adj: Vec<Vec<usize>>,
    pub weight: Vec<f64>,
}

impl Sub {
    pub fn new(mesh: &Mesh, region: &[usize]) -> Sub {
        let mut units = region.to_vec();
        units.sort_unstable();
        let local: rustc_hash::FxHashMap<usize, usize> = units.iter().enumerate().map(|(i, &u)| (u, i)).collect();
        let adj = units.iter().map(|&u| mesh.adj[u].iter().filter_map(|v| local.get(v).copied()).collect()).collect();
        let weight = units.iter().map(|&u| mesh.units[u].weight).collect();
        Sub { units, adj, weight }
    }

    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// The connected components of the units on side `s`, each sorted, in the order of their
    /// lowest unit.
    pub fn components(&self, side: &[u8], s: u8) -> Vec<Vec<usize>> {
        let mut seen = vec![false; self.len()];
        let mut comps = Vec::new();
        for start in 0..self.len() {
            if side[start] != s || seen[start] {
                continue;
            }
            seen[start] = true;
            let mut comp = vec![start];
            let mut i = 0;
            while i < comp.len() {
                let u = comp[i];
                i += 1;
                for &v in &self.adj[u] {
                    if side[v] == s && !seen[v] {
                        seen[v] = true;
                        comp.push(v);
                    }
                }
            }
            comp.sort_unstable();
            comps.push(comp);
        }
        comps
    }

    /// Splits the region across the line through `centre` perpendicular to the direction
    /// `angle` (radians): side 0, from the low end of that direction, takes units up to
    /// `goal` weight; then both sides are made connected and side 0 brought nearest `goal`.
    pub fn split(&self, centre: (f64, f64), angle: f64, goal: f64, pos: impl Fn(usize) -> geo::Coord<f64>) -> Vec<u8> {
        let (ax, ay) = (angle.cos(), angle.sin());
        let proj = |i: usize| (pos(i).x - centre.0) * ax + (pos(i).y - centre.1) * ay;
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_by(|&a, &b| proj(a).total_cmp(&proj(b)).then(a.cmp(&b)));
        let mut acc = 0.0;
        let mut cut = order.len();
        for (i, &u) in order.iter().enumerate() {
            let w = self.weight[u];
            if acc + w / 2.0 >= goal {
                cut = i;
                break;
            }
            acc += w;
        }
        let cut = cut.clamp(1, order.len().saturating_sub(1).max(1));
        let mut side = vec![0u8; self.len()];
        for (i, &u) in order.iter().enumerate() {
            side[u] = u8::from(i >= cut);
        }
        self.repair(&mut side);
        self.rebalance(&mut side, goal, &proj);
        side
    }

    fn weight_of(&self, members: &[usize]) -> f64 {
        members.iter().map(|&u| self.weight[u]).sum()
    }

    /// Moves stray components to the other side until both sides are connected: each side
    /// keeps its heaviest component (the region is connected, so the others touch the other
    /// side).
    fn repair(&self, side: &mut [u8]) {
        for _ in 0..32 {
            let mut changed = false;
            for s in [0u8, 1u8] {
                let mut comps = self.components(side, s);
                if comps.len() <= 1 {
                    continue;
                }
                comps.sort_by(|a, b| self.weight_of(b).total_cmp(&self.weight_of(a)).then(a[0].cmp(&b[0])));
                for comp in comps.into_iter().skip(1) {
                    for u in comp {
                        side[u] = 1 - s;
                    }
                }
                changed = true;
            }
            if !changed {
                return;
            }
        }
    }

    /// Moves boundary units from the heavier side to the lighter one while that brings side
    /// 0's weight closer to `goal` and keeps both sides connected; among the candidates, the
    /// unit with most neighbours across, then the one nearest the cut (`proj`, by local index).
    fn rebalance(&self, side: &mut [u8], goal: f64, proj: &dyn Fn(usize) -> f64) {
        for _ in 0..self.len() {
            let w0: f64 = (0..self.len()).filter(|&u| side[u] == 0).map(|u| self.weight[u]).sum();
            let diff = w0 - goal;
            if diff.abs() < 1e-9 {
                return;
            }
            let heavy = if diff > 0.0 { 0u8 } else { 1u8 };
            if (0..self.len()).filter(|&u| side[u] == heavy).nth(1).is_none() {
                return;
            }
            let cut = self.articulation_points(side, heavy);
            let mut best: Option<(usize, usize, f64)> = None;
            for u in (0..self.len()).filter(|&u| side[u] == heavy) {
                let w = self.weight[u];
                if (diff.abs() - w).abs() >= diff.abs() - 1e-12 || cut[u] {
                    continue;
                }
                let touching = self.adj[u].iter().filter(|&&v| side[v] == 1 - heavy).count();
                if touching == 0 {
                    continue;
                }
                let closeness = if heavy == 0 { -proj(u) } else { proj(u) };
                if best.is_none_or(|(_, t, c)| touching > t || (touching == t && closeness < c)) {
                    best = Some((u, touching, closeness));
                }
            }
            let Some((u, _, _)) = best else { return };
            side[u] = 1 - heavy;
        }
    }

    /// The units of side `s` whose removal disconnects that side (iterative Tarjan).
    pub fn articulation_points(&self, side: &[u8], s: u8) -> Vec<bool> {
        let n = self.len();
        let mut disc = vec![usize::MAX; n];
        let mut low = vec![0usize; n];
        let mut cut = vec![false; n];
        let mut time = 0;
        for root in 0..n {
            if side[root] != s || disc[root] != usize::MAX {
                continue;
            }
            disc[root] = time;
            low[root] = time;
            time += 1;
            let mut root_children = 0;
            // (node, parent, next neighbour index)
            let mut stack: Vec<(usize, usize, usize)> = vec![(root, usize::MAX, 0)];
            while let Some(&mut (u, parent, ref mut i)) = stack.last_mut() {
                if *i < self.adj[u].len() {
                    let v = self.adj[u][*i];
                    *i += 1;
                    if side[v] != s || v == parent {
                        continue;
                    }
                    if disc[v] != usize::MAX {
                        low[u] = low[u].min(disc[v]);
                    } else {
                        disc[v] = time;
                        low[v] = time;
                        time += 1;
                        if u == root {
                            root_children += 1;
                        }
                        stack.push((v, u, 0));
                    }
                } else {
                    stack.pop();
                    if let Some(&(p, _, _)) = stack.last() {
                        low[p] = low[p].min(low[u]);
                        if p != root && low[u] >= disc[p] {
                            cut[p] = true;
                        }
                    }
                }
            }
            if root_children > 1 {
                cut[root] = true;
            }
        }
        cut
    }
}
