//! A park boundary derived from its enterprises, for data that has none (the city file): the
//! union of a disc of `buffer_m` metres around every enterprise, simplified by `simplify_m`
//! metres without changing its topology.

use crate::Site;
use crate::cells::ops_for;
use crate::project::Projection;
use geo::{Coord, LineString, MultiPoint, MultiPolygon, Point, Polygon, SimplifyVwPreserve};

/// Sides of the polygon standing in for a disc; it circumscribes the disc.
const SIDES: usize = 24;

pub fn derive(sites: &[Site], buffer_m: f64, simplify_m: f64) -> MultiPolygon<f64> {
    let points = MultiPoint(sites.iter().map(|s| Point::new(s.lon, s.lat)).collect());
    let hull_area = geo::ConvexHull::convex_hull(&points);
    let proj = Projection::around(&MultiPolygon(vec![hull_area]));
    // Sites closer than a tenth of the buffer share one disc around their cell's centre,
    // grown by the cell's half-diagonal so that every site stays inside: far fewer discs
    // (and overlaps) for the same shape.
    let cell = buffer_m / 10.0;
    let r = (buffer_m + cell * std::f64::consts::FRAC_1_SQRT_2) / (std::f64::consts::PI / SIDES as f64).cos();
    let mut seen = std::collections::BTreeSet::new();
    for s in sites {
        let c = proj.forward(s.lon, s.lat);
        seen.insert(((c.x / cell).floor() as i64, (c.y / cell).floor() as i64));
    }
    let discs: Vec<MultiPolygon<f64>> = seen
        .into_iter()
        .map(|(i, j)| {
            let c = Coord { x: (i as f64 + 0.5) * cell, y: (j as f64 + 0.5) * cell };
            let mut ring: Vec<Coord<f64>> = (0..SIDES)
                .map(|i| {
                    let a = 2.0 * std::f64::consts::PI * i as f64 / SIDES as f64;
                    Coord { x: c.x + r * a.cos(), y: c.y + r * a.sin() }
                })
                .collect();
            ring.push(ring[0]);
            MultiPolygon(vec![Polygon::new(LineString(ring), vec![])])
        })
        .collect();
    let extent = discs.iter().fold(MultiPolygon(vec![]), |mut acc, d| {
        acc.0.extend(d.0.iter().cloned());
        acc
    });
    let ops = ops_for(&extent);
    let refs: Vec<&MultiPolygon<f64>> = discs.iter().collect();
    let union = ops.union(&refs);
    let simplified = union.simplify_vw_preserve(simplify_m * simplify_m);
    proj.inverse_mp(&simplified)
}
