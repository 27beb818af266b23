//! Partitions the real parks and prints time and quality, one line each:
//!   cargo run --release -p partition --example bench
//! (`scripts/bench-partition.sh` also runs a peer on the same input.)

use partition::synthetic::synthetic;
use partition::{Limits, Site, derive_boundary, partition};
use std::time::Instant;

fn sites_of(path: &str) -> Vec<Site> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    domain::enterprise::parse_geojson(&text)
        .unwrap_or_else(|p| panic!("{path}: {} problems", p.len()))
        .into_iter()
        .map(|r| Site { id: r.external_id, lon: r.position.lon, lat: r.position.lat, weight: 1.0 })
        .collect()
}

/// With `BENCH_OUT=dir`, writes the input of a case for a peer to run on the same data.
fn save(name: &str, park: &geo::MultiPolygon<f64>, sites: &[Site]) {
    let Ok(dir) = std::env::var("BENCH_OUT") else {
        return;
    };
    let slug: String = name.split(' ').next().unwrap_or(name).to_owned() + "-" + &sites.len().to_string() + if name.contains("two-part") { "-two" } else { "" };
    let park_gj = geojson::Geometry::new(geojson::GeometryValue::from(park));
    let points = geojson::FeatureCollection {
        bbox: None,
        foreign_members: None,
        features: sites
            .iter()
            .map(|s| {
                let mut props = geojson::JsonObject::new();
                props.insert("id".into(), s.id.clone().into());
                props.insert("name".into(), s.id.clone().into());
                geojson::Feature {
                    geometry: Some(geojson::Geometry::new(geojson::GeometryValue::new_point([s.lon, s.lat]))),
                    properties: Some(props),
                    ..Default::default()
                }
            })
            .collect(),
    };
    let write = |suffix: &str, text: String| std::fs::write(format!("{dir}/{slug}-{suffix}.geojson"), text).expect("write bench input");
    write("park", park_gj.to_string());
    write("sites", points.to_string());
}

fn report(name: &str, park: &geo::MultiPolygon<f64>, sites: &[Site], boundary_secs: f64) {
    save(name, park, sites);
    let limits = Limits::default();
    let t = Instant::now();
    let p = partition(park, sites, limits, "G").expect("partitions");
    let secs = t.elapsed().as_secs_f64();
    let q = p.quality(park, limits);
    println!(
        "{name:<28} n={:<6} grids={:<4} secs={:.3} (+{:.3} boundary) counts={}..{} outside={} cv={:.4} worst={:.4} pp_mean={:.3} pp_min={:.3} pieces={} overlap={:.1e} gap={:.1e} coverage={:.1e} warnings={}",
        sites.len(),
        q.grids,
        secs,
        boundary_secs,
        q.min_count,
        q.max_count,
        q.outside_limits,
        q.workload_cv,
        q.worst_deviation,
        q.compactness_mean,
        q.compactness_min,
        q.in_pieces,
        q.overlap,
        q.gap,
        q.coverage_error,
        p.warnings.len()
    );
    if std::env::var("BENCH_HIST").is_ok() {
        let mut hist = std::collections::BTreeMap::new();
        for g in &p.grids {
            *hist.entry(g.site_ids.len()).or_insert(0) += 1;
        }
        // The variation over the grids within the limits: a piece of the park too small for a
        // grid of its own is one all the same (a grid is never in pieces).
        let within: Vec<f64> = p.grids.iter().filter(|g| (limits.min..=limits.max).contains(&(g.site_ids.len() as u32))).map(|g| g.workload).collect();
        let mean = within.iter().sum::<f64>() / within.len().max(1) as f64;
        let sd = (within.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / within.len().max(1) as f64).sqrt();
        println!("  counts (enterprises: grids): {hist:?}; cv within the limits {:.4}", sd / mean);
    }
}

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let zl = sites_of(&format!("{root}/data/demo/park_zhongli_industrial_area_factories.geojson"));
    let zl_park = domain::Boundary::from_geojson_str(
        &std::fs::read_to_string(format!("{root}/data/demo/park_zhongli_industrial_area_boundary_derived.geojson")).expect("boundary"),
    )
    .expect("valid");
    report("zhongli (given boundary)", zl_park.multi_polygon(), &zl, 0.0);

    let city = std::env::var("TAOYUAN").unwrap_or_else(|_| format!("{root}/../shared/data/taoyuan_factories.geojson"));
    if std::path::Path::new(&city).exists() {
        let sites = sites_of(&city);
        let t = Instant::now();
        let buffer: f64 = std::env::var("BUFFER_M").ok().and_then(|v| v.parse().ok()).unwrap_or(1000.0);
        let park = derive_boundary(&sites, buffer, 50.0);
        let b = t.elapsed().as_secs_f64();
        report("taoyuan (derived boundary)", &park, &sites, b);
    } else {
        println!("taoyuan: {city} not found (set TAOYUAN=path)");
    }
    for (n, two) in [(2_000, false), (2_000, true), (20_000, false), (20_000, true)] {
        let (park, sites) = synthetic(n, 42, two);
        report(if two { "synthetic two-part park" } else { "synthetic concave park" }, &park, &sites, 0.0);
    }
}
