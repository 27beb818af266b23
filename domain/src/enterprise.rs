//! Enterprise records as they come in from GeoJSON or CSV, and the import report.
//!
//! Parsing never stops at the first problem: it collects every problem with its place (the
//! feature index or the CSV line) so that an operator can fix the file in one go. The caller
//! writes nothing unless the report is empty.

use crate::geometry::{Boundary, valid_lon_lat};
use geojson::{GeoJson, GeometryValue as Value};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use std::collections::HashMap;
use std::fmt;

/// A WGS84 position, validated.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub lon: f64,
    pub lat: f64,
}

impl Position {
    pub fn new(lon: f64, lat: f64) -> Option<Position> {
        valid_lon_lat(lon, lat).then_some(Position { lon, lat })
    }
}

/// One enterprise of the registry (5.5.2), as read from a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnterpriseRecord {
    /// The source's identifier (e.g. the factory registration number); unique within a park.
    pub external_id: String,
    pub name: String,
    /// Unified social credit code or tax id.
    pub credit_code: Option<String>,
    pub address: Option<String>,
    pub position: Position,
    pub industry: Option<String>,
    /// Workload weight for the automatic partition (1 = an ordinary enterprise); `None` when
    /// the source has no weight column (a new enterprise weighs 1, an existing one keeps its).
    pub weight: Option<f64>,
    /// Every other property of the source, kept as it came.
    pub attributes: Map<String, Json>,
}

/// Where a problem is in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// Index of the feature in the FeatureCollection (0-based).
    Feature(usize),
    /// CSV line number (1-based; the header is line 1).
    Line(u64),
    /// The input as a whole.
    Document,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Feature(i) => write!(f, "feature {i}"),
            Location::Line(n) => write!(f, "line {n}"),
            Location::Document => f.write_str("the file"),
        }
    }
}

/// What is wrong.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ProblemKind {
    #[error("not valid GeoJSON: {0}")]
    NotGeoJson(String),
    #[error("expected a FeatureCollection of points")]
    NotFeatureCollection,
    #[error("CSV syntax: {0}")]
    Csv(String),
    #[error("the header has no {0} column")]
    MissingColumn(&'static str),
    #[error("no geometry")]
    MissingGeometry,
    #[error("expected a Point, found {0}")]
    NotAPoint(String),
    #[error("({lon}, {lat}) is not a WGS84 longitude/latitude")]
    BadCoordinate { lon: f64, lat: f64 },
    #[error("{0:?} is not a number")]
    NotANumber(String),
    #[error("missing {0}")]
    MissingField(&'static str),
    #[error("id {id:?} appears again (first at {first})")]
    DuplicateId { id: String, first: Location },
    #[error("({lon}, {lat}) lies outside the park boundary")]
    OutsideBoundary { lon: f64, lat: f64 },
    #[error("the column {0:?} is not in the header")]
    NoSuchColumn(String),
    #[error("the file is not text in {0}")]
    NotText(&'static str),
    #[error("{0:?} is not a workload weight (a number above 0, at most {MAX_WEIGHT})")]
    BadWeight(String),
}

/// One line of an import report.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportProblem {
    pub location: Location,
    pub kind: ProblemKind,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.kind)
    }
}

fn problem(location: Location, kind: ProblemKind) -> ImportProblem {
    ImportProblem { location, kind }
}

const ID_KEYS: [&str; 2] = ["id", "external_id"];
const CREDIT_KEYS: [&str; 3] = ["credit_code", "tax_id", "uscc"];
const LON_KEYS: [&str; 4] = ["lon", "lng", "longitude", "x"];
const LAT_KEYS: [&str; 3] = ["lat", "latitude", "y"];
const WEIGHT_KEYS: [&str; 2] = ["weight", "workload_weight"];
/// The largest workload weight: one enterprise weighing more than a whole grid makes no sense.
pub const MAX_WEIGHT: f64 = 100.0;

/// A workload weight as given (a number above 0, at most [`MAX_WEIGHT`]).
pub fn parse_weight(raw: &str) -> Result<f64, ProblemKind> {
    match raw.trim().parse::<f64>() {
        Ok(w) if w.is_finite() && w > 0.0 && w <= MAX_WEIGHT => Ok(w),
        _ => Err(ProblemKind::BadWeight(raw.trim().to_owned())),
    }
}

fn text(v: &Json) -> Option<String> {
    match v {
        Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn take_first(props: &mut Map<String, Json>, keys: &[&str]) -> Option<String> {
    let mut found = None;
    for k in keys {
        if let Some(v) = props.remove(*k) {
            if found.is_none() {
                found = text(&v);
            }
        }
    }
    found
}

/// Builds a record from a property map and a position, or says what is missing.
fn record_from(mut props: Map<String, Json>, position: Position, fallback_id: Option<String>) -> Result<EnterpriseRecord, ProblemKind> {
    let external_id = take_first(&mut props, &ID_KEYS).or(fallback_id).ok_or(ProblemKind::MissingField("id"))?;
    let name = take_first(&mut props, &["name"]).ok_or(ProblemKind::MissingField("name"))?;
    let weight = take_first(&mut props, &WEIGHT_KEYS).map(|w| parse_weight(&w)).transpose()?;
    Ok(EnterpriseRecord {
        external_id,
        name,
        credit_code: take_first(&mut props, &CREDIT_KEYS),
        address: take_first(&mut props, &["address"]),
        industry: take_first(&mut props, &["industry"]),
        weight,
        position,
        attributes: props,
    })
}

/// Parses a GeoJSON FeatureCollection of Point features.
///
/// Recognised properties: `id` (or the feature's own `id`), `name`, `credit_code`/`tax_id`,
/// `address`, `industry`, `weight`; all others are kept as attributes.
pub fn parse_geojson(text: &str) -> Result<Vec<EnterpriseRecord>, Vec<ImportProblem>> {
    let gj: GeoJson = text.parse().map_err(|e: geojson::Error| vec![problem(Location::Document, ProblemKind::NotGeoJson(e.to_string()))])?;
    let GeoJson::FeatureCollection(fc) = gj else {
        return Err(vec![problem(Location::Document, ProblemKind::NotFeatureCollection)]);
    };
    let mut records = Vec::with_capacity(fc.features.len());
    let mut problems = Vec::new();
    for (i, feature) in fc.features.into_iter().enumerate() {
        let loc = Location::Feature(i);
        let position = match feature.geometry.as_ref().map(|g| &g.value) {
            None => Err(ProblemKind::MissingGeometry),
            Some(Value::Point { coordinates }) => {
                let c = coordinates.as_slice();
                let (lon, lat) = (c.first().copied().unwrap_or(f64::NAN), c.get(1).copied().unwrap_or(f64::NAN));
                Position::new(lon, lat).ok_or(ProblemKind::BadCoordinate { lon, lat })
            }
            Some(other) => Err(ProblemKind::NotAPoint(other.type_name().to_owned())),
        };
        let feature_id = feature.id.as_ref().map(|id| match id {
            geojson::feature::Id::String(s) => s.clone(),
            geojson::feature::Id::Number(n) => n.to_string(),
        });
        let result = position.and_then(|p| record_from(feature.properties.unwrap_or_default(), p, feature_id));
        match result {
            Ok(r) => records.push((loc, r)),
            Err(kind) => problems.push(problem(loc, kind)),
        }
    }
    finish(records, problems)
}

/// Parses UTF-8 CSV with a header line. Required columns: `id`, `name`, `lon`/`lng`/`longitude`,
/// `lat`/`latitude`; optional: `credit_code`/`tax_id`, `address`, `industry`, `weight`; all
/// others are kept as attributes.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<EnterpriseRecord>, Vec<ImportProblem>> {
    let (text, _) = decode(bytes, Some(Encoding::Utf8)).map_err(|p| vec![p])?;
    let headers = csv_headers(&text).map_err(|p| vec![p])?;
    let find = |names: &[&str]| headers.iter().find(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n))).cloned();
    let mapping = ColumnMapping {
        id: find(&ID_KEYS),
        name: find(&["name"]),
        lon: find(&LON_KEYS),
        lat: find(&LAT_KEYS),
        address: find(&["address"]),
        credit_code: find(&CREDIT_KEYS),
        industry: find(&["industry"]),
        weight: find(&WEIGHT_KEYS),
    };
    // Coordinates first: a file without them is the commonest mistake.
    for (col, label) in [(&mapping.lon, "lon"), (&mapping.lat, "lat")] {
        if col.is_none() {
            return Err(vec![problem(Location::Line(1), ProblemKind::MissingColumn(label))]);
        }
    }
    parse_csv_mapped(&text, &mapping)
}

fn finish(records: Vec<(Location, EnterpriseRecord)>, mut problems: Vec<ImportProblem>) -> Result<Vec<EnterpriseRecord>, Vec<ImportProblem>> {
    let mut first_seen: HashMap<&str, Location> = HashMap::new();
    for (loc, r) in &records {
        if let Some(first) = first_seen.get(r.external_id.as_str()) {
            problems.push(problem(*loc, ProblemKind::DuplicateId { id: r.external_id.clone(), first: *first }));
        } else {
            first_seen.insert(&r.external_id, *loc);
        }
    }
    if problems.is_empty() {
        Ok(records.into_iter().map(|(_, r)| r).collect())
    } else {
        problems.sort_by_key(|p| match p.location {
            Location::Document => (0, 0),
            Location::Feature(i) => (1, i as u64),
            Location::Line(n) => (1, n),
        });
        Err(problems)
    }
}

/// Problems of records that lie outside the park. `locate` maps a record index back to its
/// place in the source.
pub fn check_inside(boundary: &Boundary, records: &[EnterpriseRecord], locate: impl Fn(usize) -> Location) -> Vec<ImportProblem> {
    records
        .iter()
        .enumerate()
        .filter(|(_, r)| !boundary.covers(r.position.lon, r.position.lat))
        .map(|(i, r)| problem(locate(i), ProblemKind::OutsideBoundary { lon: r.position.lon, lat: r.position.lat }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_park_parses_into_556_enterprises_with_unique_ids() {
        let text = include_str!("../../data/demo/park_zhongli_industrial_area_factories.geojson");
        let records = parse_geojson(text).expect("the demo park is clean");
        assert_eq!(records.len(), 556);
        let first = &records[0];
        assert_eq!(first.external_id, "99625626");
        assert_eq!(first.credit_code.as_deref(), Some("45192307"));
        assert!(first.attributes.contains_key("products"), "unknown properties are kept");
        assert!(!first.attributes.contains_key("name"), "known properties are not duplicated");
    }

    #[test]
    fn every_shipped_enterprise_lies_inside_the_shipped_boundary() {
        let boundary =
            Boundary::from_geojson_str(include_str!("../../data/demo/park_zhongli_industrial_area_boundary_derived.geojson")).expect("valid boundary");
        let records = parse_geojson(include_str!("../../data/demo/park_zhongli_industrial_area_factories.geojson")).expect("clean");
        assert_eq!(check_inside(&boundary, &records, Location::Feature), vec![]);
    }

    #[test]
    fn a_broken_geojson_reports_every_bad_feature_by_index() {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","geometry":{"type":"Point","coordinates":[121.2,24.9]},"properties":{"id":"a","name":"A"}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[521.2,24.9]},"properties":{"id":"b","name":"B"}},
          {"type":"Feature","geometry":null,"properties":{"id":"c","name":"C"}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[121.2,24.9]},"properties":{"id":"d"}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[121.2,24.9]},"properties":{"id":"a","name":"A again"}}
        ]}"#;
        let problems = parse_geojson(text).unwrap_err();
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            vec![
                "feature 1: (521.2, 24.9) is not a WGS84 longitude/latitude",
                "feature 2: no geometry",
                "feature 3: missing name",
                "feature 4: id \"a\" appears again (first at feature 0)",
            ]
        );
    }

    #[test]
    fn a_broken_csv_reports_lines() {
        let csv = "id,name,lon,lat,industry\n1,Alpha,121.2,24.9,metal\n2,,121.2,24.9,\n3,Gamma,east,24.9,\n1,Alpha bis,121.2,24.9,\n";
        let lines: Vec<String> = parse_csv(csv.as_bytes()).unwrap_err().iter().map(ToString::to_string).collect();
        assert_eq!(lines, vec!["line 3: missing name", "line 4: \"east\" is not a number", "line 5: id \"1\" appears again (first at line 2)",]);
    }

    #[test]
    fn a_clean_csv_with_a_bom_and_extra_columns_parses() {
        let csv = "\u{feff}ID,Name,Longitude,Latitude,tax_id,workers\nx1,Alpha,121.2,24.9,123,40\n";
        let records = parse_csv(csv.as_bytes()).expect("clean");
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].external_id, "x1");
        assert_eq!(records[0].credit_code.as_deref(), Some("123"));
        assert_eq!(records[0].attributes.get("workers"), Some(&Json::String("40".into())));
    }

    #[test]
    fn a_csv_without_coordinates_names_the_missing_column() {
        let problems = parse_csv(b"id,name,lat\n1,A,24\n").unwrap_err();
        assert_eq!(problems[0].to_string(), "line 1: the header has no lon column");
    }
}

/// A CSV file's character encoding. Chinese spreadsheets often save GBK.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    Utf8,
    Gbk,
}

/// The text of a CSV file: in `encoding`, or (None) UTF-8 when the bytes are valid UTF-8 and
/// GBK otherwise. A UTF-8 byte-order mark is dropped.
pub fn decode(bytes: &[u8], encoding: Option<Encoding>) -> Result<(String, Encoding), ImportProblem> {
    let utf8 = |b: &[u8]| std::str::from_utf8(b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)).map(str::to_owned);
    match encoding {
        Some(Encoding::Utf8) => utf8(bytes).map(|t| (t, Encoding::Utf8)).map_err(|_| problem(Location::Document, ProblemKind::NotText("UTF-8"))),
        Some(Encoding::Gbk) => gbk(bytes),
        None => match utf8(bytes) {
            Ok(t) => Ok((t, Encoding::Utf8)),
            Err(_) => gbk(bytes),
        },
    }
}

fn gbk(bytes: &[u8]) -> Result<(String, Encoding), ImportProblem> {
    let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(problem(Location::Document, ProblemKind::NotText("GBK")));
    }
    Ok((text.into_owned(), Encoding::Gbk))
}

/// Which header column holds what (the mapping step of an import).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ColumnMapping {
    pub id: Option<String>,
    pub name: Option<String>,
    pub lon: Option<String>,
    pub lat: Option<String>,
    pub address: Option<String>,
    pub credit_code: Option<String>,
    pub industry: Option<String>,
    /// Workload weight (optional; see [`EnterpriseRecord::weight`]).
    #[serde(default)]
    pub weight: Option<String>,
}

/// The header line of a CSV text.
pub fn csv_headers(text: &str) -> Result<Vec<String>, ImportProblem> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| problem(Location::Line(1), ProblemKind::Csv(e.to_string())))?;
    Ok(headers.iter().map(|h| h.trim().to_owned()).collect())
}

/// A first guess at the mapping from the header's names, English or Chinese.
pub fn guess_mapping(headers: &[String]) -> ColumnMapping {
    let find = |names: &[&str]| headers.iter().find(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n))).cloned();
    ColumnMapping {
        id: find(&["id", "external_id", "编号", "企业编号", "工厂登记编号", "序号"]),
        name: find(&["name", "企业名称", "名称", "工厂名称", "单位名称"]),
        lon: find(&["lon", "lng", "longitude", "x", "经度"]),
        lat: find(&["lat", "latitude", "y", "纬度"]),
        address: find(&["address", "地址", "企业地址", "工厂地址"]),
        credit_code: find(&["credit_code", "tax_id", "uscc", "统一社会信用代码", "信用代码"]),
        industry: find(&["industry", "行业", "所属行业", "产业类别"]),
        weight: find(&["weight", "workload_weight", "权重", "工作量权重"]),
    }
}

/// Parses CSV text with an explicit column mapping. Required: id, name, lon, lat. Columns not
/// mapped are kept as attributes under their header name.
pub fn parse_csv_mapped(text: &str, mapping: &ColumnMapping) -> Result<Vec<EnterpriseRecord>, Vec<ImportProblem>> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| vec![problem(Location::Line(1), ProblemKind::Csv(e.to_string()))])?.clone();
    let index = |col: &Option<String>| -> Result<Option<usize>, ImportProblem> {
        match col {
            None => Ok(None),
            Some(name) => headers
                .iter()
                .position(|h| h.trim() == name.trim())
                .map(Some)
                .ok_or_else(|| problem(Location::Line(1), ProblemKind::NoSuchColumn(name.clone()))),
        }
    };
    let required = |label: &'static str, col: &Option<String>| -> Result<usize, ImportProblem> {
        index(col)?.ok_or_else(|| problem(Location::Line(1), ProblemKind::MissingColumn(label)))
    };
    let cols = (|| -> Result<_, ImportProblem> {
        Ok((
            required("id", &mapping.id)?,
            required("name", &mapping.name)?,
            required("lon", &mapping.lon)?,
            required("lat", &mapping.lat)?,
            index(&mapping.address)?,
            index(&mapping.credit_code)?,
            index(&mapping.industry)?,
            index(&mapping.weight)?,
        ))
    })()
    .map_err(|p| vec![p])?;
    let (id, name, lon_col, lat_col, address, credit, industry, weight) = cols;
    let canonical: Vec<(usize, &str)> =
        [(Some(id), "id"), (Some(name), "name"), (address, "address"), (credit, "credit_code"), (industry, "industry"), (weight, "weight")]
            .into_iter()
            .filter_map(|(i, k)| i.map(|i| (i, k)))
            .collect();
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for row in reader.records() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(problem(Location::Line(line), ProblemKind::Csv(e.to_string())));
                continue;
            }
        };
        let loc = Location::Line(row.position().map_or(0, |p| p.line()));
        let number = |col: usize| -> Result<f64, ProblemKind> {
            let raw = row.get(col).unwrap_or("").trim();
            raw.parse::<f64>().map_err(|_| ProblemKind::NotANumber(raw.to_owned()))
        };
        let position = number(lon_col).and_then(|lon| {
            let lat = number(lat_col)?;
            Position::new(lon, lat).ok_or(ProblemKind::BadCoordinate { lon, lat })
        });
        let mut props: Map<String, Json> = Map::new();
        for (i, (h, v)) in headers.iter().zip(row.iter()).enumerate() {
            if i == lon_col || i == lat_col {
                continue;
            }
            let key = match canonical.iter().find(|(c, _)| *c == i) {
                Some((_, k)) => (*k).to_owned(),
                // An unmapped column must not pass for a mapped one (e.g. a second "name").
                None => {
                    let k = h.trim().to_owned();
                    if ["id", "external_id", "name", "address", "industry", "weight", "workload_weight"].contains(&k.to_ascii_lowercase().as_str())
                        || CREDIT_KEYS.contains(&k.to_ascii_lowercase().as_str())
                    {
                        format!("original_{k}")
                    } else {
                        k
                    }
                }
            };
            props.insert(key, Json::String(unescape_formula(v).to_owned()));
        }
        match position.and_then(|p| record_from(props, p, None)) {
            Ok(r) => records.push((loc, r)),
            Err(kind) => problems.push(problem(loc, kind)),
        }
    }
    finish(records, problems)
}

/// Whether a spreadsheet would take this text for a formula (`=`, `+`, `-`, `@`, a tab or a
/// carriage return first). parkgrid's CSV exports write such text with a leading `'`.
pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Text as it was before an export protected it from spreadsheets: `'=x` back to `=x`.
fn unescape_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod mapped_csv_tests {
    use super::*;

    /// "企业名称,经度,纬度,编号\n中坜一厂,121.2,24.9,A1\n" in GBK.
    fn gbk_file() -> Vec<u8> {
        let (bytes, _, _) = encoding_rs::GBK.encode("编号,企业名称,经度,纬度,备注\nA1,中坜一厂,121.2,24.9,旧厂\nA2,中坜二厂,121.3,24.95,\n");
        bytes.into_owned()
    }

    #[test]
    fn text_an_export_protected_from_spreadsheets_is_imported_as_it_was() {
        assert_eq!(unescape_formula("'=HYPERLINK(1)"), "=HYPERLINK(1)");
        assert_eq!(unescape_formula("'-3"), "-3");
        assert_eq!(unescape_formula("'Smith's"), "'Smith's");
        assert_eq!(unescape_formula("中坜一厂"), "中坜一厂");
    }

    #[test]
    fn a_gbk_file_is_recognised_and_its_chinese_header_mapped() {
        let bytes = gbk_file();
        assert!(std::str::from_utf8(&bytes).is_err(), "the fixture really is GBK");
        let (text, enc) = decode(&bytes, None).expect("decodes");
        assert_eq!(enc, Encoding::Gbk);
        let headers = csv_headers(&text).expect("headers");
        let mapping = guess_mapping(&headers);
        assert_eq!(
            (mapping.id.as_deref(), mapping.name.as_deref(), mapping.lon.as_deref(), mapping.lat.as_deref()),
            (Some("编号"), Some("企业名称"), Some("经度"), Some("纬度"))
        );
        let records = parse_csv_mapped(&text, &mapping).expect("parses");
        assert_eq!(records.len(), 2);
        assert_eq!((records[0].external_id.as_str(), records[0].name.as_str()), ("A1", "中坜一厂"));
        assert_eq!(records[0].attributes.get("备注"), Some(&Json::String("旧厂".into())));
    }

    #[test]
    fn a_utf8_file_read_as_gbk_is_refused_rather_than_garbled() {
        assert!(decode("编号,名称".as_bytes(), Some(Encoding::Utf8)).is_ok());
        assert_eq!(decode(&gbk_file(), Some(Encoding::Utf8)).unwrap_err().kind, ProblemKind::NotText("UTF-8"));
    }

    #[test]
    fn every_bad_line_is_reported_with_its_number_and_reason() {
        let text = "code,title,x,y\nA1,一厂,121.2,24.9\nA2,,121.2,24.9\nA3,三厂,abc,24.9\nA1,四厂,121.2,24.9\nA5,五厂,200,24.9\n";
        let mapping = ColumnMapping { id: Some("code".into()), name: Some("title".into()), lon: Some("x".into()), lat: Some("y".into()), ..Default::default() };
        let problems = parse_csv_mapped(text, &mapping).unwrap_err();
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(problems.len(), 4, "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("line 3") && l.contains("missing name")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("line 4") && l.contains("\"abc\" is not a number")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("line 5") && l.contains("A1")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("line 6") && l.contains("200")), "{lines:?}");
    }

    #[test]
    fn a_mapping_that_names_a_missing_column_says_which() {
        let mapping =
            ColumnMapping { id: Some("code".into()), name: Some("名称".into()), lon: Some("x".into()), lat: Some("y".into()), ..Default::default() };
        let problems = parse_csv_mapped("code,title,x,y\n", &mapping).unwrap_err();
        assert_eq!(problems[0].kind, ProblemKind::NoSuchColumn("名称".into()));
        let problems = parse_csv_mapped("code,title,x,y\n", &ColumnMapping::default()).unwrap_err();
        assert_eq!(problems[0].kind, ProblemKind::MissingColumn("id"));
    }

    #[test]
    fn a_weight_column_gives_each_enterprise_its_workload_and_a_bad_weight_names_its_line() {
        let text = "编号,企业名称,经度,纬度,工作量权重\nA1,一厂,121.2,24.9,2.5\nA2,二厂,121.3,24.9,\nA3,三厂,121.3,24.9,0\nA4,四厂,121.3,24.9,重\n";
        let headers = csv_headers(text).unwrap();
        let mapping = guess_mapping(&headers);
        assert_eq!(mapping.weight.as_deref(), Some("工作量权重"));
        let problems = parse_csv_mapped(text, &mapping).unwrap_err();
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(problems.len(), 2, "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("line 4") && l.contains("\"0\" is not a workload weight")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("line 5") && l.contains("\"重\"")), "{lines:?}");
        let good = parse_csv_mapped(&text.lines().take(3).collect::<Vec<_>>().join("\n"), &mapping).unwrap();
        assert_eq!(good.iter().map(|r| r.weight).collect::<Vec<_>>(), [Some(2.5), None], "an empty cell is no weight");
    }
}
