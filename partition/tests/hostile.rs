//! Hostile input to the partitioner and the plan editor: enterprises piled on one spot, on a
//! line, outside the park, any weights; edits anywhere, with any line or outline. The answer
//! is a plan whose cover holds or a refusal with its reason — never a panic.
//!
//! `scripts/fuzz.sh` runs these by the million (`PROPTEST_CASES`).

use geo::{Coord, LineString, MultiPolygon, Polygon};
use partition::edit::{Edit, apply};
use partition::{Finding, Limits, Site, partition, validate};
use proptest::prelude::*;

fn square() -> MultiPolygon<f64> {
    let ring = LineString::from(vec![(121.0, 25.0), (121.02, 25.0), (121.02, 25.02), (121.0, 25.02), (121.0, 25.0)]);
    MultiPolygon(vec![Polygon::new(ring, vec![])])
}

/// Positions in the square: anywhere, all on one spot, on one line, on a corner.
fn position() -> impl Strategy<Value = (f64, f64)> {
    prop_oneof![
        5 => (121.0..121.02f64, 25.0..25.02f64),
        1 => Just((121.01, 25.01)),
        1 => (121.0..121.02f64).prop_map(|x| (x, 25.005)),
        1 => Just((121.0, 25.0)),
    ]
}

/// Enterprises with any weights; now and then one outside the park (refused with its reason).
fn sites() -> impl Strategy<Value = Vec<Site>> {
    let inside = prop::collection::vec((position(), prop_oneof![Just(1.0), 0.1..10.0f64]), 0..90);
    let outside = prop::option::weighted(0.1, (120.9..120.99f64, 24.9..24.99f64));
    (inside, outside).prop_map(|(v, out)| {
        let mut sites: Vec<Site> = v.into_iter().enumerate().map(|(i, ((lon, lat), weight))| Site { id: format!("e{i}"), lon, lat, weight }).collect();
        if let Some((lon, lat)) = out {
            sites.push(Site { id: "outside".into(), lon, lat, weight: 1.0 });
        }
        sites
    })
}

proptest! {
    // 48 cases in the test suite (each partitions a park); `PROPTEST_CASES` for more.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_enterprises_are_partitioned_with_the_cover_kept_or_refused(sites in sites(), min in 1u32..6, span in 2u32..20) {
        let park = square();
        let limits = Limits { min, max: min + span };
        if let Ok(plan) = partition(&park, &sites, limits, "T") {
            let grids: Vec<(String, MultiPolygon<f64>)> = plan.grids.iter().map(|g| (g.code.clone(), g.area.clone())).collect();
            let broken: Vec<Finding> = validate(Some(&park), &grids, &[], Limits { min: 0, max: u32::MAX })
                .into_iter()
                .filter(|f| matches!(f, Finding::Overlap { .. } | Finding::Gap { .. }))
                .collect();
            prop_assert!(broken.is_empty(), "{broken:?}");
        }
    }

    #[test]
    fn any_edit_of_a_plan_keeps_its_cover_or_is_refused(
        seed_sites in prop::collection::vec((121.0..121.02f64, 25.0..25.02f64), 40..80),
        from in (121.0..121.02f64, 25.0..25.02f64),
        to in (120.99..121.03f64, 24.99..25.03f64),
        line in prop::collection::vec((120.99..121.03f64, 24.99..25.03f64), 0..6),
        which in 0usize..4,
    ) {
        let park = square();
        let sites: Vec<Site> = seed_sites.iter().enumerate().map(|(i, (lon, lat))| Site { id: format!("e{i}"), lon: *lon, lat: *lat, weight: 1.0 }).collect();
        let Ok(plan) = partition(&park, &sites, Limits { min: 10, max: 25 }, "T") else { return Ok(()) };
        let grids: Vec<(String, MultiPolygon<f64>)> = plan.grids.iter().map(|g| (g.code.clone(), g.area.clone())).collect();
        // A corner of the first grid, or any point: a corner that is not one is refused.
        let corner = grids[0].1.0[0].exterior().0.get(which).copied().unwrap_or(Coord { x: from.0, y: from.1 });
        let pts: Vec<Coord<f64>> = line.iter().map(|(x, y)| Coord { x: *x, y: *y }).collect();
        let edits = [
            Edit::MoveVertex { from: corner, to: Coord { x: to.0, y: to.1 } },
            Edit::Split { grid: grids[0].0.clone(), line: pts.clone(), new_code: "T99".into() },
            Edit::Merge { a: grids[0].0.clone(), b: grids[grids.len() - 1].0.clone() },
            Edit::Draw { ring: pts, new_code: "T98".into() },
        ];
        for edit in &edits {
            if let Ok(after) = apply(&park, &grids, edit) {
                let broken: Vec<Finding> = validate(Some(&park), &after, &[], Limits { min: 0, max: u32::MAX })
                    .into_iter()
                    .filter(|f| matches!(f, Finding::Overlap { .. } | Finding::OutsidePark { .. }))
                    .collect();
                prop_assert!(broken.is_empty(), "{edit:?} gave {broken:?}");
            }
        }
    }
}
