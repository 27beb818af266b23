//! Chinese map coordinates: GCJ-02 (国测局坐标, "Mars coordinates"), which AMap, Tencent Maps and
//! Chinese geocoders return, and WGS84, which parkgrid stores. Inside mainland China GCJ-02 is
//! WGS84 shifted by a published, deliberately irregular offset of a few hundred metres;
//! outside it the two are the same.
//!
//! [`wgs84_to_gcj02`] is the standard forward formula (Krasovsky 1940 ellipsoid constants);
//! [`gcj02_to_wgs84`] inverts it by fixed-point iteration to well under a millimetre, where
//! the usual one-step inverse is off by up to a couple of metres.

use std::f64::consts::PI;

/// Semi-major axis and eccentricity² of the Krasovsky 1940 ellipsoid, as the formula uses.
const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;

/// The rough box of mainland China the offset applies in (Taiwan, Hong Kong and Macau are
/// inside it too, as in every published implementation).
pub fn in_china(lon: f64, lat: f64) -> bool {
    (72.004..=137.8347).contains(&lon) && (0.8293..=55.8271).contains(&lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn transform_lon(x: f64, y: f64) -> f64 {
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// The GCJ-02 offset (degrees) at a WGS84 point.
fn offset(lon: f64, lat: f64) -> (f64, f64) {
    let d_lat = transform_lat(lon - 105.0, lat - 35.0);
    let d_lon = transform_lon(lon - 105.0, lat - 35.0);
    let rad = lat / 180.0 * PI;
    let magic = 1.0 - EE * rad.sin() * rad.sin();
    let sqrt_magic = magic.sqrt();
    (d_lon * 180.0 / (A / sqrt_magic * rad.cos() * PI), d_lat * 180.0 / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI))
}

/// WGS84 → GCJ-02. Unchanged outside China.
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    if !in_china(lon, lat) {
        return (lon, lat);
    }
    let (dx, dy) = offset(lon, lat);
    (lon + dx, lat + dy)
}

/// GCJ-02 → WGS84, to better than 1e-9° (0.1 mm). Unchanged outside China.
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    if !in_china(lon, lat) {
        return (lon, lat);
    }
    // The offset varies slowly: start from the one-step inverse and correct until the forward
    // transform of the guess lands on the input.
    let (mut x, mut y) = (lon, lat);
    for _ in 0..30 {
        let (gx, gy) = wgs84_to_gcj02(x, y);
        let (ex, ey) = (gx - lon, gy - lat);
        x -= ex;
        y -= ey;
        if ex.abs() < 1e-12 && ey.abs() < 1e-12 {
            break;
        }
    }
    (x, y)
}

/// The coordinate system of incoming positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Datum {
    /// GPS, OpenStreetMap, Tianditu (CGCS2000 is within centimetres of it).
    #[default]
    Wgs84,
    /// AMap (高德), Tencent, Chinese geocoders.
    Gcj02,
}

impl Datum {
    /// A position in this datum, in WGS84.
    pub fn to_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Datum::Wgs84 => (lon, lat),
            Datum::Gcj02 => gcj02_to_wgs84(lon, lat),
        }
    }

    pub fn parse(s: &str) -> Option<Datum> {
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "wgs84" | "cgcs2000" => Some(Datum::Wgs84),
            "gcj02" => Some(Datum::Gcj02),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Metres between two nearby points.
    fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
        let k = 111_320.0;
        ((a.0 - b.0) * k * a.1.to_radians().cos()).hypot((a.1 - b.1) * k)
    }

    #[test]
    fn tiananmen_moves_as_every_published_implementation_moves_it() {
        // The reference pair of the coordtransform and eviltransform libraries.
        let (lon, lat) = wgs84_to_gcj02(116.404, 39.915);
        assert!((lon - 116.410_244_499_169_38).abs() < 1e-9, "{lon}");
        assert!((lat - 39.916_404_281_501_64).abs() < 1e-9, "{lat}");
    }

    #[test]
    fn gcj02_converts_back_to_the_wgs84_point_within_a_millimetre() {
        for wgs in [(116.404, 39.915), (120.1551, 30.2741), (121.2385, 24.9684), (87.6168, 43.8256), (113.2644, 23.1291)] {
            let gcj = wgs84_to_gcj02(wgs.0, wgs.1);
            assert!(metres(gcj, wgs) > 100.0, "the offset is hundreds of metres at {wgs:?}");
            let back = gcj02_to_wgs84(gcj.0, gcj.1);
            assert!(metres(back, wgs) < 0.001, "{wgs:?} came back as {back:?}");
        }
    }

    #[test]
    fn outside_china_nothing_moves() {
        assert_eq!(wgs84_to_gcj02(2.3522, 48.8566), (2.3522, 48.8566));
        assert_eq!(gcj02_to_wgs84(-74.006, 40.7128), (-74.006, 40.7128));
    }

    #[test]
    fn datum_names_parse_loosely() {
        assert_eq!(Datum::parse("GCJ-02"), Some(Datum::Gcj02));
        assert_eq!(Datum::parse("wgs84"), Some(Datum::Wgs84));
        assert_eq!(Datum::parse("bd09"), None);
    }
}
