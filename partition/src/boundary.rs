//! A park boundary derived from its enterprises, for data that has none (the city file): the
//! area within `buffer_m` metres of some enterprise, simplified by `simplify_m` metres without
//! changing its topology.
//!
//! The distance to the nearest enterprise is sampled on a square lattice (a tenth of the
//! buffer apart) and the `buffer_m` level line is traced by marching squares (the `contour`
//! crate): linear in the lattice size, where a union of thousands of overlapping discs is not.

use crate::Site;
use crate::project::Projection;
use geo::{Coord, MapCoords, MultiPoint, MultiPolygon, Point, SimplifyVwPreserve};

/// The lattice never exceeds this many nodes; for a larger extent the spacing grows (up to
/// half the buffer, which still keeps every enterprise well inside).
const MAX_NODES: usize = 4_000_000;

pub fn derive(sites: &[Site], buffer_m: f64, simplify_m: f64) -> MultiPolygon<f64> {
    let points = MultiPoint(sites.iter().map(|s| Point::new(s.lon, s.lat)).collect());
    let hull = geo::ConvexHull::convex_hull(&points);
    let proj = Projection::around(&MultiPolygon(vec![hull]));
    let mut pos: Vec<Coord<f64>> = sites.iter().map(|s| proj.forward(s.lon, s.lat)).collect();
    pos.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    pos.dedup();
    let Some(first) = pos.first().copied() else { return MultiPolygon(vec![]) };
    let (mut x0, mut y0, mut x1, mut y1) = (first.x, first.y, first.x, first.y);
    for c in &pos {
        (x0, y0, x1, y1) = (x0.min(c.x), y0.min(c.y), x1.max(c.x), y1.max(c.y));
    }
    let buffer = buffer_m.max(1e-6);
    // Two spacings of margin around the buffer keep the level line off the lattice's edge.
    let mut h = buffer / 10.0;
    let size = |h: f64| (((x1 - x0 + 2.0 * buffer) / h).ceil() as usize + 5, ((y1 - y0 + 2.0 * buffer) / h).ceil() as usize + 5);
    while size(h).0 * size(h).1 > MAX_NODES && h < buffer / 2.0 {
        h *= 1.25;
    }
    let (nx, ny) = size(h);
    let (ox, oy) = (x0 - buffer - 2.0 * h, y0 - buffer - 2.0 * h);
    // Node (i, j) sits at (ox + i·h, oy + j·h); its value is how far inside the buffer it is.
    let mut value = vec![-buffer; nx * ny];
    let reach = (buffer / h).ceil() as i64 + 1;
    for c in &pos {
        let (ci, cj) = (((c.x - ox) / h).round() as i64, ((c.y - oy) / h).round() as i64);
        for j in (cj - reach).max(0)..=(cj + reach).min(ny as i64 - 1) {
            for i in (ci - reach).max(0)..=(ci + reach).min(nx as i64 - 1) {
                let (dx, dy) = (ox + i as f64 * h - c.x, oy + j as f64 * h - c.y);
                let v = buffer - (dx * dx + dy * dy).sqrt();
                let slot = &mut value[j as usize * nx + i as usize];
                if v > *slot {
                    *slot = v;
                }
            }
        }
    }
    let traced = contour::ContourBuilder::new(nx, ny, true)
        .contours(&value, &[0.0])
        .ok()
        .and_then(|mut c| c.pop())
        .map(|c| c.into_inner().0)
        .unwrap_or(MultiPolygon(vec![]));
    // The contour's coordinates (node (i, j) at (i + ½, j + ½), as in d3-contour) to metres.
    let area = traced.map_coords(|c| Coord { x: ox + (c.x - 0.5) * h, y: oy + (c.y - 0.5) * h });
    let simplified = area.simplify_vw_preserve(simplify_m * simplify_m);
    proj.inverse_mp(&simplified)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, Centroid};

    #[test]
    fn one_enterprise_gets_a_disc_of_the_buffer_centred_on_it() {
        let site = Site { id: "a".into(), lon: 121.2, lat: 24.9, weight: 1.0 };
        let area = derive(std::slice::from_ref(&site), 500.0, 0.0);
        let proj = Projection::around(&area);
        let m = proj.forward_mp(&area);
        let disc = std::f64::consts::PI * 500.0 * 500.0;
        assert!((m.unsigned_area() - disc).abs() / disc < 0.01, "area {} m² against {disc}", m.unsigned_area());
        let (c, s) = (m.centroid().expect("a centroid"), proj.forward(site.lon, site.lat));
        assert!((c.x() - s.x).hypot(c.y() - s.y) < 1.0, "centre {c:?} is off the enterprise {s:?}");
    }
}
