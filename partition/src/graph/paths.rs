//! Balance along chains of grids.
//!
//! `even_out` moves a unit between two neighbouring grids only when that brings the two closer,
//! so a grid of 31 enterprises whose neighbours all hold 30 keeps its 31 while a grid of 29
//! three grids away keeps its 29. Here the heaviest grid hands a unit to a neighbour, which
//! hands one on, along the shortest chain of grids to a lighter grid: the ends change, the
//! grids between keep their workload (with units of equal weight). Each hand-over takes the
//! boundary unit whose move lengthens the borders least, keeps both grids connected and within
//! the count limits; a chain is kept only if the sum of squared deviations from the mean
//! workload drops, so the loop ends. Deterministic: grids and chains in a fixed order.

use super::{Books, articulation_points, move_unit};
use crate::Limits;
use crate::cells::Mesh;
use rustc_hash::FxHashSet as HashSet;
use std::collections::VecDeque;

/// How far (in grids) a chain may reach.
const MAX_HOPS: usize = 8;
/// Lighter grids tried per heavy grid, nearest first.
const CANDIDATES: usize = 8;

pub(super) fn balance_paths(mesh: &Mesh, books: Books<'_>, limits: Limits) {
    let (regions, grid_of, counts, loads, cuts) = books;
    let k = regions.len();
    if k < 2 {
        return;
    }
    let mean = loads.iter().sum::<f64>() / k as f64;
    let spread = |loads: &[f64]| loads.iter().map(|l| (l - mean).powi(2)).sum::<f64>();
    let (min, max) = (i64::from(limits.min), i64::from(limits.max));
    // Grids no chain could lighten since the last change.
    let mut stuck = vec![false; k];
    for _ in 0..4 * k {
        let Some(h) = (0..k).filter(|&g| !stuck[g] && loads[g] > mean + 1e-9).max_by(|&a, &b| loads[a].total_cmp(&loads[b]).then(b.cmp(&a))) else {
            break;
        };
        let neighbours = |regions: &[Vec<usize>], grid_of: &[usize], g: usize| {
            let mut out: Vec<usize> = regions[g].iter().flat_map(|&u| mesh.adj[u].iter()).map(|&v| grid_of[v]).filter(|&s| s != g && s != usize::MAX).collect();
            out.sort_unstable();
            out.dedup();
            out
        };
        let lightest = regions[h].iter().map(|&u| mesh.units[u].weight).fold(f64::INFINITY, f64::min);
        // Breadth-first over the grids from `h`, remembering how each was reached.
        let mut parent = vec![usize::MAX; k];
        let mut hops = vec![usize::MAX; k];
        hops[h] = 0;
        let mut queue = VecDeque::from([h]);
        let mut lighter: Vec<usize> = Vec::new();
        while let Some(g) = queue.pop_front() {
            if hops[g] >= MAX_HOPS || lighter.len() >= CANDIDATES {
                break;
            }
            for s in neighbours(regions, grid_of, g) {
                if hops[s] == usize::MAX {
                    hops[s] = hops[g] + 1;
                    parent[s] = g;
                    queue.push_back(s);
                    // Handing on a unit of weight w lowers the spread only if the two differ by
                    // more than w.
                    if loads[s] < loads[h] - lightest - 1e-9 {
                        lighter.push(s);
                    }
                }
            }
        }
        lighter.sort_by(|&a, &b| hops[a].cmp(&hops[b]).then(loads[a].total_cmp(&loads[b])).then(a.cmp(&b)));
        let before = spread(loads);
        let mut helped = false;
        for &l in lighter.iter().take(CANDIDATES) {
            let mut chain = vec![l];
            while let Some(&g) = chain.last().filter(|&&g| g != h) {
                chain.push(parent[g]);
            }
            chain.reverse();
            let mut done: Vec<(usize, usize, usize)> = Vec::new();
            let mut whole = true;
            for step in chain.windows(2) {
                let (a, b) = (step[0], step[1]);
                let cut = cuts[a].get_or_insert_with(|| articulation_points(mesh, &regions[a]));
                let Some(u) = hand_over(mesh, (&regions[a], cut), grid_of, a, b, (counts[a], counts[b]), (min, max)) else {
                    whole = false;
                    break;
                };
                move_unit(mesh, u, a, b, regions, grid_of, counts, loads, cuts);
                done.push((u, a, b));
            }
            if whole && spread(loads) < before - 1e-9 {
                helped = true;
                break;
            }
            for (u, a, b) in done.into_iter().rev() {
                move_unit(mesh, u, b, a, regions, grid_of, counts, loads, cuts);
            }
        }
        if helped {
            stuck.fill(false);
        } else {
            stuck[h] = true;
        }
    }
}

/// The unit of grid `a` (its members and their articulation points `cut`) to hand to its
/// neighbour `b`: on their border, not holding `a` together, keeping both within the count
/// limits; the one whose move lengthens the borders least, ties to the lowest.
fn hand_over(
    mesh: &Mesh,
    (members, cut): (&[usize], &HashSet<usize>),
    grid_of: &[usize],
    a: usize,
    b: usize,
    (count_a, count_b): (i64, i64),
    (min, max): (i64, i64),
) -> Option<usize> {
    if members.len() <= 1 {
        return None;
    }
    let shared = |u: usize, g: usize| mesh.adj[u].iter().filter(|&&x| grid_of[x] == g).map(|&x| mesh.border(u, x)).sum::<f64>();
    let mut best: Option<(f64, usize)> = None;
    for &u in members {
        let c = mesh.units[u].sites.len() as i64;
        if cut.contains(&u) || count_a - c < min || count_b + c > max || !mesh.adj[u].iter().any(|&x| grid_of[x] == b) {
            continue;
        }
        let cost = shared(u, a) - shared(u, b);
        if best.is_none_or(|(bc, bu)| cost < bc - 1e-9 || ((cost - bc).abs() <= 1e-9 && u < bu)) {
            best = Some((cost, u));
        }
    }
    best.map(|(_, u)| u)
}
