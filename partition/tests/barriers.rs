//! Barriers (roads, rivers) on the synthetic concave park ("C" shape: a bottom arm
//! 0–9.5 km × 0–3 km, a left column 0–3.5 km × 3–6 km, a top arm 0–9.5 km × 6–9.5 km).

use partition::synthetic::{at, metres, synthetic};
use partition::{Limits, Options, Partition, Site, partition_with};

/// A road across the bottom arm at y = 1.5 km and a river down the park at x = 6 km cut it
/// into five pieces; a lane from the west edge to x = 2.5 km at y = 4.5 km cuts nothing off.
fn barriers() -> Vec<geo::LineString<f64>> {
    vec![geo::LineString(vec![at(-200.0, 1500.0), at(4000.0, 1500.0), at(9700.0, 1500.0)]), geo::LineString(vec![at(6000.0, -200.0), at(6000.0, 9700.0)])]
}

fn lane() -> geo::LineString<f64> {
    geo::LineString(vec![at(-200.0, 4500.0), at(2500.0, 4500.0)])
}

/// The piece of the park a point (metres) lies in, allowing `eps` metres of slack at the cuts.
fn pieces_of(x: f64, y: f64, eps: f64) -> Vec<&'static str> {
    let rects: [(&str, [f64; 4]); 7] = [
        ("south-west", [0.0, 0.0, 6000.0, 1500.0]),
        ("south-east", [6000.0, 0.0, 9500.0, 1500.0]),
        ("east-middle", [6000.0, 1500.0, 9500.0, 3000.0]),
        ("north-east", [6000.0, 6000.0, 9500.0, 9500.0]),
        ("main", [0.0, 1500.0, 6000.0, 3000.0]),
        ("main", [0.0, 3000.0, 3500.0, 6000.0]),
        ("main", [0.0, 6000.0, 6000.0, 9500.0]),
    ];
    let mut out: Vec<&str> =
        rects.iter().filter(|(_, [x0, y0, x1, y1])| x >= x0 - eps && x <= x1 + eps && y >= y0 - eps && y <= y1 + eps).map(|(name, _)| *name).collect();
    out.dedup();
    out
}

fn run(barriers: &[geo::LineString<f64>]) -> (geo::MultiPolygon<f64>, Vec<Site>, Partition) {
    let (park, sites) = synthetic(2_000, 7, false);
    let p = partition_with(&park, &sites, Limits::default(), "S", &Options { previous: &[], barriers }).expect("partitions");
    (park, sites, p)
}

#[test]
fn no_grid_straddles_a_road_or_river_that_cuts_the_park() {
    let (park, _, p) = run(&barriers());
    for g in &p.grids {
        // Every vertex of the grid's outline lies in one and the same piece.
        let mut common: Option<Vec<&str>> = None;
        for c in g.area.0.iter().flat_map(|poly| poly.exterior().0.iter()) {
            let (x, y) = metres(*c);
            let here = pieces_of(x, y, 0.01);
            common = Some(match common {
                None => here,
                Some(prev) => prev.into_iter().filter(|n| here.contains(n)).collect(),
            });
        }
        assert!(common.as_ref().is_some_and(|c| !c.is_empty()), "grid {} straddles a barrier", g.code);
    }
    let q = p.quality(&park, Limits::default());
    eprintln!("with barriers: {q:?} warnings {:?}", p.warnings);
    assert_eq!(q.in_pieces, 0, "grids in pieces");
    assert!(q.overlap < 1e-12 && q.gap < 1e-9 && q.coverage_error < 1e-9, "{q:?}");
    assert_eq!(q.outside_limits, 0, "counts {}..{}", q.min_count, q.max_count);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn grid_edges_run_along_a_cutting_road() {
    use geo::{Euclidean, Length};
    // The road at y = 1.5 km from x = 0 to 6 km is made of grid edges: the grids' outline
    // vertices on it cover its whole length.
    let (_, _, p) = run(&barriers());
    let mut on_road: Vec<f64> = Vec::new();
    for g in &p.grids {
        for w in g.area.0.iter().flat_map(|poly| poly.exterior().0.windows(2)) {
            let ((x0, y0), (x1, y1)) = (metres(w[0]), metres(w[1]));
            if (y0 - 1500.0).abs() < 0.01 && (y1 - 1500.0).abs() < 0.01 && x0.max(x1) <= 6000.01 {
                on_road.push(Euclidean.length(&geo::Line::new(geo::coord! {x: x0, y: y0}, geo::coord! {x: x1, y: y1})));
            }
        }
    }
    // Each stretch is an edge of a grid on either side: twice the road's length.
    let total: f64 = on_road.iter().sum();
    assert!((total - 12_000.0).abs() < 1.0, "grid edges along the road: {total:.1} m of 12000");
}

#[test]
fn a_lane_that_cuts_nothing_off_keeps_enterprises_on_its_two_sides_apart() {
    // Grids holding enterprises on both sides of the lane, near it (x < 2.4 km, within 300 m).
    let straddling = |p: &Partition, sites: &[Site]| {
        let by_id: std::collections::HashMap<&str, &Site> = sites.iter().map(|s| (s.id.as_str(), s)).collect();
        p.grids
            .iter()
            .filter(|g| {
                let sides: Vec<bool> = g
                    .site_ids
                    .iter()
                    .map(|id| metres(geo::coord! { x: by_id[id.as_str()].lon, y: by_id[id.as_str()].lat }))
                    .filter(|(x, y)| *x < 2400.0 && (y - 4500.0).abs() < 300.0)
                    .map(|(_, y)| y > 4500.0)
                    .collect();
                sides.contains(&true) && sides.contains(&false)
            })
            .count()
    };
    let (park, sites, without) = run(&[]);
    let (_, _, with) = run(&[lane()]);
    let (a, b) = (straddling(&without, &sites), straddling(&with, &sites));
    eprintln!("grids across the lane: {a} without it, {b} with it");
    assert!(a > 0, "the test needs a grid across the lane's line to begin with");
    assert_eq!(b, 0);
    let q = with.quality(&park, Limits::default());
    assert_eq!(q.in_pieces, 0);
    assert_eq!(q.outside_limits, 0, "{q:?}");
}

#[test]
fn the_same_barriers_give_the_same_grids() {
    let key = |p: &Partition| p.grids.iter().map(|g| (g.code.clone(), g.site_ids.clone())).collect::<Vec<_>>();
    assert_eq!(key(&run(&barriers()).2), key(&run(&barriers()).2));
}
