//! The partitioner against its strongest peers on a seeded synthetic park (concave, 2,000
//! enterprises), whose figures `scripts/bench-partition.sh --peer` measures on the same units.

use partition::synthetic::synthetic;
use partition::{Limits, partition};

#[test]
fn on_a_synthetic_park_the_grids_are_as_even_as_whole_enterprises_allow_and_more_compact_than_kahips() {
    let (park, sites) = synthetic(2_000, 42, false);
    let p = partition(&park, &sites, Limits::default(), "S").expect("partitions");
    let q = p.quality(&park, Limits::default());
    // 2,000 enterprises in 67 grids: 57 of 30 and 10 of 29, no better split exists.
    // METIS (k-way, contiguous): 28..30, CV 1.56 %. KaHIP (kaffpa strong): 28..31, CV 2.11 %.
    assert_eq!((q.grids, q.min_count, q.max_count), (67, 29, 30));
    assert!(q.workload_cv < 0.0156, "CV {:.4}", q.workload_cv);
    // Polsby-Popper mean: METIS 0.434, KaHIP 0.590 with 4 grids in pieces.
    assert!(q.compactness_mean > 0.590, "mean {:.3}", q.compactness_mean);
    assert_eq!(q.in_pieces, 0);
    assert!(q.overlap < 1e-12 && q.gap < 1e-9, "overlap {:e}, gap {:e}", q.overlap, q.gap);
}

#[test]
fn in_a_city_of_twenty_thousand_enterprises_every_grid_holds_29_or_30() {
    let (park, sites) = synthetic(20_000, 42, false);
    let p = partition(&park, &sites, Limits::default(), "C").expect("partitions");
    let q = p.quality(&park, Limits::default());
    // 20,000 in 667 grids: 657 of 30 and 10 of 29, CV 0.41 % — METIS's figure (contiguous
    // k-way) on the same units. Chains of grids reaching 8 grids away left two grids of 31.
    assert_eq!((q.grids, q.min_count, q.max_count), (667, 29, 30));
    assert!(q.workload_cv < 0.0042, "CV {:.4}", q.workload_cv);
    assert_eq!(q.in_pieces, 0);
}

#[test]
fn on_a_park_in_two_pieces_the_grids_are_more_even_and_more_compact_than_the_peers_make_them() {
    let (park, sites) = synthetic(2_000, 42, true);
    let p = partition(&park, &sites, Limits::default(), "T").expect("partitions");
    let q = p.quality(&park, Limits::default());
    // Pieces of 1,292 and 708 enterprises in 43 and 24 grids: 41 of 30 and 2 of 31, 12 of 30
    // and 12 of 29 — the best grids in one piece allow. METIS (no contiguity possible): CV 1.56 %, 10 grids
    // in pieces; KaHIP: CV 1.85 %, PP mean 0.592, least 0.303, 3 grids in pieces.
    assert!(q.workload_cv < 0.0156, "CV {:.4}", q.workload_cv);
    assert!(q.compactness_mean > 0.592 && q.compactness_min > 0.303, "mean {:.3}, least {:.3}", q.compactness_mean, q.compactness_min);
    assert_eq!(q.in_pieces, 0);
}

#[test]
fn where_some_enterprises_weigh_double_the_workloads_still_differ_by_less_than_the_heaviest_enterprise() {
    let (park, mut sites) = synthetic(2_000, 42, false);
    // A manager weighs every seventh enterprise double (a large factory).
    for s in sites.iter_mut().step_by(7) {
        s.weight = 2.0;
    }
    let p = partition(&park, &sites, Limits::default(), "W").expect("partitions");
    let loads: Vec<f64> = p.grids.iter().map(|g| g.workload).collect();
    let (lo, hi) = loads.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &l| (lo.min(l), hi.max(l)));
    let q = p.quality(&park, Limits::default());
    eprintln!("weighted: loads {lo}..{hi}, CV {:.4}, PP {:.3}/{:.3}", q.workload_cv, q.compactness_mean, q.compactness_min);
    assert!(hi - lo < 2.0 + 1e-9, "workloads {lo}..{hi}");
    assert_eq!((q.in_pieces, q.outside_limits), (0, 0));
}
