//! Units (enterprises grouped by coordinate), their Voronoi cells, and which units are
//! neighbours inside the park.

use crate::overlay::Ops;
use crate::project::Projection;
use crate::{PartitionError, Site};
use geo::{BoundingRect, Coord, Intersects, LineString, MultiPolygon, Point, Polygon, Rect};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use spade::handles::FixedVertexHandle;
use spade::{DelaunayTriangulation, Point2, Triangulation};

/// Enterprises that share one coordinate: never separated.
pub struct Unit {
    /// Position in the metric plane.
    pub pos: Coord<f64>,
    pub weight: f64,
    /// Indices into the input sites.
    pub sites: Vec<usize>,
    /// The unit's Voronoi cell, cut to the park's bounding box but not to the park: the cells
    /// tile that box exactly.
    pub cell: Polygon<f64>,
    /// Which piece of the park the unit lies in.
    pub piece: usize,
}

pub struct Mesh {
    pub units: Vec<Unit>,
    /// Neighbours whose cells share an edge inside the park, sorted.
    pub adj: Vec<Vec<usize>>,
    /// Length (metres) of the shared Voronoi edge of two neighbours inside the park, keyed by
    /// the pair in increasing order: how much border two grids save when the pair is in one.
    pub edge_len: HashMap<(usize, usize), f64>,
    /// The park as pieces that touch nowhere or in single points only: a grid never spans two.
    pub pieces: MultiPolygon<f64>,
    pub ops: Ops,
}

/// The fixed-grid boolean operations for a park (in metres); `quality` uses the same.
pub fn ops_for(park: &MultiPolygon<f64>) -> Ops {
    let r = park.bounding_rect().unwrap_or(Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 1.0, y: 1.0 }));
    let pad = (r.width().max(r.height()) * 0.01).max(1.0);
    Ops::new(Rect::new(Coord { x: r.min().x - pad, y: r.min().y - pad }, Coord { x: r.max().x + pad, y: r.max().y + pad }))
}

/// Where segment a–b crosses the line `coord = value` (x when `vertical`), computed from
/// the endpoints in a fixed order so that two cells sharing the segment get the same point.
fn cross(a: Coord<f64>, b: Coord<f64>, vertical: bool, value: f64) -> Coord<f64> {
    let (p, q) = if (a.x, a.y) <= (b.x, b.y) { (a, b) } else { (b, a) };
    if vertical {
        let t = (value - p.x) / (q.x - p.x);
        Coord { x: value, y: p.y + t * (q.y - p.y) }
    } else {
        let t = (value - p.y) / (q.y - p.y);
        Coord { x: p.x + t * (q.x - p.x), y: value }
    }
}

/// Sutherland–Hodgman clipping of a convex ring to a rectangle.
fn clip_to_rect(ring: &[Coord<f64>], r: Rect<f64>) -> Vec<Coord<f64>> {
    let mut pts: Vec<Coord<f64>> = ring.to_vec();
    let edges: [(bool, f64, bool); 4] = [(true, r.min().x, true), (true, r.max().x, false), (false, r.min().y, true), (false, r.max().y, false)];
    for (vertical, value, keep_greater) in edges {
        let inside = |c: &Coord<f64>| {
            let v = if vertical { c.x } else { c.y };
            if keep_greater { v >= value } else { v <= value }
        };
        let mut out = Vec::with_capacity(pts.len() + 2);
        for i in 0..pts.len() {
            let (cur, prev) = (pts[i], pts[(i + pts.len() - 1) % pts.len()]);
            match (inside(&prev), inside(&cur)) {
                (true, true) => out.push(cur),
                (true, false) => out.push(cross(prev, cur, vertical, value)),
                (false, true) => {
                    out.push(cross(prev, cur, vertical, value));
                    out.push(cur);
                }
                (false, false) => {}
            }
        }
        pts = out;
        if pts.is_empty() {
            break;
        }
    }
    pts
}

/// The share of segment a–b that lies inside `poly`: the segment is cut where it crosses the
/// polygon's rings, and the middle of each stretch is tested.
fn inside_share(poly: &Polygon<f64>, locator: &Locator, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let mut ts = vec![0.0, 1.0];
    for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
        for w in ring.0.windows(2) {
            let (p, q) = (w[0], w[1]);
            let (ex, ey) = (q.x - p.x, q.y - p.y);
            let den = dx * ey - dy * ex;
            if den.abs() < 1e-18 {
                continue;
            }
            let t = ((p.x - a.x) * ey - (p.y - a.y) * ex) / den;
            let u = ((p.x - a.x) * dy - (p.y - a.y) * dx) / den;
            if (0.0..=1.0).contains(&t) && (0.0..=1.0).contains(&u) {
                ts.push(t);
            }
        }
    }
    ts.sort_by(f64::total_cmp);
    ts.windows(2)
        .filter(|w| w[1] - w[0] > 1e-9 && locator.contains(Coord { x: a.x + (w[0] + w[1]) / 2.0 * dx, y: a.y + (w[0] + w[1]) / 2.0 * dy }))
        .map(|w| w[1] - w[0])
        .sum()
}

/// Point-in-polygon tests against one polygon, many times: its edges are bucketed into
/// horizontal bands so that a test looks only at the edges of its point's band (geo's test
/// walks every edge and recomputes the bounding box each time).
pub struct Locator {
    y0: f64,
    band: f64,
    /// Per band, the edges that span some of its heights.
    bands: Vec<Vec<(Coord<f64>, Coord<f64>)>>,
    bbox: Option<Rect<f64>>,
}

impl Locator {
    pub fn new(poly: &Polygon<f64>) -> Locator {
        let edges: Vec<(Coord<f64>, Coord<f64>)> =
            std::iter::once(poly.exterior()).chain(poly.interiors()).flat_map(|r| r.0.windows(2).map(|w| (w[0], w[1]))).collect();
        let bbox = poly.bounding_rect();
        let (y0, y1) = bbox.map_or((0.0, 1.0), |r| (r.min().y, r.max().y));
        let n = ((edges.len() as f64).sqrt().ceil() as usize).clamp(1, 4096);
        let band = ((y1 - y0) / n as f64).max(1e-9);
        let mut bands = vec![Vec::new(); n];
        for (a, b) in edges {
            let lo = (((a.y.min(b.y) - y0) / band).floor().max(0.0) as usize).min(n - 1);
            let hi = (((a.y.max(b.y) - y0) / band).floor().max(0.0) as usize).min(n - 1);
            for k in lo..=hi {
                bands[k].push((a, b));
            }
        }
        Locator { y0, band, bands, bbox }
    }

    /// Whether `p` lies inside (crossing parity; a point exactly on an edge may go either way).
    pub fn contains(&self, p: Coord<f64>) -> bool {
        if !self.bbox.is_some_and(|r| r.intersects(&p)) {
            return false;
        }
        let k = (((p.y - self.y0) / self.band).floor().max(0.0) as usize).min(self.bands.len() - 1);
        let mut inside = false;
        for &(a, b) in &self.bands[k] {
            if (a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x) {
                inside = !inside;
            }
        }
        inside
    }
}

const SAMPLES: [f64; 15] = [0.5, 0.25, 0.75, 0.125, 0.375, 0.625, 0.875, 0.0625, 0.1875, 0.3125, 0.4375, 0.5625, 0.6875, 0.8125, 0.9375];

/// The park cut by the barrier lines (in metres) into pieces that tile it exactly.
fn slice(park: &MultiPolygon<f64>, barriers: &[LineString<f64>], ops: &Ops) -> MultiPolygon<f64> {
    let pieces = ops.union(&[park]);
    let clipped: Vec<Vec<Coord<f64>>> =
        barriers.iter().flat_map(|l| l.lines()).filter_map(|seg| clip_segment(seg.start, seg.end, ops.bounds)).map(|(a, b)| vec![a, b]).collect();
    if clipped.is_empty() {
        return pieces;
    }
    ops.slice(&pieces, &clipped)
}

/// Liang–Barsky: the part of segment a–b inside `r`.
fn clip_segment(a: Coord<f64>, b: Coord<f64>, r: Rect<f64>) -> Option<(Coord<f64>, Coord<f64>)> {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, a.x - r.min().x), (dx, r.max().x - a.x), (-dy, a.y - r.min().y), (dy, r.max().y - a.y)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 < t1 && (dx != 0.0 || dy != 0.0)).then(|| (Coord { x: a.x + t0 * dx, y: a.y + t0 * dy }, Coord { x: a.x + t1 * dx, y: a.y + t1 * dy }))
}

/// Builds the units, their cells and their adjacency. `barriers` (metres) cut the park into
/// pieces (no grid spans two); a barrier that cuts nothing off still separates the units on
/// its two sides wherever the piece's units stay connected without crossing it.
pub fn build(park: &MultiPolygon<f64>, sites: &[Site], proj: &Projection, barriers: &[LineString<f64>]) -> Result<Mesh, PartitionError> {
    let ops = ops_for(park);
    let pieces = slice(park, barriers, &ops);
    let locators: Vec<Locator> = pieces.0.iter().map(Locator::new).collect();
    let mut index: HashMap<(u64, u64), usize> = HashMap::default();
    let mut units: Vec<Unit> = Vec::new();
    for (i, s) in sites.iter().enumerate() {
        let pos = proj.forward(s.lon, s.lat);
        let p = Point::from(pos);
        let key = (s.lon.to_bits(), s.lat.to_bits());
        if let Some(&u) = index.get(&key) {
            units[u].weight += s.weight;
            units[u].sites.push(i);
            continue;
        }
        // The pieces tile the park: a site in none of them is outside, or on an edge (a
        // barrier, the boundary), where it joins the nearest piece.
        let piece = match locators.iter().position(|l| l.contains(pos)) {
            Some(k) => k,
            None if park.intersects(&p) => nearest_piece(&pieces, p),
            None => return Err(PartitionError::OutsideBoundary { id: s.id.clone(), lon: s.lon, lat: s.lat }),
        };
        index.insert(key, units.len());
        units.push(Unit { pos, weight: s.weight, sites: vec![i], cell: Polygon::new(LineString(vec![]), vec![]), piece });
    }

    // Each piece gets its own Voronoi diagram, so that the cells of a piece's units cover the
    // whole piece (a unit across a barrier never claims ground on this side).
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); units.len()];
    let mut edge_len: HashMap<(usize, usize), f64> = HashMap::default();
    let mut by_piece: Vec<Vec<usize>> = vec![Vec::new(); pieces.0.len()];
    for (i, u) in units.iter().enumerate() {
        by_piece[u.piece].push(i);
    }
    for (piece, members) in by_piece.iter().enumerate() {
        if !members.is_empty() {
            voronoi(&mut units, members, (&pieces.0[piece], &locators[piece]), &ops, sites, (&mut adj, &mut edge_len))?;
        }
    }
    for a in &mut adj {
        a.sort_unstable();
        a.dedup();
    }
    if !barriers.is_empty() {
        follow_dangling_barriers(&units, &mut adj, barriers, &by_piece);
    }
    Ok(Mesh { units, adj, edge_len, pieces, ops })
}

fn nearest_piece(pieces: &MultiPolygon<f64>, p: Point<f64>) -> usize {
    use geo::{Distance, Euclidean};
    (0..pieces.0.len()).min_by(|&a, &b| Euclidean.distance(&pieces.0[a], &p).total_cmp(&Euclidean.distance(&pieces.0[b], &p))).unwrap_or(0)
}

/// Voronoi cells and adjacency of the units `members`, all in `piece`.
fn voronoi(
    units: &mut [Unit],
    members: &[usize],
    (piece, locator): (&Polygon<f64>, &Locator),
    ops: &Ops,
    sites: &[Site],
    (adj, edge_len): (&mut [Vec<usize>], &mut HashMap<(usize, usize), f64>),
) -> Result<(), PartitionError> {
    // A frame far outside keeps every real cell bounded.
    let r = ops.bounds;
    let span = r.width().max(r.height()).max(1.0) * 10.0;
    let (cx, cy) = (r.center().x, r.center().y);
    let mut dt: DelaunayTriangulation<Point2<f64>> = DelaunayTriangulation::new();
    for (dx, dy) in [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)] {
        let _ = dt.insert(Point2::new(cx + dx * span, cy + dy * span));
    }
    let mut handle_of: Vec<FixedVertexHandle> = Vec::with_capacity(members.len());
    let mut unit_of: HashMap<FixedVertexHandle, usize> = HashMap::default();
    for &i in members {
        let u = &units[i];
        // Distinct coordinates give distinct points; a failed insert would be a NaN, which
        // the caller's validation excludes.
        let h = dt.insert(Point2::new(u.pos.x, u.pos.y)).map_err(|_| PartitionError::OutsideBoundary {
            id: sites[u.sites[0]].id.clone(),
            lon: sites[u.sites[0]].lon,
            lat: sites[u.sites[0]].lat,
        })?;
        handle_of.push(h);
        unit_of.insert(h, i);
    }

    for (k, h) in handle_of.iter().enumerate() {
        let v = dt.vertex(*h);
        let ring: Vec<Coord<f64>> = v.out_edges().filter_map(|e| e.face().as_inner().map(|f| f.circumcenter())).map(|c| Coord { x: c.x, y: c.y }).collect();
        let mut ring = clip_to_rect(&ring, ops.bounds);
        if let Some(first) = ring.first().copied() {
            ring.push(first);
        }
        units[members[k]].cell = Polygon::new(LineString(ring), vec![]);
    }

    for e in dt.undirected_edges() {
        let [a, b] = e.vertices().map(|v| v.fix());
        let (Some(&ua), Some(&ub)) = (unit_of.get(&a), unit_of.get(&b)) else {
            continue;
        };
        let d = e.as_directed();
        let (Some(f1), Some(f2)) = (d.face().as_inner(), d.rev().face().as_inner()) else {
            continue;
        };
        let (c1, c2) = (f1.circumcenter(), f2.circumcenter());
        if (c1.x - c2.x).abs() + (c1.y - c2.y).abs() < 1e-9 {
            continue; // four co-circular sites: the cells meet in a point only
        }
        // Neighbours inside the park: some stretch of the shared Voronoi edge lies inside the
        // piece.
        let a = Coord { x: c1.x, y: c1.y };
        let b = Coord { x: c2.x, y: c2.y };
        // The stretch inside the piece: the whole edge when its ends and every sample lie
        // inside, else cut where it crosses the piece's boundary (an edge reaching far out of
        // the park can have a few metres inside: sampling it would count far more).
        let in_samples = SAMPLES.iter().filter(|t| locator.contains(Coord { x: a.x + *t * (b.x - a.x), y: a.y + *t * (b.y - a.y) })).count();
        let share = if in_samples == SAMPLES.len() && locator.contains(a) && locator.contains(b) {
            1.0
        } else {
            // A crossing exactly through a corner of the boundary can be missed; where samples
            // lie inside, the neighbours stay neighbours with the samples' estimate.
            let exact = inside_share(piece, locator, a, b);
            if exact > 0.0 { exact } else { in_samples as f64 / SAMPLES.len() as f64 }
        };
        if share > 0.0 {
            adj[ua].push(ub);
            adj[ub].push(ua);
            edge_len.insert((ua.min(ub), ua.max(ub)), (b.x - a.x).hypot(b.y - a.y) * share);
        }
    }
    Ok(())
}

/// Drops the adjacencies that cross a barrier line, piece by piece, as long as the piece's
/// units stay connected; where dropping them would cut a piece's units apart, that piece
/// keeps its adjacencies (the barrier is then not followed there).
fn follow_dangling_barriers(units: &[Unit], adj: &mut [Vec<usize>], barriers: &[LineString<f64>], by_piece: &[Vec<usize>]) {
    use geo::Line;
    let segments: Vec<(Line<f64>, Rect<f64>)> = barriers.iter().flat_map(|l| l.lines()).map(|s| (s, s.bounding_rect())).collect();
    let crosses = |a: Coord<f64>, b: Coord<f64>| {
        let l = Line::new(a, b);
        let bb = l.bounding_rect();
        segments.iter().any(|(s, sb)| sb.intersects(&bb) && s.intersects(&l))
    };
    for members in by_piece {
        if members.len() < 2 {
            continue;
        }
        let before: Vec<Vec<usize>> = members.iter().map(|&u| adj[u].clone()).collect();
        let parts = components(adj, members);
        let mut dropped = false;
        for &u in members {
            let pos = units[u].pos;
            let keep: Vec<usize> = adj[u].iter().copied().filter(|&v| !crosses(pos, units[v].pos)).collect();
            dropped |= keep.len() != adj[u].len();
            adj[u] = keep;
        }
        if dropped && components(adj, members) > parts {
            for (k, &u) in members.iter().enumerate() {
                adj[u] = before[k].clone();
            }
        }
    }
}

impl Mesh {
    /// The length of the border between neighbours `u` and `v` (0 when they are not).
    pub fn border(&self, u: usize, v: usize) -> f64 {
        self.edge_len.get(&(u.min(v), u.max(v))).copied().unwrap_or(0.0)
    }
}

/// How many components `members` form in `adj`.
fn components(adj: &[Vec<usize>], members: &[usize]) -> usize {
    let mut seen = HashSet::with_capacity_and_hasher(members.len(), Default::default());
    let mut count = 0;
    for &m in members {
        if !seen.insert(m) {
            continue;
        }
        count += 1;
        let mut stack = vec![m];
        while let Some(u) = stack.pop() {
            for &v in &adj[u] {
                if seen.insert(v) {
                    stack.push(v);
                }
            }
        }
    }
    count
}
