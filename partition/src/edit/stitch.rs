//! Shared corners kept bit-identical after an overlay (split, merge, rebalance, draw): the
//! output's vertices snapped back onto the input's, the corners it dropped put back, and new
//! corners that land on a neighbour's edge inserted into it.

use super::*;

/// Snaps the vertices of the `changed` grids of `out` onto the vertices of `before` they
/// came from (an overlay rounds them by a few nanodegrees), puts back the corners of `before`
/// that lie on their edges (an overlay drops vertices on straight stretches, which may be a
/// neighbour's corners), and inserts their new vertices into the edges of the unchanged grids
/// they lie on.
pub(super) fn stitch(before: &[(String, MultiPolygon<f64>)], out: &mut Grids, changed: &[usize]) {
    let key = |c: Coord<f64>| ((c.x / SAME).round() as i64, (c.y / SAME).round() as i64);
    let mut known: FxHashMap<(i64, i64), Coord<f64>> = FxHashMap::default();
    for (_, area) in before {
        for ring in rings(area) {
            for &c in &ring.0 {
                known.insert(key(c), c);
            }
        }
    }
    let lookup = |c: Coord<f64>| -> Option<Coord<f64>> {
        let (kx, ky) = key(c);
        (-1..=1).flat_map(|dx| (-1..=1).map(move |dy| (kx + dx, ky + dy))).filter_map(|k| known.get(&k).copied()).find(|&k| same(k, c))
    };
    let mut new_points: Vec<Coord<f64>> = Vec::new();
    for &i in changed {
        for_each_ring(&mut out[i].1, |ring| {
            for c in ring.0.iter_mut() {
                match lookup(*c) {
                    Some(k) => *c = k,
                    None => new_points.push(*c),
                }
            }
        });
        let Some(bb) = out[i].1.bounding_rect().map(grow) else { continue };
        let corners: Vec<Coord<f64>> = known.values().copied().filter(|c| bb.intersects(&Point::from(*c))).collect();
        for_each_ring(&mut out[i].1, |ring| insert_on_edges(ring, &corners));
    }
    // Snapping can repeat a corner or fold an edge back on itself (a, b, a): take those out.
    for &i in changed {
        clean(&mut out[i].1);
    }
    new_points.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    new_points.dedup();
    if new_points.is_empty() {
        return;
    }
    for (i, (_, area)) in out.iter_mut().enumerate() {
        if changed.contains(&i) {
            continue;
        }
        let Some(bb) = area.bounding_rect().map(grow) else { continue };
        let near: Vec<Coord<f64>> = new_points.iter().copied().filter(|p| bb.intersects(&Point::from(*p))).collect();
        if !near.is_empty() {
            for_each_ring(area, |ring| insert_on_edges(ring, &near));
        }
    }
}

/// The part of the polygon `ring` (open) inside `r` (Sutherland–Hodgman: exact for a convex
/// window; a concave outline may keep edges along the window's sides, which lie outside the
/// park and are cut away with it).
pub(super) fn clip_to_rect(ring: &[Coord<f64>], r: Rect<f64>) -> Vec<Coord<f64>> {
    let (min, max) = (r.min(), r.max());
    let sides: [(fn(Coord<f64>, Coord<f64>, Coord<f64>) -> bool, usize, f64); 4] = [
        (|p, min, _| p.x >= min.x, 0, min.x),
        (|p, _, max| p.x <= max.x, 0, max.x),
        (|p, min, _| p.y >= min.y, 1, min.y),
        (|p, _, max| p.y <= max.y, 1, max.y),
    ];
    let mut out: Vec<Coord<f64>> = ring.to_vec();
    for (inside, axis, value) in sides {
        let input = std::mem::take(&mut out);
        if input.is_empty() {
            break;
        }
        for (k, &p) in input.iter().enumerate() {
            let q = input[(k + 1) % input.len()];
            let (pi, qi) = (inside(p, min, max), inside(q, min, max));
            if pi {
                out.push(p);
            }
            if pi != qi {
                let t = if axis == 0 { (value - p.x) / (q.x - p.x) } else { (value - p.y) / (q.y - p.y) };
                out.push(Coord { x: p.x + t * (q.x - p.x), y: p.y + t * (q.y - p.y) });
            }
        }
    }
    out
}

/// Moves every corner of `mp` that is within [`SAME`] of a corner of `onto` onto it.
pub(super) fn snap_onto(mp: &mut MultiPolygon<f64>, onto: &MultiPolygon<f64>) {
    let key = |c: Coord<f64>| ((c.x / SAME).round() as i64, (c.y / SAME).round() as i64);
    let mut known: FxHashMap<(i64, i64), Coord<f64>> = FxHashMap::default();
    for ring in rings(onto) {
        for &c in &ring.0 {
            known.insert(key(c), c);
        }
    }
    for_each_ring(mp, |ring| {
        for c in ring.0.iter_mut() {
            let (kx, ky) = key(*c);
            if let Some(k) = (-1..=1).flat_map(|dx| (-1..=1).map(move |dy| (kx + dx, ky + dy))).filter_map(|k| known.get(&k).copied()).find(|&k| same(k, *c)) {
                *c = k;
            }
        }
    });
    clean(mp);
}

/// Removes repeated corners and zero-width spikes (a, b, a) from every ring of `mp`, and the
/// rings (and polygons) that have fewer than three corners left.
pub(super) fn clean(mp: &mut MultiPolygon<f64>) {
    fn ring_ok(ring: &mut LineString<f64>) -> bool {
        let mut v: Vec<Coord<f64>> = Vec::with_capacity(ring.0.len());
        for &c in &ring.0 {
            if v.last() != Some(&c) {
                v.push(c);
            }
        }
        if v.len() > 1 && v.first() == v.last() {
            v.pop();
        }
        // Spikes, until none is left (also across the ring's start).
        let mut changed = true;
        while changed && v.len() >= 3 {
            changed = false;
            let n = v.len();
            for i in 0..n {
                let (prev, next) = (v[(i + n - 1) % n], v[(i + 1) % n]);
                if prev == next {
                    // Drop the spike's tip and one of its equal neighbours.
                    let (a, b) = (i, (i + 1) % n);
                    let (first, second) = if a > b { (a, b) } else { (b, a) };
                    v.remove(first);
                    v.remove(second);
                    changed = true;
                    break;
                }
                if v[i] == next {
                    v.remove(i);
                    changed = true;
                    break;
                }
            }
        }
        if v.len() < 3 {
            return false;
        }
        v.push(v[0]);
        ring.0 = v;
        true
    }
    mp.0 = std::mem::take(&mut mp.0)
        .into_iter()
        .filter_map(|p| {
            let (mut exterior, interiors) = p.into_inner();
            if !ring_ok(&mut exterior) {
                return None;
            }
            let interiors = interiors.into_iter().filter_map(|mut r| ring_ok(&mut r).then_some(r)).collect();
            Some(Polygon::new(exterior, interiors))
        })
        .collect();
}

/// Inserts into `ring`'s edges the `points` that lie on them (within [`SAME`]) and are not
/// already its vertices, in order along each edge.
pub(super) fn insert_on_edges(ring: &mut LineString<f64>, points: &[Coord<f64>]) {
    let mut pts = Vec::with_capacity(ring.0.len());
    let mut inserted = false;
    for seg in ring.0.windows(2) {
        pts.push(seg[0]);
        let (lo, hi) = (
            Coord { x: seg[0].x.min(seg[1].x) - SAME, y: seg[0].y.min(seg[1].y) - SAME },
            Coord { x: seg[0].x.max(seg[1].x) + SAME, y: seg[0].y.max(seg[1].y) + SAME },
        );
        let mut on: Vec<(f64, Coord<f64>)> = points
            .iter()
            .filter(|p| p.x >= lo.x && p.x <= hi.x && p.y >= lo.y && p.y <= hi.y)
            .filter(|p| !same(**p, seg[0]) && !same(**p, seg[1]))
            .filter_map(|&p| {
                let (_, d2) = nearest_on_segment(p, seg[0], seg[1]);
                (d2.sqrt() <= SAME).then(|| ((p.x - seg[0].x).powi(2) + (p.y - seg[0].y).powi(2), p))
            })
            .collect();
        if on.is_empty() {
            continue;
        }
        on.sort_by(|a, b| a.0.total_cmp(&b.0));
        inserted = true;
        pts.extend(on.into_iter().map(|(_, p)| p));
    }
    if inserted {
        if let Some(&last) = ring.0.last() {
            pts.push(last);
        }
        ring.0 = pts;
    }
}

pub(super) fn grow(r: Rect<f64>) -> Rect<f64> {
    let d = 10.0 * SAME;
    Rect::new(Coord { x: r.min().x - d, y: r.min().y - d }, Coord { x: r.max().x + d, y: r.max().y + d })
}
