//! Balance along chains of grids.
//!
//! `even_out` moves a unit between two neighbouring grids only when that brings the two closer,
//! so a grid of 31 enterprises whose neighbours all hold 30 keeps its 31 while a grid of 29
//! three grids away keeps its 29. Here the heaviest grid hands a unit to a neighbour, which
//! hands one of the same weight on, along the shortest chain of grids to a lighter grid: the
//! ends change, the grids between keep their workload. The chain is searched over the
//! hand-overs that can be made now — a boundary unit of that weight that does not hold its
//! grid together, both grids staying within the count limits — so that a grid that cannot pass
//! a unit on is walked around rather than ending the search (a city's grids of 31 may be
//! dozens of grids from its grids of 29). Each hand-over takes the unit whose move lengthens the
//! borders least; a chain is kept only if the sum of squared deviations from the mean workload
//! drops, so the loop ends. Deterministic: grids and chains in a fixed order.

use super::{Books, articulation_points, move_unit};
use crate::Limits;
use crate::cells::Mesh;
use rustc_hash::FxHashSet as HashSet;
use std::collections::VecDeque;

/// How far (in grids) a chain may reach: far enough to cross a city of 20,000 enterprises
/// (chains of 8 grids left two grids of 31 there; `tests/synthetic.rs`).
const MAX_HOPS: usize = 64;
/// Lighter grids tried per heavy grid and weight, nearest first.
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
    // Whether enterprises weigh differently (a manager may weigh one more than another).
    let mixed = mesh.units.windows(2).any(|w| (w[0].weight - w[1].weight).abs() > 1e-9);
    // Grids no chain could lighten since the last change.
    let mut stuck = vec![false; k];
    for _ in 0..4 * k {
        let Some(h) = (0..k).filter(|&g| !stuck[g] && loads[g] > mean + 1e-9).max_by(|&a, &b| loads[a].total_cmp(&loads[b]).then(b.cmp(&a))) else {
            break;
        };
        // The weights of the units the heavy grid could hand on: the grids between pass on a
        // unit of the same weight, so that their workloads stay as they are; then (`None`),
        // where enterprises weigh differently, units of any weight, kept only if the spread
        // drops all the same.
        let mut weights: Vec<f64> = regions[h].iter().map(|&u| mesh.units[u].weight).collect();
        weights.sort_by(f64::total_cmp);
        weights.dedup_by(|a, b| (*a - *b).abs() <= 1e-9);
        let lightest = weights.first().copied().unwrap_or(0.0);
        let choices: Vec<Option<f64>> = weights.into_iter().map(Some).chain(mixed.then_some(None)).collect();
        let of_weight = |u: usize, w: Option<f64>| w.is_none_or(|w| (mesh.units[u].weight - w).abs() <= 1e-9);
        let before = spread(loads);
        let mut helped = false;
        'weights: for w in choices {
            // Breadth-first over the grids from `h`, along the hand-overs a unit of weight `w`
            // can make now, remembering how each grid was reached.
            let mut parent = vec![usize::MAX; k];
            let mut hops = vec![usize::MAX; k];
            hops[h] = 0;
            let mut queue = VecDeque::from([h]);
            let mut lighter: Vec<usize> = Vec::new();
            while let Some(g) = queue.pop_front() {
                if hops[g] >= MAX_HOPS || lighter.len() >= CANDIDATES {
                    break;
                }
                if regions[g].len() <= 1 {
                    continue;
                }
                let cut = cuts[g].get_or_insert_with(|| articulation_points(mesh, &regions[g]));
                for &u in &regions[g] {
                    let c = mesh.units[u].sites.len() as i64;
                    if !of_weight(u, w) || cut.contains(&u) || counts[g] - c < min {
                        continue;
                    }
                    for &v in &mesh.adj[u] {
                        let s = grid_of[v];
                        if s == usize::MAX || hops[s] != usize::MAX || counts[s] + c > max {
                            continue;
                        }
                        hops[s] = hops[g] + 1;
                        parent[s] = g;
                        queue.push_back(s);
                        // Handing on a unit of weight w lowers the spread only if the two
                        // differ by more than w.
                        if loads[s] < loads[h] - w.unwrap_or(lightest) - 1e-9 {
                            lighter.push(s);
                        }
                    }
                }
            }
            // The nearest first, then the lightest.
            lighter.sort_by(|&a, &b| hops[a].cmp(&hops[b]).then(loads[a].total_cmp(&loads[b])).then(a.cmp(&b)));
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
                    let Some(u) = hand_over(mesh, (&regions[a], cut), grid_of, (a, b), w, (counts[a], counts[b]), (min, max)) else {
                        whole = false;
                        break;
                    };
                    move_unit(mesh, u, a, b, regions, grid_of, counts, loads, cuts);
                    done.push((u, a, b));
                }
                if whole && spread(loads) < before - 1e-9 {
                    helped = true;
                    break 'weights;
                }
                for (u, a, b) in done.into_iter().rev() {
                    move_unit(mesh, u, b, a, regions, grid_of, counts, loads, cuts);
                }
            }
        }
        if helped {
            stuck.fill(false);
        } else {
            stuck[h] = true;
        }
    }
}

/// The unit of weight `weight` (any weight: `None`) of grid `a` (its members and their articulation points `cut`)
/// to hand to its neighbour `b`: on their border, not holding `a` together, keeping both within the count
/// limits; the one whose move lengthens the borders least, ties to the lowest.
fn hand_over(
    mesh: &Mesh,
    (members, cut): (&[usize], &HashSet<usize>),
    grid_of: &[usize],
    (a, b): (usize, usize),
    weight: Option<f64>,
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
        if weight.is_some_and(|w| (mesh.units[u].weight - w).abs() > 1e-9) || cut.contains(&u) || count_a - c < min || count_b + c > max || !mesh.adj[u].iter().any(|&x| grid_of[x] == b) {
            continue;
        }
        let cost = shared(u, a) - shared(u, b);
        if best.is_none_or(|(bc, bu)| cost < bc - 1e-9 || ((cost - bc).abs() <= 1e-9 && u < bu)) {
            best = Some((cost, u));
        }
    }
    best.map(|(_, u)| u)
}
