//! Recursive inertial bisection on the unit graph, keeping both halves connected, then the
//! polish: counts into the limits, workloads evened out, pairs of grids re-cut for
//! compactness (`recut`), and the balance restored along chains of grids (`paths`).

use crate::Limits;
use crate::cells::Mesh;
use rustc_hash::FxHashSet as HashSet;

mod paths;
mod recut;
mod sub;

use sub::Sub;

/// Splits the units into regions (each a list of unit indices), each connected in the mesh.
///
/// Small parks are partitioned several times, the first cut of each piece of the park turned
/// by a different angle from its principal axis, and the most compact result is kept (fewest
/// grids outside the limits first): where the first cut falls decides much of the shape of
/// every grid, and on a park of a few hundred enterprises a try takes milliseconds.
pub fn partition(mesh: &Mesh, limits: Limits) -> Vec<Vec<usize>> {
    let n = mesh.units.len();
    let shapes = recut::Shapes::of(mesh);
    let tries = (TRY_BUDGET / n.max(1)).clamp(1, TURNS);
    let mut best: Option<(usize, f64, Vec<Vec<usize>>)> = None;
    for t in 0..tries {
        let turn = std::f64::consts::PI * t as f64 / TURNS as f64;
        let mut side = vec![u32::MAX; n];
        let all: Vec<usize> = (0..n).collect();
        let mut out = Vec::new();
        for comp in components(mesh, &all, &mut side, 0) {
            let k = grid_count(count_of(mesh, &comp), limits);
            bisect(mesh, comp, k, turn, &mut out);
        }
        polish(mesh, &mut out, limits, Some(&shapes));
        let outside = out.iter().filter(|r| !(limits.min..=limits.max).contains(&count_of(mesh, r))).count();
        let (mean, least) = shapes.compactness(mesh, &out);
        // The mean, but not at any price for the worst grid.
        let compact = mean + least;
        if best.as_ref().is_none_or(|(o, c, _)| outside < *o || (outside == *o && compact > *c + 1e-9)) {
            best = Some((outside, compact, out));
        }
    }
    best.map(|(_, _, out)| out).unwrap_or_default()
}

/// How many first-cut angles [`partition`] tries at most, spread over a half turn.
const TURNS: usize = 12;
/// Units × tries: a park of `n` units gets `TRY_BUDGET / n` tries (at least one).
const TRY_BUDGET: usize = 6_000;

/// The enterprises of a region.
pub fn count_of(mesh: &Mesh, units: &[usize]) -> u32 {
    units.iter().map(|&u| mesh.units[u].sites.len() as u32).sum()
}

/// Gives each region the previous grid (`previous[u]`: the grid unit `u` was in) that holds
/// most of its enterprises, each previous grid to one region at most, the largest overlaps
/// first; the other regions get none (a new code).
pub fn keep_codes(mesh: &Mesh, regions: Vec<Vec<usize>>, previous: &[Option<usize>]) -> Vec<(Vec<usize>, Option<usize>)> {
    let mut overlaps: Vec<(u32, usize, usize)> = Vec::new();
    for (r, units) in regions.iter().enumerate() {
        let mut by_grid: std::collections::BTreeMap<usize, u32> = std::collections::BTreeMap::new();
        for &u in units {
            if let Some(g) = previous[u] {
                *by_grid.entry(g).or_default() += mesh.units[u].sites.len() as u32;
            }
        }
        overlaps.extend(by_grid.into_iter().filter(|(_, n)| *n > 0).map(|(g, n)| (n, r, g)));
    }
    // Largest overlap first; ties by region, then grid, so that the result is deterministic.
    overlaps.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut code: Vec<Option<usize>> = vec![None; regions.len()];
    let mut taken = std::collections::HashSet::new();
    for (_, r, g) in overlaps {
        if code[r].is_none() && taken.insert(g) {
            code[r] = Some(g);
        }
    }
    regions.into_iter().zip(code).collect()
}

/// Starts from a previous plan: `previous[u]` is the previous grid of unit `u` (if it lay in
/// one). Units that lay in no previous grid join a neighbouring one; a previous grid that fell
/// apart keeps its heaviest piece (the rest joins neighbours); grids over `max` are bisected and
/// grids under `min` merged into their smallest neighbour; then the usual polish. Returns each
/// region with the previous grid it continues, if any.
pub fn from_previous(mesh: &Mesh, previous: &[Option<usize>], limits: Limits) -> Vec<(Vec<usize>, Option<usize>)> {
    let n = mesh.units.len();
    let mut grid_of: Vec<Option<usize>> = previous.to_vec();
    // Units in no previous grid take a neighbour's grid, spreading outwards.
    loop {
        let mut changed = false;
        for u in 0..n {
            if grid_of[u].is_none() {
                if let Some(g) = mesh.adj[u].iter().filter_map(|&v| grid_of[v]).min() {
                    grid_of[u] = Some(g);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let slots = grid_of.iter().flatten().max().map_or(0, |m| m + 1);
    let mut regions: Vec<(Vec<usize>, Option<usize>)> = (0..slots).map(|g| (Vec::new(), Some(g))).collect();
    let mut fresh: Vec<usize> = Vec::new();
    for u in 0..n {
        match grid_of[u] {
            Some(g) => regions[g].0.push(u),
            None => fresh.push(u),
        }
    }
    // A grid in pieces keeps its heaviest piece; the other pieces join a neighbouring grid.
    let mut scratch = vec![u32::MAX; n];
    let mut region_of: Vec<usize> = vec![usize::MAX; n];
    for (r, (units, _)) in regions.iter().enumerate() {
        for &u in units {
            region_of[u] = r;
        }
    }
    for r in 0..regions.len() {
        let mut comps = components(mesh, &regions[r].0, &mut scratch, 0);
        if comps.len() <= 1 {
            continue;
        }
        comps.sort_by(|a, b| weight(mesh, b).total_cmp(&weight(mesh, a)).then(a[0].cmp(&b[0])));
        regions[r].0 = comps[0].clone();
        for comp in comps.into_iter().skip(1) {
            let target = comp.iter().flat_map(|&u| mesh.adj[u].iter()).map(|&v| region_of[v]).filter(|&s| s != r && s != usize::MAX).min();
            match target {
                Some(s) => {
                    for &u in &comp {
                        region_of[u] = s;
                    }
                    regions[s].0.extend(comp);
                }
                None => {
                    for &u in &comp {
                        region_of[u] = regions.len();
                    }
                    regions.push((comp, None));
                }
            }
        }
    }
    // Components with no previous grid at all are partitioned afresh.
    for comp in components(mesh, &fresh, &mut scratch, 0) {
        let count: u32 = comp.iter().map(|&u| mesh.units[u].sites.len() as u32).sum();
        let mut parts = Vec::new();
        bisect(mesh, comp, grid_count(count, limits), 0.0, &mut parts);
        regions.extend(parts.into_iter().map(|p| (p, None)));
    }
    regions.retain(|(units, _)| !units.is_empty());
    // Too big: bisect, the first part keeps the grid.
    let mut i = 0;
    while i < regions.len() {
        let c = count_of(mesh, &regions[i].0);
        if c > limits.max {
            let k = grid_count(c, limits).max(2);
            let mut parts = Vec::new();
            bisect(mesh, std::mem::take(&mut regions[i].0), k, 0.0, &mut parts);
            let mut parts = parts.into_iter();
            regions[i].0 = parts.next().unwrap_or_default();
            regions.extend(parts.map(|p| (p, None)));
        }
        i += 1;
    }
    // Too small: merge into the smallest neighbour when the sum fits.
    loop {
        let mut region_of = vec![usize::MAX; n];
        for (r, (units, _)) in regions.iter().enumerate() {
            for &u in units {
                region_of[u] = r;
            }
        }
        let small = (0..regions.len()).find_map(|r| {
            let c = count_of(mesh, &regions[r].0);
            if c >= limits.min {
                return None;
            }
            let mut nbrs: Vec<usize> =
                regions[r].0.iter().flat_map(|&u| mesh.adj[u].iter()).map(|&v| region_of[v]).filter(|&s| s != r && s != usize::MAX).collect();
            nbrs.sort_unstable();
            nbrs.dedup();
            nbrs.into_iter().filter(|&s| count_of(mesh, &regions[s].0) + c <= limits.max).min_by_key(|&s| (count_of(mesh, &regions[s].0), s)).map(|s| (r, s))
        });
        let Some((r, s)) = small else { break };
        let units = std::mem::take(&mut regions[r].0);
        regions[s].0.extend(units);
        regions.remove(r);
    }
    for (units, _) in &mut regions {
        units.sort_unstable();
    }
    let mut plain: Vec<Vec<usize>> = regions.iter().map(|(u, _)| u.clone()).collect();
    polish(mesh, &mut plain, limits, None);
    plain.into_iter().zip(regions).map(|(units, (_, prev))| (units, prev)).collect()
}

/// Local moves between neighbouring grids, each keeping both grids connected: first until
/// every grid's count is within the limits (where the input allows), then while a move
/// brings two neighbours' workloads closer; then (with `reshape`) pairs of grids re-cut for
/// compactness, single moves for shorter borders within a band of the mean workload, and the
/// balance restored between neighbours and along chains of grids.
fn polish(mesh: &Mesh, regions: &mut [Vec<usize>], limits: Limits, reshape: Option<&recut::Shapes>) {
    let n = mesh.units.len();
    let mut grid_of = vec![usize::MAX; n];
    for (r, units) in regions.iter().enumerate() {
        for &u in units {
            grid_of[u] = r;
        }
    }
    let count = |u: usize| mesh.units[u].sites.len() as i64;
    let mut counts: Vec<i64> = regions.iter().map(|r| r.iter().map(|&u| count(u)).sum()).collect();
    let mut loads: Vec<f64> = regions.iter().map(|r| weight(mesh, r)).collect();
    let (min, max) = (i64::from(limits.min), i64::from(limits.max));

    // Articulation points per grid, recomputed only for grids that changed.
    let mut cuts: Vec<Option<HashSet<usize>>> = vec![None; regions.len()];
    for _round in 0..64 {
        let mut moved = false;
        for r in 0..regions.len() {
            // The move out of `r` that helps most: (gain, unit, to).
            let mut best: Option<(f64, usize, usize)> = None;
            let over = counts[r] > max;
            if regions[r].len() <= 1 {
                continue;
            }
            let cut = cuts[r].get_or_insert_with(|| articulation_points(mesh, &regions[r]));
            for &u in &regions[r] {
                if cut.contains(&u) {
                    continue;
                }
                let (c, w) = (count(u), mesh.units[u].weight);
                for &v in &mesh.adj[u] {
                    let s = grid_of[v];
                    if s == r || s == usize::MAX {
                        continue;
                    }
                    let under = counts[s] < min;
                    // Never push a grid outside the limits unless it fixes a worse violation.
                    let fixes = (over && counts[s] + c <= max) || (under && counts[r] - c >= min);
                    let keeps = counts[s] + c <= max && counts[r] - c >= min;
                    let balances = loads[r] - loads[s] > w + 1e-9;
                    let gain = if fixes {
                        1e6 + (counts[r] - counts[s]) as f64
                    } else if keeps && balances {
                        // The drop in the sum of squared loads.
                        2.0 * w * (loads[r] - loads[s] - w)
                    } else {
                        continue;
                    };
                    if best.is_none_or(|(g, bu, bs)| gain > g + 1e-12 || ((gain - g).abs() <= 1e-12 && (u, s) < (bu, bs))) {
                        best = Some((gain, u, s));
                    }
                }
            }
            let Some((_, u, s)) = best else { continue };
            move_unit(mesh, u, r, s, regions, &mut grid_of, &mut counts, &mut loads, &mut cuts);
            moved = true;
        }
        if !moved {
            break;
        }
    }
    if let Some(shapes) = reshape {
        recut::recut_pairs(mesh, (regions, &mut grid_of, &mut counts, &mut loads, &mut cuts), limits, shapes);
    }
    smooth(mesh, regions, &mut grid_of, &mut counts, &mut loads, &mut cuts, limits);
    even_out(mesh, regions, &mut grid_of, &mut counts, &mut loads, &mut cuts, limits);
    paths::balance_paths(mesh, (regions, &mut grid_of, &mut counts, &mut loads, &mut cuts), limits);
    if let Some(shapes) = reshape {
        recut::recut_pairs(mesh, (regions, &mut grid_of, &mut counts, &mut loads, &mut cuts), limits, shapes);
        recut::lift_least(mesh, (regions, &mut grid_of, &mut counts, &mut loads, &mut cuts), limits, shapes);
    }
}

/// Balance after compactness: moves a boundary unit from a grid to a lighter neighbour while
/// that brings the two workloads strictly closer, choosing each time the move that lengthens
/// the borders least (or shortens them most), so that the smoothing's compactness is spent
/// only where the balance needs it. Both grids stay connected and within the count limits.
#[allow(clippy::too_many_arguments)]
fn even_out(
    mesh: &Mesh,
    regions: &mut [Vec<usize>],
    grid_of: &mut [usize],
    counts: &mut [i64],
    loads: &mut [f64],
    cuts: &mut [Option<HashSet<usize>>],
    limits: Limits,
) {
    let closer = |loads: &[f64], r: usize, s: usize, w: f64| loads[r] - loads[s] > w + 1e-9;
    border_moves(mesh, (regions, grid_of, counts, loads, cuts), limits, 64, f64::NEG_INFINITY, closer);
}

/// Compactness: moves a boundary unit to the neighbouring grid it shares more border with than
/// with its own (the borders get shorter), as long as both grids stay connected, within the
/// count limits and within `BAND` of the mean workload.
#[allow(clippy::too_many_arguments)]
fn smooth(
    mesh: &Mesh,
    regions: &mut [Vec<usize>],
    grid_of: &mut [usize],
    counts: &mut [i64],
    loads: &mut [f64],
    cuts: &mut [Option<HashSet<usize>>],
    limits: Limits,
) {
    const BAND: f64 = 0.06;
    if regions.is_empty() {
        return;
    }
    let mean = loads.iter().sum::<f64>() / loads.len() as f64;
    let (lo, hi) = (mean * (1.0 - BAND), mean * (1.0 + BAND));
    let in_band = |loads: &[f64], r: usize, s: usize, w: f64| loads[r] - w >= lo && loads[s] + w <= hi;
    border_moves(mesh, (regions, grid_of, counts, loads, cuts), limits, 16, 1e-6, in_band);
}

/// Moves unit `u` from grid `r` to grid `s`, keeping the bookkeeping in step.
#[allow(clippy::too_many_arguments)]
fn move_unit(
    mesh: &Mesh,
    u: usize,
    r: usize,
    s: usize,
    regions: &mut [Vec<usize>],
    grid_of: &mut [usize],
    counts: &mut [i64],
    loads: &mut [f64],
    cuts: &mut [Option<HashSet<usize>>],
) {
    regions[r].retain(|&x| x != u);
    regions[s].push(u);
    regions[s].sort_unstable();
    grid_of[u] = s;
    let c = mesh.units[u].sites.len() as i64;
    counts[r] -= c;
    counts[s] += c;
    loads[r] -= mesh.units[u].weight;
    loads[s] += mesh.units[u].weight;
    cuts[r] = None;
    cuts[s] = None;
}

/// The grids' bookkeeping that a move changes (see [`move_unit`]).
type Books<'a> = (&'a mut [Vec<usize>], &'a mut [usize], &'a mut [i64], &'a mut [f64], &'a mut [Option<HashSet<usize>>]);

/// Rounds of moves, at most one out of each grid per round, until a round moves nothing or
/// after `rounds`: a boundary unit that is no articulation point of its grid goes to the
/// neighbouring grid whose border it shares most beyond its own (`gain`, above `min_gain`;
/// ties to the lowest unit and grid), among the moves that keep both grids within the count
/// limits and that `allowed(loads, from, to, weight)` accepts.
fn border_moves(mesh: &Mesh, books: Books<'_>, limits: Limits, rounds: usize, min_gain: f64, allowed: impl Fn(&[f64], usize, usize, f64) -> bool) {
    let (regions, grid_of, counts, loads, cuts) = books;
    let (min, max) = (i64::from(limits.min), i64::from(limits.max));
    for _round in 0..rounds {
        let mut moved = false;
        for r in 0..regions.len() {
            if regions[r].len() <= 1 {
                continue;
            }
            let cut = cuts[r].get_or_insert_with(|| articulation_points(mesh, &regions[r]));
            let mut best: Option<(f64, usize, usize)> = None;
            for &u in &regions[r] {
                if cut.contains(&u) {
                    continue;
                }
                let (c, w) = (mesh.units[u].sites.len() as i64, mesh.units[u].weight);
                if counts[r] - c < min {
                    continue;
                }
                let shared = |g: usize| mesh.adj[u].iter().filter(|&&x| grid_of[x] == g).map(|&x| mesh.border(u, x)).sum::<f64>();
                let own = shared(r);
                for &v in &mesh.adj[u] {
                    let s = grid_of[v];
                    if s == r || counts[s] + c > max || !allowed(loads, r, s, w) {
                        continue;
                    }
                    let gain = shared(s) - own;
                    if gain > min_gain && best.is_none_or(|(g, bu, bs)| gain > g + 1e-9 || ((gain - g).abs() <= 1e-9 && (u, s) < (bu, bs))) {
                        best = Some((gain, u, s));
                    }
                }
            }
            let Some((_, u, s)) = best else { continue };
            move_unit(mesh, u, r, s, regions, grid_of, counts, loads, cuts);
            moved = true;
        }
        if !moved {
            break;
        }
    }
}

/// How many grids `count` enterprises make: as close to the middle of `[min, max]` as the
/// bounds allow; 1 when there are fewer than `min`.
pub fn grid_count(count: u32, limits: Limits) -> usize {
    let target = f64::from(limits.min + limits.max) / 2.0;
    let lo = count.div_ceil(limits.max.max(1));
    let hi = count / limits.min.max(1);
    let ideal = (f64::from(count) / target).round() as u32;
    if lo > hi { lo.max(1) as usize } else { ideal.clamp(lo, hi).max(1) as usize }
}

/// Connected components of `units` in the mesh; `mark` is scratch space.
fn components(mesh: &Mesh, units: &[usize], mark: &mut [u32], tag: u32) -> Vec<Vec<usize>> {
    let inside: HashSet<usize> = units.iter().copied().collect();
    for &u in units {
        mark[u] = u32::MAX;
    }
    let mut comps = Vec::new();
    for &start in units {
        if mark[start] != u32::MAX {
            continue;
        }
        let id = tag + comps.len() as u32;
        let mut comp = vec![start];
        mark[start] = id;
        let mut i = 0;
        while i < comp.len() {
            let u = comp[i];
            i += 1;
            for &v in &mesh.adj[u] {
                if inside.contains(&v) && mark[v] == u32::MAX {
                    mark[v] = id;
                    comp.push(v);
                }
            }
        }
        comp.sort_unstable();
        comps.push(comp);
    }
    comps
}

fn weight(mesh: &Mesh, units: &[usize]) -> f64 {
    units.iter().map(|&u| mesh.units[u].weight).sum()
}

/// Splits `region` into `k` connected parts of equal weight, recursively, across its principal
/// axis (turned by `turn` radians for this first cut).
fn bisect(mesh: &Mesh, region: Vec<usize>, k: usize, turn: f64, out: &mut Vec<Vec<usize>>) {
    if k <= 1 || region.len() <= 1 {
        out.push(region);
        return;
    }
    let k1 = k / 2;
    let total = weight(mesh, &region);
    let goal = total * k1 as f64 / k as f64;

    // Principal axis of the weighted positions.
    let (mut mx, mut my) = (0.0, 0.0);
    for &u in &region {
        let w = mesh.units[u].weight;
        mx += w * mesh.units[u].pos.x;
        my += w * mesh.units[u].pos.y;
    }
    mx /= total;
    my /= total;
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for &u in &region {
        let (w, dx, dy) = (mesh.units[u].weight, mesh.units[u].pos.x - mx, mesh.units[u].pos.y - my);
        sxx += w * dx * dx;
        sxy += w * dx * dy;
        syy += w * dy * dy;
    }
    let angle = 0.5 * (2.0 * sxy).atan2(sxx - syy) + turn;
    let sub = Sub::new(mesh, &region);
    let side = sub.split((mx, my), angle, goal, |i| mesh.units[sub.units[i]].pos);
    let a: Vec<usize> = (0..sub.len()).filter(|&i| side[i] == 0).map(|i| sub.units[i]).collect();
    let b: Vec<usize> = (0..sub.len()).filter(|&i| side[i] == 1).map(|i| sub.units[i]).collect();
    if a.is_empty() || b.is_empty() {
        out.push(region);
        return;
    }
    bisect(mesh, a, k1, 0.0, out);
    bisect(mesh, b, k - k1, 0.0, out);
}

/// Units whose removal disconnects `members` (Tarjan's, on the region as a dense graph).
fn articulation_points(mesh: &Mesh, members: &[usize]) -> HashSet<usize> {
    let sub = Sub::new(mesh, members);
    let cut = sub.articulation_points(&vec![0; sub.len()], 0);
    sub.units.iter().zip(cut).filter(|(_, c)| *c).map(|(&u, _)| u).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_count_aims_at_the_middle_of_the_limits() {
        let l = Limits::default();
        assert_eq!(grid_count(556, l), 19);
        assert_eq!(grid_count(15, l), 1);
        assert_eq!(grid_count(41, l), 2);
        assert_eq!(grid_count(10_492, l), 350);
    }
}
