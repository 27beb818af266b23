//! The plan checks on city-sized plans (issue 16): `validate` and `membership` on the Taoyuan
//! city (10,492 real factories) partitioned into grids of 10–20 (~700) and of 4–6 (~2,000).
//!   cargo run --release -p partition --example validate_bench [-- PATH/taoyuan_factories.geojson]

use partition::{Limits, Site, derive_boundary, partition, validate};
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "../shared/data/taoyuan_factories.geojson".into());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let sites: Vec<Site> = domain::enterprise::parse_geojson(&text)
        .unwrap_or_else(|p| panic!("{path}: {} problems", p.len()))
        .into_iter()
        .map(|r| Site { id: r.external_id, lon: r.position.lon, lat: r.position.lat, weight: 1.0 })
        .collect();
    let park = derive_boundary(&sites, 1000.0, 50.0);
    for (min, max) in [(10, 20), (4, 6)] {
        let p = partition(&park, &sites, Limits { min, max }, "TY").expect("partitions");
        let grids: Vec<(String, geo::MultiPolygon<f64>)> = p.grids.into_iter().map(|g| (g.code, g.area)).collect();
        let mut v = Vec::new();
        let mut m = Vec::new();
        let mut found = 0;
        for _ in 0..10 {
            let t = Instant::now();
            found = validate(Some(&park), &grids, &sites, Limits::default()).len();
            v.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            std::hint::black_box(partition::edit::membership(&grids, &sites));
            m.push(t.elapsed().as_secs_f64() * 1e3);
        }
        v.sort_by(f64::total_cmp);
        m.sort_by(f64::total_cmp);
        println!("{} grids: validate median {:.1} ms (max {:.1}), {found} findings; membership median {:.1} ms", grids.len(), v[5], v[9], m[5]);
    }
}
