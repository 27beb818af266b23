//! The hard guarantees on the real Zhongli park (556 factories, up to 8 at one spot).

use partition::{partition, Limits, Partition, Site, Warning};
use std::collections::HashMap;

fn park() -> (geo::MultiPolygon<f64>, Vec<Site>) {
    let boundary = domain::Boundary::from_geojson_str(include_str!("../../data/demo/park_zhongli_industrial_area_boundary_derived.geojson")).expect("boundary");
    let records = domain::enterprise::parse_geojson(include_str!("../../data/demo/park_zhongli_industrial_area_factories.geojson")).expect("factories");
    let sites = records.iter().map(|r| Site { id: r.external_id.clone(), lon: r.position.lon, lat: r.position.lat, weight: 1.0 }).collect();
    (boundary.multi_polygon().clone(), sites)
}

fn run() -> (geo::MultiPolygon<f64>, Vec<Site>, Partition) {
    let (b, s) = park();
    let p = partition(&b, &s, Limits::default(), "ZL").expect("partitions");
    (b, s, p)
}

#[test]
fn every_enterprise_is_in_exactly_one_grid_and_co_located_ones_stay_together() {
    let (_, sites, p) = run();
    let mut grid_of: HashMap<&str, &str> = HashMap::new();
    for g in &p.grids {
        for id in &g.site_ids {
            assert!(grid_of.insert(id, &g.code).is_none(), "{id} is in two grids");
        }
    }
    assert_eq!(grid_of.len(), sites.len());
    let mut at: HashMap<(u64, u64), &str> = HashMap::new();
    for s in &sites {
        let g = grid_of[s.id.as_str()];
        let first = *at.entry((s.lon.to_bits(), s.lat.to_bits())).or_insert(g);
        assert_eq!(first, g, "enterprises at ({}, {}) were separated", s.lon, s.lat);
    }
}

#[test]
fn the_grids_tile_the_park_each_in_one_piece_with_20_to_40_enterprises() {
    let (park, _, p) = run();
    let q = p.quality(&park, Limits::default());
    eprintln!("Zhongli: {q:?}");
    assert_eq!(p.warnings, Vec::<Warning>::new());
    assert_eq!(q.in_pieces, 0, "grids in pieces");
    assert!(q.overlap < 1e-12, "grids overlap by {:e} of the park", q.overlap);
    assert!(q.gap < 1e-9, "grids leave a gap of {:e} of the park", q.gap);
    assert!(q.coverage_error < 1e-9, "the grids' union differs from the park by {:e}", q.coverage_error);
    assert_eq!(q.outside_limits, 0, "counts {}..{}", q.min_count, q.max_count);
}

#[test]
fn the_same_input_gives_the_same_grids() {
    let (_, _, a) = run();
    let (_, _, b) = run();
    let key = |p: &Partition| p.grids.iter().map(|g| (g.code.clone(), g.site_ids.clone())).collect::<Vec<_>>();
    assert_eq!(key(&a), key(&b));
}

#[test]
fn fewer_enterprises_than_the_minimum_make_one_grid_with_a_warning() {
    let (park, sites) = park();
    let few: Vec<Site> = sites.into_iter().take(15).collect();
    let p = partition(&park, &few, Limits::default(), "ZL").expect("partitions");
    assert_eq!(p.grids.len(), 1);
    assert_eq!(p.warnings, vec![Warning::TooFewEnterprises { grid: "ZL001".into(), count: 15, min: 20 }]);
}

#[test]
fn a_site_outside_the_park_is_refused_by_id() {
    let (park, mut sites) = park();
    sites.push(Site { id: "far".into(), lon: 121.5645, lat: 25.034, weight: 1.0 });
    let err = partition(&park, &sites, Limits::default(), "ZL").unwrap_err();
    assert_eq!(err.to_string(), "enterprise \"far\" (121.5645, 25.034) lies outside the park boundary");
}
