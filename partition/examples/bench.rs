//! Partitions the real parks and prints time and quality, one line each:
//!   cargo run --release -p partition --example bench
//! (`scripts/bench-partition.sh` also runs a peer on the same input.)

use partition::{derive_boundary, partition, Limits, Site};
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
    let Ok(dir) = std::env::var("BENCH_OUT") else { return };
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
                geojson::Feature { geometry: Some(geojson::Geometry::new(geojson::GeometryValue::new_point([s.lon, s.lat]))), properties: Some(props), ..Default::default() }
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
        sites.len(), q.grids, secs, boundary_secs, q.min_count, q.max_count, q.outside_limits, q.workload_cv, q.worst_deviation,
        q.compactness_mean, q.compactness_min, q.in_pieces, q.overlap, q.gap, q.coverage_error, p.warnings.len()
    );
}

/// A deterministic pseudo-random stream (64-bit LCG, Knuth's constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A concave park ("C" shape, about 9 km across, 82 km²) around 121.2°E 24.9°N, or two
/// separate parts; 60% of the enterprises in clusters, the rest spread out.
fn synthetic(n: usize, seed: u64, two_parts: bool) -> (geo::MultiPolygon<f64>, Vec<Site>) {
    use geo::{polygon, Intersects};
    let (lon0, lat0, k): (f64, f64, f64) = (121.2, 24.9, 1.0 / 111_320.0);
    let m = |x: f64, y: f64| geo::coord! { x: lon0 + x * k / lat0.to_radians().cos(), y: lat0 + y * k };
    let c_shape = polygon![m(0.0, 0.0), m(9500.0, 0.0), m(9500.0, 3000.0), m(3500.0, 3000.0), m(3500.0, 6000.0), m(9500.0, 6000.0), m(9500.0, 9500.0), m(0.0, 9500.0), m(0.0, 0.0)];
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

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let zl = sites_of(&format!("{root}/data/demo/park_zhongli_industrial_area_factories.geojson"));
    let zl_park = domain::Boundary::from_geojson_str(&std::fs::read_to_string(format!("{root}/data/demo/park_zhongli_industrial_area_boundary_derived.geojson")).expect("boundary"))
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
