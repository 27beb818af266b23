//! Hand edits on the real Zhongli plan keep the exact cover.

use geo::{BoundingRect, Centroid, Coord, MultiPolygon};
use partition::edit::{Edit, EditError, Grids, apply, membership, rebalance};
use partition::{Finding, Limits, Site, partition, validate};
use std::collections::HashMap;

fn plan() -> (MultiPolygon<f64>, Vec<Site>, Grids) {
    let boundary = domain::Boundary::from_geojson_str(include_str!("../../data/demo/park_zhongli_industrial_area_boundary_derived.geojson")).expect("boundary");
    let records = domain::enterprise::parse_geojson(include_str!("../../data/demo/park_zhongli_industrial_area_factories.geojson")).expect("factories");
    let sites: Vec<Site> = records.iter().map(|r| Site { id: r.external_id.clone(), lon: r.position.lon, lat: r.position.lat, weight: 1.0 }).collect();
    let park = boundary.multi_polygon().clone();
    let p = partition(&park, &sites, Limits::default(), "ZL").expect("partitions");
    let grids = p.grids.into_iter().map(|g| (g.code, g.area)).collect();
    (park, sites, grids)
}

/// Cover problems only (counts outside 20–40 are a manager's business, not a broken plan).
fn broken(park: &MultiPolygon<f64>, grids: &Grids, sites: &[Site]) -> Vec<Finding> {
    validate(Some(park), grids, sites, Limits { min: 0, max: u32::MAX })
        .into_iter()
        .filter(|f| matches!(f, Finding::Overlap { .. } | Finding::Gap { .. } | Finding::OutsidePark { .. } | Finding::Unassigned { .. }))
        .collect()
}

/// Corners that two or more grids share, in a fixed order.
fn shared_corners(grids: &Grids) -> Vec<Coord<f64>> {
    let mut count: HashMap<(u64, u64), usize> = HashMap::new();
    for (_, area) in grids {
        let mut seen = std::collections::HashSet::new();
        for p in &area.0 {
            for c in &p.exterior().0 {
                if seen.insert((c.x.to_bits(), c.y.to_bits())) {
                    *count.entry((c.x.to_bits(), c.y.to_bits())).or_default() += 1;
                }
            }
        }
    }
    let mut out: Vec<Coord<f64>> = count.into_iter().filter(|(_, n)| *n >= 2).map(|((x, y), _)| Coord { x: f64::from_bits(x), y: f64::from_bits(y) }).collect();
    out.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    out
}

#[test]
fn dragging_shared_corners_of_the_real_plan_keeps_it_a_tiling_or_is_refused() {
    let (park, sites, grids) = plan();
    let corners = shared_corners(&grids);
    assert!(corners.len() > 50, "{} shared corners", corners.len());
    let mut current = grids.clone();
    let (mut accepted, mut refused) = (0, 0);
    // 30 corners spread over the plan, each moved about 15 m in a direction that turns.
    for k in 0..30 {
        let from = corners[k * corners.len() / 30];
        let angle = k as f64 * 2.4;
        let to = Coord { x: from.x + 0.00015 * angle.cos(), y: from.y + 0.00013 * angle.sin() };
        match apply(&park, &current, &Edit::MoveVertex { from, to }) {
            Ok(next) => {
                assert_eq!(broken(&park, &next, &sites), vec![], "after moving corner {k}");
                current = next;
                accepted += 1;
            }
            Err(EditError::EdgesCross { .. } | EditError::Overlap { .. } | EditError::Gap { .. } | EditError::OutsidePark { .. }) => refused += 1,
            Err(e) => panic!("corner {k}: {e}"),
        }
    }
    eprintln!("accepted {accepted}, refused {refused}");
    assert!(accepted >= 20, "only {accepted} of 30 small moves accepted");
}

#[test]
fn splitting_real_grids_and_merging_them_back_keeps_the_ground_and_the_enterprises() {
    let (park, sites, grids) = plan();
    let count = |g: &Grids, code: &str| {
        let i = g.iter().position(|(c, _)| c == code).unwrap();
        membership(g, &sites).iter().filter(|m| **m == Some(i)).count()
    };
    let mut done = 0;
    for (code, area) in &grids {
        let c = area.centroid().expect("centroid");
        let bb = area.bounding_rect().expect("bbox");
        // Across the centroid, east–west, else north–south: a concave grid may need the other.
        let lines = [
            vec![Coord { x: bb.min().x - 0.001, y: c.y() }, Coord { x: bb.max().x + 0.001, y: c.y() }],
            vec![Coord { x: c.x(), y: bb.min().y - 0.001 }, Coord { x: c.x(), y: bb.max().y + 0.001 }],
        ];
        let Some(split) = lines.into_iter().find_map(|line| apply(&park, &grids, &Edit::Split { grid: code.clone(), line, new_code: "ZL900".into() }).ok())
        else {
            continue;
        };
        assert_eq!(split.len(), grids.len() + 1);
        assert_eq!(broken(&park, &split, &sites), vec![], "after splitting {code}");
        let before = count(&grids, code);
        assert_eq!(count(&split, code) + count(&split, "ZL900"), before, "{code}");
        let merged = apply(&park, &split, &Edit::Merge { a: "ZL900".into(), b: code.clone() }).expect("merges back");
        assert_eq!(merged.len(), grids.len());
        assert_eq!(broken(&park, &merged, &sites), vec![], "after merging {code} back");
        assert_eq!(count(&merged, code), before);
        done += 1;
    }
    assert!(done >= 12, "only {done} of {} grids split in two across their centroid", grids.len());
}

#[test]
fn merging_grids_that_are_not_neighbours_is_refused() {
    let (park, _, grids) = plan();
    let (first, last) = (grids[0].0.clone(), grids[grids.len() - 1].0.clone());
    let err = apply(&park, &grids, &Edit::Merge { a: first.clone(), b: last.clone() }).unwrap_err();
    assert_eq!(err, EditError::NotNeighbours { a: first, b: last });
}

#[test]
fn rebalancing_two_neighbours_changes_only_them_and_keeps_the_cover() {
    let (park, sites, grids) = plan();
    // Merge two neighbours into one oversized grid, then ask for it to be rebalanced with a third.
    let corners = shared_corners(&grids);
    let with = |c: &Coord<f64>| grids.iter().filter(|(_, a)| a.0.iter().any(|p| p.exterior().0.contains(c))).map(|(k, _)| k.clone()).collect::<Vec<_>>();
    let pair = corners.iter().map(with).find(|g| g.len() == 2).expect("a corner of two grids");
    let out = rebalance(&park, &grids, &pair, &sites, Limits::default(), |n| format!("ZL{}", 950 + n)).expect("rebalances");
    assert_eq!(broken(&park, &out, &sites), vec![]);
    let untouched = |g: &Grids| g.iter().filter(|(c, _)| !pair.contains(c)).cloned().collect::<Vec<_>>();
    assert_eq!(untouched(&grids).len(), untouched(&out).iter().filter(|(c, _)| !c.starts_with("ZL95")).count());
    let m = membership(&out, &sites);
    for (i, (code, _)) in out.iter().enumerate() {
        let n = m.iter().filter(|x| **x == Some(i)).count();
        if pair.contains(code) || code.starts_with("ZL95") {
            assert!((20..=40).contains(&n), "{code}: {n}");
        }
    }
}

/// A grid as the editor sends it back: GeoJSON, validated the way the server validates it.
fn valid(area: &MultiPolygon<f64>) -> Result<(), String> {
    let json = serde_json::to_value(geojson::Geometry::new(geojson::GeometryValue::from(area))).map_err(|e| e.to_string())?;
    domain::geometry::boundary_from_geometry_json(&json).map(|_| ()).map_err(|e| e.to_string())
}

#[test]
fn the_real_park_drawn_as_two_halves_gives_two_valid_grids_that_cover_it() {
    let (park, sites, _) = plan();
    let b = park.bounding_rect().expect("box");
    let (w, e, s, n) = (b.min().x, b.max().x, b.min().y, b.max().y);
    let mid = (w + e) / 2.0;
    let pad = 0.002;
    let c = |x: f64, y: f64| Coord { x, y };
    let west =
        apply(&park, &[], &Edit::Draw { ring: vec![c(w - pad, s - pad), c(mid, s - pad), c(mid, n + pad), c(w - pad, n + pad)], new_code: "ZL001".into() })
            .expect("the west half");
    let both = apply(
        &park,
        &west,
        &Edit::Draw { ring: vec![c(w - pad, s - pad), c(e + pad, s - pad), c(e + pad, n + pad), c(w - pad, n + pad)], new_code: "ZL002".into() },
    )
    .expect("the east half");
    for (code, area) in &both {
        assert_eq!(valid(area), Ok(()), "grid {code}");
    }
    assert!(broken(&park, &both, &sites).is_empty(), "{:?}", broken(&park, &both, &sites));
    let full = Edit::Draw { ring: vec![c(w, s), c(e, s), c(e, n)], new_code: "ZL003".into() };
    assert_eq!(apply(&park, &both, &full).unwrap_err(), EditError::NothingToDraw);
}
