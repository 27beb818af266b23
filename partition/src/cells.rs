//! Units (enterprises grouped by coordinate), their Voronoi cells, and which units are
//! neighbours inside the park.

use crate::overlay::Ops;
use crate::project::Projection;
use crate::{PartitionError, Site};
use geo::{BoundingRect, Contains, Coord, Intersects, LineString, MultiPolygon, Point, Polygon, Rect};
use spade::handles::FixedVertexHandle;
use spade::{DelaunayTriangulation, Point2, Triangulation};
use std::collections::HashMap;

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

/// Whether some stretch of segment a–b lies inside `poly`: the segment is cut where it
/// crosses the polygon's rings, and the middle of each stretch is tested.
fn segment_enters(poly: &Polygon<f64>, a: Coord<f64>, b: Coord<f64>) -> bool {
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
    ts.windows(2).any(|w| w[1] - w[0] > 1e-9 && poly.contains(&Point::new(a.x + (w[0] + w[1]) / 2.0 * dx, a.y + (w[0] + w[1]) / 2.0 * dy)))
}

const SAMPLES: [f64; 15] = [0.5, 0.25, 0.75, 0.125, 0.375, 0.625, 0.875, 0.0625, 0.1875, 0.3125, 0.4375, 0.5625, 0.6875, 0.8125, 0.9375];

pub fn build(park: &MultiPolygon<f64>, sites: &[Site], proj: &Projection) -> Result<Mesh, PartitionError> {
    let ops = ops_for(park);
    let pieces = ops.union(&[park]);
    let mut index: HashMap<(u64, u64), usize> = HashMap::new();
    let mut units: Vec<Unit> = Vec::new();
    for (i, s) in sites.iter().enumerate() {
        let pos = proj.forward(s.lon, s.lat);
        let p = Point::from(pos);
        if !park.intersects(&p) {
            return Err(PartitionError::OutsideBoundary { id: s.id.clone(), lon: s.lon, lat: s.lat });
        }
        let key = (s.lon.to_bits(), s.lat.to_bits());
        let u = *index.entry(key).or_insert_with(|| {
            let piece = pieces.0.iter().position(|poly| poly.intersects(&p)).unwrap_or(0);
            units.push(Unit { pos, weight: 0.0, sites: Vec::new(), cell: Polygon::new(LineString(vec![]), vec![]), piece });
            units.len() - 1
        });
        units[u].weight += s.weight;
        units[u].sites.push(i);
    }

    // A frame far outside keeps every real cell bounded.
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for u in &units {
        x0 = x0.min(u.pos.x);
        y0 = y0.min(u.pos.y);
        x1 = x1.max(u.pos.x);
        y1 = y1.max(u.pos.y);
    }
    if let Some(r) = geo::BoundingRect::bounding_rect(park) {
        x0 = x0.min(r.min().x);
        y0 = y0.min(r.min().y);
        x1 = x1.max(r.max().x);
        y1 = y1.max(r.max().y);
    }
    let span = (x1 - x0).max(y1 - y0).max(1.0) * 10.0;
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let mut dt: DelaunayTriangulation<Point2<f64>> = DelaunayTriangulation::new();
    for (dx, dy) in [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)] {
        let _ = dt.insert(Point2::new(cx + dx * span, cy + dy * span));
    }
    let mut handle_of: Vec<FixedVertexHandle> = Vec::with_capacity(units.len());
    let mut unit_of: HashMap<FixedVertexHandle, usize> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
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

    for (i, h) in handle_of.iter().enumerate() {
        let v = dt.vertex(*h);
        let ring: Vec<Coord<f64>> = v
            .out_edges()
            .filter_map(|e| e.face().as_inner().map(|f| f.circumcenter()))
            .map(|c| Coord { x: c.x, y: c.y })
            .collect();
        let mut ring = clip_to_rect(&ring, ops.bounds);
        if let Some(first) = ring.first().copied() {
            ring.push(first);
        }
        units[i].cell = Polygon::new(LineString(ring), vec![]);
    }

    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); units.len()];
    for e in dt.undirected_edges() {
        let [a, b] = e.vertices().map(|v| v.fix());
        let (Some(&ua), Some(&ub)) = (unit_of.get(&a), unit_of.get(&b)) else { continue };
        let d = e.as_directed();
        let (Some(f1), Some(f2)) = (d.face().as_inner(), d.rev().face().as_inner()) else { continue };
        let (c1, c2) = (f1.circumcenter(), f2.circumcenter());
        if (c1.x - c2.x).abs() + (c1.y - c2.y).abs() < 1e-9 {
            continue; // four co-circular sites: the cells meet in a point only
        }
        // Neighbours inside the park: same piece, and some stretch of the shared Voronoi edge
        // lies inside that piece.
        let piece = units[ua].piece;
        if units[ub].piece != piece {
            continue;
        }
        let a = Coord { x: c1.x, y: c1.y };
        let b = Coord { x: c2.x, y: c2.y };
        let inside = SAMPLES.iter().any(|t| pieces.0[piece].contains(&Point::new(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y))))
            || segment_enters(&pieces.0[piece], a, b);
        if inside {
            adj[ua].push(ub);
            adj[ub].push(ua);
        }
    }
    for a in &mut adj {
        a.sort_unstable();
        a.dedup();
    }
    Ok(Mesh { units, adj, pieces, ops })
}
