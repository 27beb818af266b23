//! Hostile input to the parsers that face the outside world: GeoJSON boundaries, enterprise
//! files (CSV in UTF-8 or GBK, GeoJSON) and the phones' records. Whatever arrives, the answer
//! is a value or a precise error — never a panic, never unbounded work.
//!
//! `cargo test -p domain --test hostile` runs a few hundred cases per property;
//! `scripts/fuzz.sh` runs them by the million (`PROPTEST_CASES`).

use domain::enterprise::{ColumnMapping, Encoding, decode, parse_csv, parse_csv_mapped, parse_geojson};
use domain::{Boundary, field};
use proptest::prelude::*;

/// A number as a hostile file would write it: ordinary, huge, tiny, negative, not finite.
fn coordinate() -> impl Strategy<Value = f64> {
    prop_oneof![-200.0..200.0f64, Just(f64::MAX), Just(-0.0), Just(1e-300), Just(180.0), Just(90.00001)]
}

fn ring(max: usize) -> impl Strategy<Value = Vec<[f64; 2]>> {
    prop::collection::vec((coordinate(), coordinate()).prop_map(|(x, y)| [x, y]), 0..max).prop_map(|mut r| {
        if let Some(first) = r.first().copied() {
            r.push(first);
        }
        r
    })
}

/// GeoJSON shapes a file could hold: polygons with any rings, multipolygons, other types,
/// features without geometry.
fn geojson() -> impl Strategy<Value = String> {
    let polygon = prop::collection::vec(ring(12), 0..3).prop_map(|rings| serde_json::json!({ "type": "Polygon", "coordinates": rings }));
    let multi = prop::collection::vec(prop::collection::vec(ring(8), 1..3), 0..4).prop_map(|p| serde_json::json!({ "type": "MultiPolygon", "coordinates": p }));
    let point = (coordinate(), coordinate()).prop_map(|(x, y)| serde_json::json!({ "type": "Point", "coordinates": [x, y] }));
    let geometry = prop_oneof![polygon, multi, point];
    prop_oneof![
        geometry.clone().prop_map(|g| g.to_string()),
        prop::collection::vec(prop::option::of(geometry), 0..4)
            .prop_map(|gs| serde_json::json!({ "type": "FeatureCollection", "features": gs.into_iter().map(|g| serde_json::json!({ "type": "Feature", "geometry": g, "properties": {} })).collect::<Vec<_>>() }).to_string()),
        ".{0,64}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_geojson_boundary_parses_or_is_refused_with_a_reason(text in geojson()) {
        if let Err(e) = Boundary::from_geojson_str(&text) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn any_enterprise_geojson_parses_or_names_each_bad_feature(
        points in prop::collection::vec((coordinate(), coordinate(), ".{0,12}", prop::option::of(".{0,6}")), 0..20)
    ) {
        let features: Vec<_> = points.iter().map(|(x, y, name, id)| serde_json::json!({
            "type": "Feature", "geometry": { "type": "Point", "coordinates": [x, y] }, "properties": { "name": name, "id": id }
        })).collect();
        let text = serde_json::json!({ "type": "FeatureCollection", "features": features }).to_string();
        match parse_geojson(&text) {
            Ok(records) => prop_assert_eq!(records.len(), points.len()),
            Err(problems) => prop_assert!(!problems.is_empty()),
        }
    }

    #[test]
    fn any_bytes_as_a_csv_file_parse_or_are_refused_line_by_line(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        if let Err(problems) = parse_csv(&bytes) {
            prop_assert!(!problems.is_empty());
        }
    }

    #[test]
    fn a_csv_of_hostile_cells_in_gbk_or_utf8_parses_or_names_the_line(
        rows in prop::collection::vec((".{0,10}", ".{0,10}", "[-0-9.e]{0,8}", "[-0-9.e]{0,8}"), 0..12),
        gbk in any::<bool>(),
    ) {
        let mut text = String::from("编号,企业名称,经度,纬度\n");
        for (id, name, lon, lat) in &rows {
            let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            text.push_str(&format!("{},{},{},{}\n", q(id), q(name), lon, lat));
        }
        let bytes = if gbk { encoding_rs::GBK.encode(&text).0.into_owned() } else { text.into_bytes() };
        let Ok((decoded, _)) = decode(&bytes, if gbk { Some(Encoding::Gbk) } else { None }) else { return Ok(()) };
        let mapping = ColumnMapping { id: Some("编号".into()), name: Some("企业名称".into()), lon: Some("经度".into()), lat: Some("纬度".into()), ..ColumnMapping::default() };
        match parse_csv_mapped(&decoded, &mapping) {
            Ok(records) => prop_assert_eq!(records.len(), rows.len()),
            Err(problems) => prop_assert!(!problems.is_empty()),
        }
    }

    #[test]
    fn any_json_sent_as_a_sync_record_is_parsed_and_checked_or_refused(
        kind in prop_oneof![Just("visit".to_owned()), Just("finding".to_owned()), Just("reinspection".to_owned()), ".{0,8}"],
        id in prop_oneof![Just("0190b5d0-0000-7000-8000-000000000000".to_owned()), ".{0,40}"],
        enterprise in any::<i64>(),
        when in prop_oneof![Just("2026-11-01T08:00:00Z".to_owned()), Just("9999-12-31T23:59:59Z".to_owned()), ".{0,30}"],
        x in coordinate(), y in coordinate(),
        text in ".{0,40}",
        grade in prop::option::of(prop_oneof![Just("general".to_owned()), Just("major".to_owned()), ".{0,6}"]),
    ) {
        let raw = serde_json::json!({
            "type": kind, "id": id, "enterprise_id": enterprise, "finding_id": id, "started_at": when, "ended_at": when,
            "found_at": when, "inspected_at": when, "kind": "safety_hazard", "grade": grade, "result": "fixed",
            "description": text, "notes": text, "met": text, "fix": { "lon": x, "lat": y }, "demands": [], "photos": [],
        });
        let now = chrono::Utc::now();
        // Either it is not a record, or it is checked by the same rules as on the phone.
        #[derive(serde::Deserialize)]
        #[serde(tag = "type", rename_all = "snake_case")]
        enum Record { Visit(field::Visit), Finding(field::Finding), Reinspection(field::Reinspection) }
        if let Ok(r) = serde_json::from_value::<Record>(raw) {
            let checked = match r { Record::Visit(v) => v.check(now), Record::Finding(f) => f.check(now), Record::Reinspection(r) => r.check(now) };
            if let Err(e) = checked {
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }
}
