//! Park and grid geometry: GeoJSON (RFC 7946, WGS84 lon/lat) in, validated `geo` values out.
//!
//! # Units
//! Coordinates are degrees of WGS84 longitude and latitude. Nothing here projects; areas and
//! distances in metres are computed where they are needed with explicit metric spaces.

use geo::{BoundingRect, Contains, Intersects, LineString, MultiPolygon, Point, Polygon, Validation};
use geojson::{GeoJson, Geometry, GeometryValue as Value, PolygonType};
use serde_json::Value as Json;

/// Where in a GeoJSON document a geometry came from.
fn at(feature: Option<usize>) -> String {
    match feature {
        Some(i) => format!("feature {i}"),
        None => "the geometry".to_owned(),
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum GeometryError {
    #[error("not GeoJSON: {0}")]
    NotGeoJson(String),
    #[error("the document holds no polygon")]
    Empty,
    #[error("{}: expected a Polygon or MultiPolygon, found {found}", at(*feature))]
    WrongType { feature: Option<usize>, found: String },
    #[error("{}: feature has no geometry", at(*feature))]
    MissingGeometry { feature: Option<usize> },
    #[error("{}: ring {ring} has {positions} positions; a ring needs at least 4", at(*feature))]
    RingTooShort { feature: Option<usize>, ring: usize, positions: usize },
    #[error("{}: ring {ring} is not closed (its first and last positions differ)", at(*feature))]
    RingNotClosed { feature: Option<usize>, ring: usize },
    #[error("{}: position ({lon}, {lat}) is not a WGS84 longitude/latitude", at(*feature))]
    BadCoordinate { feature: Option<usize>, lon: f64, lat: f64 },
    #[error("{}: invalid polygon: {reason}", at(*feature))]
    Invalid { feature: Option<usize>, reason: String },
    #[error("{}: expected a LineString or MultiLineString, found {found}", at(*feature))]
    NotALine { feature: Option<usize>, found: String },
    #[error("{}: line {line} has {positions} position(s); a line needs at least 2", at(*feature))]
    LineTooShort { feature: Option<usize>, line: usize, positions: usize },
    #[error("the area has {positions} positions; at most {max} are accepted")]
    TooManyPositions { positions: usize, max: usize },
    #[error("the area has {polygons} polygons; at most {max} are accepted")]
    TooManyPolygons { polygons: usize, max: usize },
}

/// The most positions one area (a park, a grid) may have, all rings together. A real park's
/// boundary has a few thousand; the limit bounds the validity checks' work on hostile input.
pub const MAX_POSITIONS: usize = 50_000;
/// The most polygons one area may have.
pub const MAX_POLYGONS: usize = 2_000;

/// Refuses a geometry with more than [`MAX_POSITIONS`] positions or [`MAX_POLYGONS`] polygons
/// before any work is spent on it.
fn check_size(g: &Geometry, totals: &mut (usize, usize)) -> Result<(), GeometryError> {
    let polygons: Vec<&PolygonType> = match &g.value {
        Value::Polygon { coordinates } => vec![coordinates],
        Value::MultiPolygon { coordinates } => coordinates.iter().collect(),
        _ => return Ok(()),
    };
    totals.1 += polygons.len();
    totals.0 += polygons.iter().flat_map(|rings| rings.iter()).map(|ring| ring.len()).sum::<usize>();
    if totals.0 > MAX_POSITIONS {
        return Err(GeometryError::TooManyPositions { positions: totals.0, max: MAX_POSITIONS });
    }
    if totals.1 > MAX_POLYGONS {
        return Err(GeometryError::TooManyPolygons { polygons: totals.1, max: MAX_POLYGONS });
    }
    Ok(())
}

/// Barrier lines (roads, rivers) from a FeatureCollection, a Feature or a bare geometry of
/// LineStrings and MultiLineStrings.
pub fn barriers_from_geojson_str(text: &str) -> Result<Vec<LineString<f64>>, GeometryError> {
    let gj: GeoJson = text.parse().map_err(|e: geojson::Error| GeometryError::NotGeoJson(e.to_string()))?;
    let geometries: Vec<(Option<usize>, Option<&Geometry>)> = match &gj {
        GeoJson::FeatureCollection(fc) => fc.features.iter().enumerate().map(|(i, f)| (Some(i), f.geometry.as_ref())).collect(),
        GeoJson::Feature(f) => vec![(Some(0), f.geometry.as_ref())],
        GeoJson::Geometry(g) => vec![(None, Some(g))],
    };
    let mut out = Vec::new();
    for (feature, g) in geometries {
        let g = g.ok_or(GeometryError::MissingGeometry { feature })?;
        let lines: Vec<&Vec<geojson::Position>> = match &g.value {
            Value::LineString { coordinates } => vec![coordinates],
            Value::MultiLineString { coordinates } => coordinates.iter().collect(),
            other => {
                return Err(GeometryError::NotALine { feature, found: other.type_name().to_owned() });
            }
        };
        for (line, positions) in lines.into_iter().enumerate() {
            if positions.len() < 2 {
                return Err(GeometryError::LineTooShort { feature, line, positions: positions.len() });
            }
            let mut coords = Vec::with_capacity(positions.len());
            for pos in positions {
                let pos = pos.as_slice();
                let (lon, lat) = (pos.first().copied().unwrap_or(f64::NAN), pos.get(1).copied().unwrap_or(f64::NAN));
                if !valid_lon_lat(lon, lat) {
                    return Err(GeometryError::BadCoordinate { feature, lon, lat });
                }
                coords.push(geo::Coord { x: lon, y: lat });
            }
            out.push(LineString(coords));
        }
    }
    Ok(out)
}

/// A validated longitude/latitude pair.
pub fn valid_lon_lat(lon: f64, lat: f64) -> bool {
    lon.is_finite() && lat.is_finite() && (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
}

/// A park's (or a grid's) area: one or more valid polygons, WGS84.
#[derive(Clone, Debug, PartialEq)]
pub struct Boundary(MultiPolygon<f64>);

impl Boundary {
    /// Parses a FeatureCollection, a Feature or a bare geometry whose polygons together form
    /// the area. Every polygon must be valid (closed rings, no self-intersection).
    pub fn from_geojson_str(text: &str) -> Result<Boundary, GeometryError> {
        let gj: GeoJson = text.parse().map_err(|e: geojson::Error| GeometryError::NotGeoJson(e.to_string()))?;
        let mut totals = (0, 0);
        match &gj {
            GeoJson::FeatureCollection(fc) => {
                for g in fc.features.iter().filter_map(|f| f.geometry.as_ref()) {
                    check_size(g, &mut totals)?;
                }
            }
            GeoJson::Feature(f) => {
                if let Some(g) = &f.geometry {
                    check_size(g, &mut totals)?;
                }
            }
            GeoJson::Geometry(g) => check_size(g, &mut totals)?,
        }
        let mut polygons = Vec::new();
        match gj {
            GeoJson::FeatureCollection(fc) => {
                for (i, f) in fc.features.iter().enumerate() {
                    let g = f.geometry.as_ref().ok_or(GeometryError::MissingGeometry { feature: Some(i) })?;
                    polygons.extend(polygons_of(g, Some(i))?);
                }
            }
            GeoJson::Feature(f) => {
                let g = f.geometry.as_ref().ok_or(GeometryError::MissingGeometry { feature: Some(0) })?;
                polygons.extend(polygons_of(g, Some(0))?);
            }
            GeoJson::Geometry(g) => polygons.extend(polygons_of(&g, None)?),
        }
        if polygons.is_empty() {
            return Err(GeometryError::Empty);
        }
        let mp = MultiPolygon(polygons);
        // Each polygon was valid on its own: what is left is polygons that overlap.
        mp.check_validation().map_err(|e| GeometryError::Invalid { feature: None, reason: e.to_string() })?;
        Ok(Boundary(mp))
    }

    pub fn from_multi_polygon(mp: MultiPolygon<f64>) -> Boundary {
        Boundary(mp)
    }

    pub fn multi_polygon(&self) -> &MultiPolygon<f64> {
        &self.0
    }

    /// True when the point lies inside or on the edge of the area.
    pub fn covers(&self, lon: f64, lat: f64) -> bool {
        let p = Point::new(lon, lat);
        self.0.contains(&p) || self.0.intersects(&p)
    }

    /// The area as a GeoJSON geometry: a Polygon when there is one, else a MultiPolygon.
    pub fn to_geojson(&self) -> Geometry {
        if self.0.0.len() == 1 { Geometry::new(Value::from(&self.0.0[0])) } else { Geometry::new(Value::from(&self.0)) }
    }

    /// `[min_lon, min_lat, max_lon, max_lat]`, or `None` for an empty area.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        self.0.bounding_rect().map(|r| [r.min().x, r.min().y, r.max().x, r.max().y])
    }
}

fn polygons_of(g: &Geometry, feature: Option<usize>) -> Result<Vec<Polygon<f64>>, GeometryError> {
    let rings_sets: Vec<&PolygonType> = match &g.value {
        Value::Polygon { coordinates } => vec![coordinates],
        Value::MultiPolygon { coordinates } => coordinates.iter().collect(),
        other => {
            return Err(GeometryError::WrongType { feature, found: other.type_name().to_owned() });
        }
    };
    let mut out = Vec::new();
    for rings in rings_sets {
        for (ring_index, ring) in rings.iter().enumerate() {
            if ring.len() < 4 {
                return Err(GeometryError::RingTooShort { feature, ring: ring_index, positions: ring.len() });
            }
            for pos in ring {
                let pos = pos.as_slice();
                let (lon, lat) = (pos.first().copied().unwrap_or(f64::NAN), pos.get(1).copied().unwrap_or(f64::NAN));
                if !valid_lon_lat(lon, lat) {
                    return Err(GeometryError::BadCoordinate { feature, lon, lat });
                }
            }
            if ring.first().map(|p| &p.as_slice()[..2]) != ring.last().map(|p| &p.as_slice()[..2]) {
                return Err(GeometryError::RingNotClosed { feature, ring: ring_index });
            }
        }
        let poly: Polygon<f64> =
            Polygon::try_from(&Value::Polygon { coordinates: rings.clone() }).map_err(|e| GeometryError::Invalid { feature, reason: e.to_string() })?;
        poly.check_validation().map_err(|e| GeometryError::Invalid { feature, reason: e.to_string() })?;
        out.push(poly);
    }
    Ok(out)
}

/// Reads a stored GeoJSON geometry (written by [`Boundary::to_geojson`]) back.
pub fn boundary_from_geometry_json(json: &Json) -> Result<Boundary, GeometryError> {
    Boundary::from_geojson_str(&json.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[121,25],[121.01,25],[121.01,25.01],[121,25.01],[121,25]]]}"#;

    #[test]
    fn a_square_parses_and_covers_its_inside_and_edge_but_not_the_outside() {
        let b = Boundary::from_geojson_str(SQUARE).expect("valid square");
        assert!(b.covers(121.005, 25.005));
        assert!(b.covers(121.0, 25.005));
        assert!(!b.covers(121.02, 25.005));
        assert_eq!(b.bbox(), Some([121.0, 25.0, 121.01, 25.01]));
    }

    #[test]
    fn the_shipped_park_boundary_is_valid() {
        let text = include_str!("../../data/demo/park_zhongli_industrial_area_boundary_derived.geojson");
        let b = Boundary::from_geojson_str(text).expect("the demo boundary is valid");
        assert!(!b.multi_polygon().0.is_empty());
    }

    #[test]
    fn a_bow_tie_is_refused_as_self_intersecting() {
        let bow = r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}"#;
        assert!(matches!(Boundary::from_geojson_str(bow), Err(GeometryError::Invalid { .. })));
    }

    #[test]
    fn an_open_ring_names_the_feature_and_ring() {
        let open = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0.5]]]}}]}"#;
        let err = Boundary::from_geojson_str(open).unwrap_err();
        assert_eq!(err, GeometryError::RingNotClosed { feature: Some(0), ring: 0 });
        assert_eq!(err.to_string(), "feature 0: ring 0 is not closed (its first and last positions differ)");
    }

    #[test]
    fn a_point_is_not_a_boundary() {
        let err = Boundary::from_geojson_str(r#"{"type":"Point","coordinates":[1,2]}"#).unwrap_err();
        assert_eq!(err.to_string(), "the geometry: expected a Polygon or MultiPolygon, found Point");
    }

    #[test]
    fn an_area_with_too_many_positions_is_refused_before_it_is_checked() {
        let n = MAX_POSITIONS + 1;
        let ring: Vec<[f64; 2]> = (0..n)
            .map(|i| {
                let a = i as f64 / (n - 1) as f64 * std::f64::consts::TAU;
                [121.0 + 0.01 * a.cos(), 25.0 + 0.01 * a.sin()]
            })
            .collect();
        let text = serde_json::json!({ "type": "Polygon", "coordinates": [ring] }).to_string();
        assert_eq!(Boundary::from_geojson_str(&text), Err(GeometryError::TooManyPositions { positions: n, max: MAX_POSITIONS }));
    }

    #[test]
    fn latitude_beyond_ninety_is_refused() {
        let bad = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,95],[0,0]]]}"#;
        assert!(matches!(Boundary::from_geojson_str(bad), Err(GeometryError::BadCoordinate { lat, .. }) if lat == 95.0));
    }

    #[test]
    fn barriers_are_lines_and_a_polygon_among_them_is_named_by_feature() {
        let roads = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[121,25],[121.01,25]]}},
            {"type":"Feature","properties":{},"geometry":{"type":"MultiLineString","coordinates":[[[121,25],[121,25.01]],[[121.005,25],[121.005,25.01],[121.006,25.02]]]}}]}"#;
        let lines = barriers_from_geojson_str(roads).expect("three lines");
        assert_eq!(lines.iter().map(|l| l.0.len()).collect::<Vec<_>>(), [2, 2, 3]);
        let mixed = roads.replace(r#"{"type":"LineString","coordinates":[[121,25],[121.01,25]]}"#, SQUARE);
        assert_eq!(barriers_from_geojson_str(&mixed).unwrap_err().to_string(), "feature 0: expected a LineString or MultiLineString, found Polygon");
        let short = r#"{"type":"LineString","coordinates":[[121,25]]}"#;
        assert_eq!(barriers_from_geojson_str(short).unwrap_err().to_string(), "the geometry: line 0 has 1 position(s); a line needs at least 2");
    }

    #[test]
    fn text_that_is_not_geojson_is_refused() {
        assert!(matches!(Boundary::from_geojson_str("hello"), Err(GeometryError::NotGeoJson(_))));
    }
}
