//! Hand edits of a plan that keep its exact cover: move a corner shared by grids, split a grid
//! along a line, merge two neighbours, rebalance a few grids within their union.
//!
//! Grids are `(code, area)` in WGS84, as stored. Grids *share* a corner when they have a vertex
//! at the same coordinates (the partitioner and these edits write bit-identical shared
//! vertices), so moving a corner moves it in every grid that has it and no gap or overlap can
//! open along their common edges. Every edit is checked before it is returned, and refused
//! with the reason when the result would not tile the park as before: edges that cross, grids
//! that overlap, ground left in no grid, a grid reaching out of the park.
//!
//! After an overlay (split, merge, rebalance) the output's vertices are snapped back onto the
//! input's, so the corners the edited grids share with their neighbours stay bit-identical; a
//! new corner that lands on a neighbour's edge (where a split line meets it) is inserted into
//! that edge too, so that it can be dragged later for both grids.

use crate::cells::ops_for;
use crate::overlay::Ops;
use crate::project::Projection;
use crate::{Limits, Site};
use geo::{Area, BoundingRect, Coord, Intersects, LineString, MultiPolygon, Point, Polygon, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rustc_hash::FxHashMap;

mod check;
mod membership;
mod stitch;

use check::check;
pub use membership::membership;
use stitch::*;

/// Grids of a plan: `(code, area)`, WGS84.
pub type Grids = Vec<(String, MultiPolygon<f64>)>;

/// Vertices closer than this (degrees, about 0.1 mm) are the same corner.
const SAME: f64 = 1e-9;

/// One hand edit of a plan.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Move the corner at `from` to `to` in every grid that has it. A corner on the park
    /// boundary slides along it (`to` is snapped onto the boundary).
    MoveVertex { from: Coord<f64>, to: Coord<f64> },
    /// Cut grid `grid` in two along `line`, which must cross it once from edge to edge. The
    /// larger piece keeps the code, the other gets `new_code`.
    Split { grid: String, line: Vec<Coord<f64>>, new_code: String },
    /// Merge two neighbouring grids; the result keeps the lower code.
    Merge { a: String, b: String },
    /// Redraw one grid's boundary freely: move its corner at `from` to `to` in that grid only.
    /// Only crossing edges are refused; the overlaps and gaps it makes are left for the
    /// validator to report and for [`Edit::Clip`] to settle.
    MoveOwnCorner { grid: String, from: Coord<f64>, to: Coord<f64> },
    /// Makes room for a redrawn grid: every grid it overlaps loses the overlap, and the grid
    /// loses what lies outside the park. Gaps are left for the validator to report.
    Clip { grid: String },
    /// Draws a new grid `new_code`: the ground inside `ring` that lies in the park and in no
    /// grid yet (how a plan that starts empty is filled). Overlaps with existing grids are cut
    /// away, so drawing never breaks the grids already there.
    Draw { ring: Vec<Coord<f64>>, new_code: String },
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("no grid has a corner at ({lon:.6}, {lat:.6})")]
    NoSuchCorner { lon: f64, lat: f64 },
    #[error("there is no grid {0} in this plan")]
    NoSuchGrid(String),
    #[error("the edges of grid {grid} would cross each other")]
    EdgesCross { grid: String },
    #[error("grids {a} and {b} would overlap ({square_metres:.0} m²)")]
    Overlap { a: String, b: String, square_metres: f64 },
    #[error("{square_metres:.0} m² of the park would be in no grid")]
    Gap { square_metres: f64 },
    #[error("grid {grid} would reach {square_metres:.0} m² outside the park")]
    OutsidePark { grid: String, square_metres: f64 },
    #[error("the line does not cut grid {grid} in two: draw it from one edge of the grid across to another")]
    SplitMissed { grid: String },
    #[error("the line cuts grid {grid} into {pieces} pieces: draw it so that it crosses the grid once")]
    SplitTooMany { grid: String, pieces: usize },
    #[error("grid code {0} is already used in this plan")]
    CodeTaken(String),
    #[error("grids {a} and {b} do not share an edge, so they cannot be merged")]
    NotNeighbours { a: String, b: String },
    #[error("choose two different grids to merge")]
    SameGrid,
    #[error("choose at least two neighbouring grids to rebalance")]
    TooFewToRebalance,
    #[error("the grids to rebalance hold no enterprise")]
    NothingToRebalance,
    #[error("the partitioner refused: {0}")]
    Partition(String),
    #[error("clipping would leave nothing of grid {0}")]
    ClipSwallows(String),
    #[error("draw a grid with at least three corners")]
    DrawnTooSmall,
    #[error("the drawn area has no ground that is in the park and in no grid yet")]
    NothingToDraw,
}

/// Applies `edit` to `grids` inside `park`, or says why it cannot be done. The grids come
/// back sorted by code.
pub fn apply(park: &MultiPolygon<f64>, grids: &[(String, MultiPolygon<f64>)], edit: &Edit) -> Result<Grids, EditError> {
    let mut out = match edit {
        Edit::MoveVertex { from, to } => move_vertex(park, grids, *from, *to)?,
        Edit::Split { grid, line, new_code } => split(park, grids, grid, line, new_code)?,
        Edit::Merge { a, b } => merge(park, grids, a, b)?,
        Edit::MoveOwnCorner { grid, from, to } => move_own_corner(grids, grid, *from, *to)?,
        Edit::Clip { grid } => clip(park, grids, grid)?,
        Edit::Draw { ring, new_code } => draw(park, grids, ring, new_code)?,
    };
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn index_of(grids: &[(String, MultiPolygon<f64>)], code: &str) -> Result<usize, EditError> {
    grids.iter().position(|(c, _)| c == code).ok_or_else(|| EditError::NoSuchGrid(code.to_owned()))
}

fn same(a: Coord<f64>, b: Coord<f64>) -> bool {
    (a.x - b.x).abs() <= SAME && (a.y - b.y).abs() <= SAME
}

/// Every ring of `mp`, mutably.
fn for_each_ring(mp: &mut MultiPolygon<f64>, mut f: impl FnMut(&mut LineString<f64>)) {
    for p in mp.0.iter_mut() {
        p.exterior_mut(&mut f);
        p.interiors_mut(|rings| rings.iter_mut().for_each(&mut f));
    }
}

fn rings(mp: &MultiPolygon<f64>) -> impl Iterator<Item = &LineString<f64>> {
    mp.0.iter().flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
}

/// The point of segment a–b nearest to p, and its squared distance.
fn nearest_on_segment(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> (Coord<f64>, f64) {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 { (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
    let q = Coord { x: a.x + t * dx, y: a.y + t * dy };
    (q, (p.x - q.x).powi(2) + (p.y - q.y).powi(2))
}

/// The point of the park's boundary nearest to `p`, and its distance (degrees).
fn nearest_on_boundary(park: &MultiPolygon<f64>, p: Coord<f64>) -> (Coord<f64>, f64) {
    let mut best = (p, f64::INFINITY);
    for ring in rings(park) {
        for seg in ring.0.windows(2) {
            let (q, d2) = nearest_on_segment(p, seg[0], seg[1]);
            if d2 < best.1 {
                best = (q, d2);
            }
        }
    }
    (best.0, best.1.sqrt())
}

fn move_vertex(park: &MultiPolygon<f64>, grids: &[(String, MultiPolygon<f64>)], from: Coord<f64>, to: Coord<f64>) -> Result<Grids, EditError> {
    let (_, off_boundary) = nearest_on_boundary(park, from);
    let to = if off_boundary <= 10.0 * SAME { nearest_on_boundary(park, to).0 } else { to };
    let mut out = grids.to_vec();
    let mut changed = Vec::new();
    for (i, (_, area)) in out.iter_mut().enumerate() {
        let mut hit = false;
        for_each_ring(area, |ring| {
            for c in ring.0.iter_mut() {
                if same(*c, from) {
                    *c = to;
                    hit = true;
                }
            }
        });
        if hit {
            changed.push(i);
        }
    }
    if changed.is_empty() {
        return Err(EditError::NoSuchCorner { lon: from.x, lat: from.y });
    }
    let before: Vec<&MultiPolygon<f64>> = changed.iter().map(|&i| &grids[i].1).collect();
    check(park, &before, &out, &changed)?;
    Ok(out)
}

fn move_own_corner(grids: &[(String, MultiPolygon<f64>)], code: &str, from: Coord<f64>, to: Coord<f64>) -> Result<Grids, EditError> {
    let i = index_of(grids, code)?;
    let mut out = grids.to_vec();
    let mut hit = false;
    for_each_ring(&mut out[i].1, |ring| {
        for c in ring.0.iter_mut() {
            if same(*c, from) {
                *c = to;
                hit = true;
            }
        }
    });
    if !hit {
        return Err(EditError::NoSuchCorner { lon: from.x, lat: from.y });
    }
    // Its own edges must not cross: that is no boundary at all.
    let proj = Projection::around(&grids[i].1);
    let g = proj.forward_mp(&out[i].1);
    let ops = ops_for(&g);
    let clean = ops.union(&[&g]);
    if (clean.unsigned_area() - g.unsigned_area()).abs() > 0.01 || clean.0.len() > g.0.len() {
        return Err(EditError::EdgesCross { grid: code.to_owned() });
    }
    Ok(out)
}

fn clip(park: &MultiPolygon<f64>, grids: &[(String, MultiPolygon<f64>)], code: &str) -> Result<Grids, EditError> {
    let i = index_of(grids, code)?;
    let proj = Projection::around(park);
    let park_m = proj.forward_mp(park);
    let tiny = tiny_area(&park_m);
    let all_m: Vec<MultiPolygon<f64>> = grids.iter().map(|(_, a)| proj.forward_mp(a)).collect();
    let mut extent = park_m.clone();
    all_m.iter().for_each(|g| extent.0.extend(g.0.iter().cloned()));
    let ops = Ops::keeping_vertices(ops_for(&extent).bounds);
    let mine = ops.intersection(&all_m[i], &park_m);
    let mut out = grids.to_vec();
    let mut changed = vec![i];
    let Some(bb) = mine.bounding_rect() else { return Err(EditError::ClipSwallows(code.to_owned())) };
    for (j, other) in all_m.iter().enumerate() {
        if j == i || !other.bounding_rect().is_some_and(|b| b.intersects(&bb)) {
            continue;
        }
        if ops.intersection(other, &mine).unsigned_area() <= tiny {
            continue;
        }
        let rest = ops.difference(other, &mine);
        if rest.unsigned_area() <= tiny {
            return Err(EditError::ClipSwallows(grids[j].0.clone()));
        }
        out[j].1 = proj.inverse_mp(&rest);
        changed.push(j);
    }
    out[i].1 = proj.inverse_mp(&mine);
    stitch(grids, &mut out, &changed);
    Ok(out)
}

fn draw(park: &MultiPolygon<f64>, grids: &[(String, MultiPolygon<f64>)], ring: &[Coord<f64>], new_code: &str) -> Result<Grids, EditError> {
    if grids.iter().any(|(c, _)| c == new_code) {
        return Err(EditError::CodeTaken(new_code.to_owned()));
    }
    let mut corners: Vec<Coord<f64>> = Vec::with_capacity(ring.len() + 1);
    for &c in ring {
        if corners.last().is_none_or(|&p| !same(p, c)) {
            corners.push(c);
        }
    }
    if corners.len() > 1 && same(corners[0], corners[corners.len() - 1]) {
        corners.pop();
    }
    if corners.len() < 3 {
        return Err(EditError::DrawnTooSmall);
    }
    let proj = Projection::around(park);
    let park_m = proj.forward_mp(park);
    let tiny = tiny_area(&park_m);
    // Every drawing is overlaid on the one fixed grid of the park (the partitioner's), so that
    // what one drawing rounded the next one meets exactly (no slivers between grids): the
    // outline is first cut to that grid's bounds.
    let ops = Ops::keeping_vertices(ops_for(&park_m).bounds);
    let ring_m: Vec<Coord<f64>> = corners.iter().map(|c| proj.forward(c.x, c.y)).collect();
    let mut ring_m = clip_to_rect(&ring_m, ops.bounds);
    if ring_m.len() < 3 {
        return Err(EditError::NothingToDraw);
    }
    ring_m.push(ring_m[0]);
    let drawn = MultiPolygon(vec![Polygon::new(LineString(ring_m), vec![])]);
    let all_m: Vec<MultiPolygon<f64>> = grids.iter().map(|(_, a)| proj.forward_mp(a)).collect();
    // The overlay resolves a self-crossing outline into the areas it encloses.
    let mut mine = ops.intersection(&drawn, &park_m);
    for other in &all_m {
        let (Some(a), Some(b)) = (mine.bounding_rect(), other.bounding_rect()) else { continue };
        if a.intersects(&b) {
            mine = ops.difference(&mine, other);
        }
    }
    // Slivers along the neighbours' edges (their corners were rounded by earlier overlays)
    // are rounding, not ground.
    mine.0.retain(|p| p.unsigned_area() > tiny);
    if mine.0.is_empty() {
        return Err(EditError::NothingToDraw);
    }
    // Corners on the park boundary are the boundary's own (the overlay rounded them), so that
    // the grids drawn along it cover the park exactly; then the usual stitching to the grids.
    let mut area = proj.inverse_mp(&mine);
    snap_onto(&mut area, park);
    let mut out = grids.to_vec();
    out.push((new_code.to_owned(), area));
    let i = out.len() - 1;
    stitch(grids, &mut out, &[i]);
    Ok(out)
}

fn split(park: &MultiPolygon<f64>, grids: &[(String, MultiPolygon<f64>)], code: &str, line: &[Coord<f64>], new_code: &str) -> Result<Grids, EditError> {
    let i = index_of(grids, code)?;
    if grids.iter().any(|(c, _)| c == new_code) {
        return Err(EditError::CodeTaken(new_code.to_owned()));
    }
    if line.len() < 2 {
        return Err(EditError::SplitMissed { grid: code.to_owned() });
    }
    let proj = Projection::around(park);
    let area_m = proj.forward_mp(&grids[i].1);
    let line_m: Vec<Coord<f64>> = line.iter().map(|c| proj.forward(c.x, c.y)).collect();
    let mut extent = area_m.clone();
    extent.0.push(Polygon::new(LineString(line_m.clone()), vec![]));
    let ops = exact_ops(&extent);
    let tiny = tiny_area(&proj.forward_mp(park));
    let mut pieces: Vec<Polygon<f64>> = ops.slice(&area_m, &[line_m]).0.into_iter().filter(|p| p.unsigned_area() > tiny).collect();
    match pieces.len() {
        0 | 1 => return Err(EditError::SplitMissed { grid: code.to_owned() }),
        2 => {}
        n => return Err(EditError::SplitTooMany { grid: code.to_owned(), pieces: n }),
    }
    pieces.sort_by(|a, b| b.unsigned_area().total_cmp(&a.unsigned_area()));
    let second = pieces.pop().map(|p| proj.inverse_mp(&MultiPolygon(vec![p]))).unwrap_or_else(|| MultiPolygon(vec![]));
    let first = pieces.pop().map(|p| proj.inverse_mp(&MultiPolygon(vec![p]))).unwrap_or_else(|| MultiPolygon(vec![]));
    let mut out = grids.to_vec();
    out[i].1 = first;
    out.push((new_code.to_owned(), second));
    let changed = vec![i, out.len() - 1];
    stitch(grids, &mut out, &changed);
    check(park, &[&grids[i].1], &out, &changed)?;
    Ok(out)
}

fn merge(park: &MultiPolygon<f64>, grids: &[(String, MultiPolygon<f64>)], a: &str, b: &str) -> Result<Grids, EditError> {
    if a == b {
        return Err(EditError::SameGrid);
    }
    let (i, j) = (index_of(grids, a)?, index_of(grids, b)?);
    let (keep, gone) = if grids[i].0 <= grids[j].0 { (i, j) } else { (j, i) };
    let proj = Projection::around(park);
    let (am, bm) = (proj.forward_mp(&grids[keep].1), proj.forward_mp(&grids[gone].1));
    let mut extent = am.clone();
    extent.0.extend(bm.0.iter().cloned());
    let ops = exact_ops(&extent);
    let union = ops.union(&[&am, &bm]);
    if union.0.len() >= am.0.len() + bm.0.len() {
        return Err(EditError::NotNeighbours { a: a.to_owned(), b: b.to_owned() });
    }
    let mut out = grids.to_vec();
    out[keep].1 = proj.inverse_mp(&union);
    out.remove(gone);
    let keep = if gone < keep { keep - 1 } else { keep };
    stitch(grids, &mut out, &[keep]);
    check(park, &[&grids[i].1, &grids[j].1], &out, &[keep])?;
    Ok(out)
}

/// Redistributes the enterprises of the grids `codes` within their union with the
/// partitioner, into as many grids as the limits ask for. Grids that survive keep their codes;
/// new ones get `fresh_code(n)` for n = 0, 1, …; the other grids do not change.
pub fn rebalance(
    park: &MultiPolygon<f64>,
    grids: &[(String, MultiPolygon<f64>)],
    codes: &[String],
    sites: &[Site],
    limits: Limits,
    fresh_code: impl Fn(usize) -> String,
) -> Result<Grids, EditError> {
    let mut chosen: Vec<usize> = codes.iter().map(|c| index_of(grids, c)).collect::<Result<_, _>>()?;
    chosen.sort_unstable();
    chosen.dedup();
    if chosen.len() < 2 {
        return Err(EditError::TooFewToRebalance);
    }
    let proj = Projection::around(park);
    let parts_m: Vec<MultiPolygon<f64>> = chosen.iter().map(|&i| proj.forward_mp(&grids[i].1)).collect();
    let mut extent = MultiPolygon(vec![]);
    parts_m.iter().for_each(|p| extent.0.extend(p.0.iter().cloned()));
    let ops = exact_ops(&extent);
    let union_m = ops.union(&parts_m.iter().collect::<Vec<_>>());
    if union_m.0.len() > 1 {
        return Err(EditError::NotNeighbours { a: grids[chosen[0]].0.clone(), b: grids[chosen[1]].0.clone() });
    }
    let union = proj.inverse_mp(&union_m);
    let inside: Vec<Site> = {
        let assigned = membership(grids, sites);
        sites.iter().zip(assigned).filter(|(_, g)| g.is_some_and(|g| chosen.contains(&g))).map(|(s, _)| s.clone()).collect()
    };
    if inside.is_empty() {
        return Err(EditError::NothingToRebalance);
    }
    let previous: Vec<(String, MultiPolygon<f64>)> = chosen.iter().map(|&i| grids[i].clone()).collect();
    let result = crate::partition_from(&union, &inside, limits, "", &previous).map_err(|e| EditError::Partition(e.to_string()))?;
    let kept: Vec<&String> = chosen.iter().map(|&i| &grids[i].0).collect();
    let mut out: Grids = grids.iter().enumerate().filter(|(i, _)| !chosen.contains(i)).map(|(_, g)| g.clone()).collect();
    let first_new = out.len();
    let mut fresh = 0;
    for g in result.grids {
        let code = if kept.contains(&&g.code) {
            g.code
        } else {
            loop {
                let c = fresh_code(fresh);
                fresh += 1;
                if !grids.iter().any(|(k, _)| *k == c) {
                    break c;
                }
            }
        };
        out.push((code, g.area));
    }
    let changed: Vec<usize> = (first_new..out.len()).collect();
    stitch(grids, &mut out, &changed);
    let before: Vec<&MultiPolygon<f64>> = chosen.iter().map(|&i| &grids[i].1).collect();
    check(park, &before, &out, &changed)?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Overlays for edits: on a fixed integer grid over `extent` (metres), keeping every vertex.
fn exact_ops(extent: &MultiPolygon<f64>) -> Ops {
    let r = ops_for(extent).bounds;
    Ops::keeping_vertices(r)
}

fn tiny_area(park_m: &MultiPolygon<f64>) -> f64 {
    (park_m.unsigned_area() * 1e-9).max(0.01)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1), (x: x0, y: y0)]])
    }

    /// A 0.02° × 0.01° park cut into two grids along x = 120.01, the cut with a middle corner.
    fn two_grids() -> (MultiPolygon<f64>, Grids) {
        let park = square(120.0, 30.0, 120.02, 30.01);
        let west = MultiPolygon(vec![
            polygon![(x: 120.0, y: 30.0), (x: 120.01, y: 30.0), (x: 120.01, y: 30.005), (x: 120.01, y: 30.01), (x: 120.0, y: 30.01), (x: 120.0, y: 30.0)],
        ]);
        let east = MultiPolygon(vec![
            polygon![(x: 120.01, y: 30.0), (x: 120.02, y: 30.0), (x: 120.02, y: 30.01), (x: 120.01, y: 30.01), (x: 120.01, y: 30.005), (x: 120.01, y: 30.0)],
        ]);
        (park, vec![("G001".into(), west), ("G002".into(), east)])
    }

    fn area_m2(park: &MultiPolygon<f64>, grids: &[(String, MultiPolygon<f64>)]) -> f64 {
        let proj = Projection::around(park);
        grids.iter().map(|(_, a)| proj.forward_mp(a).unsigned_area()).sum()
    }

    #[test]
    fn an_empty_plan_is_filled_by_drawing_grids_and_a_drawing_never_overlaps_what_is_there() {
        let (park, _) = two_grids();
        let c = |x: f64, y: f64| Coord { x, y };
        // The west half, drawn a little beyond the park: cut to the park.
        let first =
            apply(&park, &[], &Edit::Draw { ring: vec![c(119.99, 29.99), c(120.01, 29.99), c(120.01, 30.02), c(119.99, 30.02)], new_code: "G001".into() })
                .unwrap();
        assert_eq!(first.len(), 1);
        let west = area_m2(&park, &first);
        let whole = area_m2(&park, &[("P".into(), park.clone())]);
        assert!((west / whole - 0.5).abs() < 1e-6, "the west half: {west} of {whole} m²");
        // A second drawing over all of the park keeps only the east half: no overlap, no gap.
        let second =
            apply(&park, &first, &Edit::Draw { ring: vec![c(119.99, 29.99), c(120.03, 29.99), c(120.03, 30.02), c(119.99, 30.02)], new_code: "G002".into() })
                .unwrap();
        assert_eq!(second[0], first[0], "the first grid is untouched");
        assert!((area_m2(&park, &second) - whole).abs() < 0.01, "the two grids cover the park exactly");
        let proj = Projection::around(&park);
        let ops = exact_ops(&proj.forward_mp(&park));
        assert!(ops.intersection(&proj.forward_mp(&second[0].1), &proj.forward_mp(&second[1].1)).unsigned_area() < 0.01, "they do not overlap");
        // Nothing left to draw, a grid too small to be one, a code in use: refused.
        let full = Edit::Draw { ring: vec![c(120.0, 30.0), c(120.02, 30.0), c(120.02, 30.01)], new_code: "G003".into() };
        assert_eq!(apply(&park, &second, &full).unwrap_err(), EditError::NothingToDraw);
        assert_eq!(
            apply(&park, &[], &Edit::Draw { ring: vec![c(120.0, 30.0), c(120.01, 30.0), c(120.01, 30.0)], new_code: "G003".into() }).unwrap_err(),
            EditError::DrawnTooSmall
        );
        assert_eq!(
            apply(&park, &first, &Edit::Draw { ring: vec![c(120.0, 30.0), c(120.02, 30.0), c(120.02, 30.01)], new_code: "G001".into() }).unwrap_err(),
            EditError::CodeTaken("G001".into())
        );
    }

    #[test]
    fn moving_a_shared_corner_moves_it_for_both_grids_and_keeps_the_cover() {
        let (park, grids) = two_grids();
        let out = apply(&park, &grids, &Edit::MoveVertex { from: Coord { x: 120.01, y: 30.005 }, to: Coord { x: 120.013, y: 30.005 } }).unwrap();
        let west = &out[0].1;
        assert!(west.intersects(&Point::new(120.0115, 30.005)), "the west grid gained ground");
        assert!(!out[1].1.intersects(&Point::new(120.0115, 30.005)) || out[1].1.intersects(&Point::new(120.013, 30.005)));
        let (a, b) = (area_m2(&park, &grids), area_m2(&park, &out));
        assert!((a - b).abs() < 0.01, "total area {a} → {b}");
    }

    #[test]
    fn a_corner_dragged_across_an_edge_is_refused_with_the_reason() {
        let (park, grids) = two_grids();
        let err = apply(&park, &grids, &Edit::MoveVertex { from: Coord { x: 120.01, y: 30.005 }, to: Coord { x: 120.005, y: 30.02 } }).unwrap_err();
        assert!(matches!(err, EditError::OutsidePark { .. } | EditError::EdgesCross { .. } | EditError::Overlap { .. }), "{err}");
        let err = apply(&park, &grids, &Edit::MoveVertex { from: Coord { x: 120.3, y: 30.005 }, to: Coord { x: 120.01, y: 30.02 } }).unwrap_err();
        assert!(matches!(err, EditError::NoSuchCorner { .. }));
    }

    #[test]
    fn a_corner_on_the_park_boundary_slides_along_it() {
        let (park, grids) = two_grids();
        let out = apply(&park, &grids, &Edit::MoveVertex { from: Coord { x: 120.01, y: 30.0 }, to: Coord { x: 120.012, y: 29.99 } }).unwrap();
        let moved = out[0].1.0[0].exterior().0.iter().any(|c| same(*c, Coord { x: 120.012, y: 30.0 }));
        assert!(moved, "{:?}", out[0].1);
    }

    #[test]
    fn splitting_a_grid_along_a_line_gives_two_grids_that_share_the_cut() {
        let (park, grids) = two_grids();
        let line = vec![Coord { x: 120.015, y: 29.999 }, Coord { x: 120.015, y: 30.011 }];
        let out = apply(&park, &grids, &Edit::Split { grid: "G002".into(), line, new_code: "G003".into() }).unwrap();
        assert_eq!(out.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(), ["G001", "G002", "G003"]);
        let (a, b) = (area_m2(&park, &grids), area_m2(&park, &out));
        assert!((a - b).abs() < 0.01, "total area {a} → {b}");
        // The west grid's corners are untouched and the pieces still have the shared middle corner.
        assert_eq!(out[0].1, grids[0].1);
        let has_mid = |mp: &MultiPolygon<f64>| rings(mp).any(|r| r.0.iter().any(|c| *c == Coord { x: 120.01, y: 30.005 }));
        assert!(has_mid(&out[1].1) || has_mid(&out[2].1));
    }

    #[test]
    fn a_line_that_does_not_cross_the_grid_is_refused() {
        let (park, grids) = two_grids();
        let line = vec![Coord { x: 120.015, y: 29.999 }, Coord { x: 120.015, y: 30.004 }];
        let err = apply(&park, &grids, &Edit::Split { grid: "G002".into(), line, new_code: "G003".into() }).unwrap_err();
        assert_eq!(err, EditError::SplitMissed { grid: "G002".into() });
    }

    #[test]
    fn the_new_corners_of_a_split_land_on_the_neighbours_edge_too() {
        let (park, grids) = two_grids();
        // Across the west grid horizontally: its end on x = 120.01 is a new corner of the east grid.
        let line = vec![Coord { x: 119.99, y: 30.0025 }, Coord { x: 120.0105, y: 30.0025 }];
        let out = apply(&park, &grids, &Edit::Split { grid: "G001".into(), line, new_code: "G003".into() });
        // The line ends inside the east grid, past the shared edge: it cuts the west grid once.
        let out = out.unwrap();
        let east = &out.iter().find(|g| g.0 == "G002").unwrap().1;
        assert!(rings(east).any(|r| r.0.iter().any(|c| same(*c, Coord { x: 120.01, y: 30.0025 }))), "{east:?}");
        // And that corner can now be dragged for all three grids.
        let moved = apply(&park, &out, &Edit::MoveVertex { from: Coord { x: 120.01, y: 30.0025 }, to: Coord { x: 120.012, y: 30.0025 } }).unwrap();
        assert!((area_m2(&park, &moved) - area_m2(&park, &grids)).abs() < 0.01);
    }

    #[test]
    fn merging_two_neighbours_keeps_the_lower_code_and_the_area() {
        let (park, grids) = two_grids();
        let out = apply(&park, &grids, &Edit::Merge { a: "G002".into(), b: "G001".into() }).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].0, "G001");
        assert!((area_m2(&park, &out) - area_m2(&park, &grids)).abs() < 0.01);
    }

    #[test]
    fn grids_that_only_touch_at_a_corner_are_not_merged() {
        let park = square(0.0, 0.0, 0.02, 0.02);
        let grids = vec![
            ("A".to_owned(), square(0.0, 0.0, 0.01, 0.01)),
            ("B".to_owned(), square(0.01, 0.01, 0.02, 0.02)),
            ("C".to_owned(), square(0.01, 0.0, 0.02, 0.01)),
            ("D".to_owned(), square(0.0, 0.01, 0.01, 0.02)),
        ];
        let err = apply(&park, &grids, &Edit::Merge { a: "A".into(), b: "B".into() }).unwrap_err();
        assert_eq!(err, EditError::NotNeighbours { a: "A".into(), b: "B".into() });
    }

    #[test]
    fn a_freely_redrawn_grid_overlaps_its_neighbour_until_clipped_and_then_tiles_again() {
        let (park, grids) = two_grids();
        // The west grid's middle corner only, pushed 0.003° east: it now overlaps the east grid.
        let mid = Coord { x: 120.01, y: 30.005 };
        let redrawn = apply(&park, &grids, &Edit::MoveOwnCorner { grid: "G001".into(), from: mid, to: Coord { x: 120.013, y: 30.005 } }).unwrap();
        assert_eq!(redrawn[1].1, grids[1].1, "the neighbour is untouched");
        let proj = Projection::around(&park);
        let ops = ops_for(&proj.forward_mp(&park));
        let overlap = ops.intersection(&proj.forward_mp(&redrawn[0].1), &proj.forward_mp(&redrawn[1].1)).unsigned_area();
        assert!(overlap > 1000.0, "{overlap} m² of overlap");
        let clipped = apply(&park, &redrawn, &Edit::Clip { grid: "G001".into() }).unwrap();
        let overlap = ops.intersection(&proj.forward_mp(&clipped[0].1), &proj.forward_mp(&clipped[1].1)).unsigned_area();
        assert!(overlap < 0.01, "{overlap} m² left");
        assert!((area_m2(&park, &clipped) - area_m2(&park, &grids)).abs() < 0.01, "no gap either: the whole park is still covered");
        // Both grids still share the moved corner, so it can be dragged for both again.
        let again = apply(&park, &clipped, &Edit::MoveVertex { from: Coord { x: 120.013, y: 30.005 }, to: Coord { x: 120.012, y: 30.005 } }).unwrap();
        assert!((area_m2(&park, &again) - area_m2(&park, &grids)).abs() < 0.01);
    }

    #[test]
    fn clipping_that_would_swallow_a_neighbour_is_refused() {
        let park = square(0.0, 0.0, 0.02, 0.01);
        let grids = vec![("A".to_owned(), square(0.0, 0.0, 0.02, 0.01)), ("B".to_owned(), square(0.01, 0.0, 0.02, 0.01))];
        assert_eq!(apply(&park, &grids, &Edit::Clip { grid: "A".into() }).unwrap_err(), EditError::ClipSwallows("B".into()));
    }

    #[test]
    fn membership_follows_geometry_with_edges_going_to_the_first_grid() {
        let (_, grids) = two_grids();
        let site = |id: &str, lon, lat| Site { id: id.into(), lon, lat, weight: 1.0 };
        let m = membership(&grids, &[site("w", 120.005, 30.005), site("edge", 120.01, 30.002), site("e", 120.015, 30.005), site("out", 121.0, 30.0)]);
        assert_eq!(m, vec![Some(0), Some(0), Some(1), None]);
    }
}
