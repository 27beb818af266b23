//! Seeded synthetic parks for tests and benchmarks: shapes the real data lacks (concave,
//! in two parts) at any size. Deterministic; no IO.

use crate::Site;

const LON0: f64 = 121.2;
const LAT0: f64 = 24.9;
const DEGREES_PER_METRE: f64 = 1.0 / 111_320.0;

/// The WGS84 point `x` metres east and `y` metres north of the synthetic parks' origin.
pub fn at(x: f64, y: f64) -> geo::Coord<f64> {
    geo::coord! { x: LON0 + x * DEGREES_PER_METRE / LAT0.to_radians().cos(), y: LAT0 + y * DEGREES_PER_METRE }
}

/// The inverse of [`at`]: metres east and north of the origin.
pub fn metres(c: geo::Coord<f64>) -> (f64, f64) {
    ((c.x - LON0) / DEGREES_PER_METRE * LAT0.to_radians().cos(), (c.y - LAT0) / DEGREES_PER_METRE)
}

/// A deterministic pseudo-random stream (64-bit LCG, Knuth's constants).
pub struct Lcg(u64);

impl Lcg {
    pub fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A concave park ("C" shape, about 9 km across, 82 km²) around 121.2°E 24.9°N, or two
/// separate parts; 60% of the enterprises in clusters, the rest spread out.
pub fn synthetic(n: usize, seed: u64, two_parts: bool) -> (geo::MultiPolygon<f64>, Vec<Site>) {
    use geo::{Intersects, polygon};
    let m = at;
    let c_shape = polygon![
        m(0.0, 0.0),
        m(9500.0, 0.0),
        m(9500.0, 3000.0),
        m(3500.0, 3000.0),
        m(3500.0, 6000.0),
        m(9500.0, 6000.0),
        m(9500.0, 9500.0),
        m(0.0, 9500.0),
        m(0.0, 0.0)
    ];
    let park = if two_parts {
        let a = polygon![m(0.0, 0.0), m(6000.0, 0.0), m(6000.0, 7000.0), m(0.0, 7000.0), m(0.0, 0.0)];
        let b = polygon![m(7000.0, 1000.0), m(11000.0, 1000.0), m(11000.0, 9000.0), m(8000.0, 9000.0), m(7000.0, 1000.0)];
        geo::MultiPolygon(vec![a, b])
    } else {
        geo::MultiPolygon(vec![c_shape])
    };
    let mut rng = Lcg(seed);
    let centres: Vec<(f64, f64)> = (0..(n / 200).max(3)).map(|_| (rng.next() * 11000.0, rng.next() * 9500.0)).collect();
    let mut sites = Vec::with_capacity(n);
    while sites.len() < n {
        let (x, y) = if rng.next() < 0.6 {
            let (cx, cy) = centres[(rng.next() * centres.len() as f64) as usize % centres.len()];
            // Box–Muller, σ = 300 m.
            let (u, v) = (rng.next().max(1e-12), rng.next());
            let r = (-2.0 * u.ln()).sqrt() * 300.0;
            (cx + r * (std::f64::consts::TAU * v).cos(), cy + r * (std::f64::consts::TAU * v).sin())
        } else {
            (rng.next() * 11000.0, rng.next() * 9500.0)
        };
        let c = m(x, y);
        if park.intersects(&geo::Point::from(c)) {
            sites.push(Site { id: format!("s{}", sites.len()), lon: c.x, lat: c.y, weight: 1.0 });
        }
    }
    (park, sites)
}
