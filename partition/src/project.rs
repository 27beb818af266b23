//! A local equirectangular projection: lon/lat degrees ↔ metres around a centre. Affine, so
//! shapes that tile in one plane tile in the other.

use geo::{BoundingRect, Coord, MapCoords, MultiPolygon};

const METRES_PER_DEGREE: f64 = 111_320.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projection {
    lon0: f64,
    lat0: f64,
    kx: f64,
    ky: f64,
}

impl Projection {
    pub fn around(area: &MultiPolygon<f64>) -> Projection {
        let c = area.bounding_rect().map(|r| r.center()).unwrap_or(Coord { x: 0.0, y: 0.0 });
        Projection { lon0: c.x, lat0: c.y, kx: METRES_PER_DEGREE * c.y.to_radians().cos(), ky: METRES_PER_DEGREE }
    }

    pub fn forward(&self, lon: f64, lat: f64) -> Coord<f64> {
        Coord { x: (lon - self.lon0) * self.kx, y: (lat - self.lat0) * self.ky }
    }

    pub fn inverse(&self, c: Coord<f64>) -> Coord<f64> {
        Coord { x: c.x / self.kx + self.lon0, y: c.y / self.ky + self.lat0 }
    }

    pub fn forward_mp(&self, mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        mp.map_coords(|c| self.forward(c.x, c.y))
    }

    pub fn forward_ls(&self, ls: &geo::LineString<f64>) -> geo::LineString<f64> {
        ls.map_coords(|c| self.forward(c.x, c.y))
    }

    pub fn inverse_mp(&self, mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        mp.map_coords(|c| self.inverse(c))
    }
}
