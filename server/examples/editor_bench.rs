//! The plan editor's budget (issue 16): on the Taoyuan city (10,492 real factories) with a
//! plan of ~700 grids, one edit's preview (move a corner, split, merge, rebalance two grids)
//! ≤ 100 ms server time p95, loading the editor ≤ 500 ms; and the figures of a ~2,000-grid plan.
//!   cargo run --release -p server --example editor_bench [-- PATH/taoyuan_factories.geojson]
//! With `DATABASE_URL=postgres://…` set, runs on PostgreSQL as well. Each request is timed as
//! the page's request reaches the store: the grids parsed from the JSON the page sends, the
//! store's work, and the JSON the server writes.

#[path = "../tests/support/mod.rs"]
mod support;
mod taoyuan;

use api::{EditGrid, EditOp, PlanPreview};
use geo::{BoundingRect, Centroid, Intersects, MultiPolygon};
use std::time::Instant;

const RUNS: usize = 20;

fn area(g: &EditGrid) -> MultiPolygon<f64> {
    domain::geometry::boundary_from_geometry_json(&g.geometry).expect("a grid's geometry").multi_polygon().clone()
}

/// Two grids sharing an edge (more than a point), for merge and rebalance.
fn neighbours(grids: &[EditGrid], skip: usize) -> (String, String) {
    let areas: Vec<MultiPolygon<f64>> = grids.iter().map(area).collect();
    let mut found = 0;
    for i in 0..areas.len() {
        for j in (i + 1)..areas.len() {
            let (Some(a), Some(b)) = (areas[i].bounding_rect(), areas[j].bounding_rect()) else { continue };
            if !a.intersects(&b) {
                continue;
            }
            let shared = areas[i].0.iter().flat_map(|p| p.exterior().0.iter()).filter(|c| areas[j].0.iter().any(|q| q.exterior().0.contains(c))).count();
            if shared >= 3 {
                if found == skip {
                    return (grids[i].code.clone(), grids[j].code.clone());
                }
                found += 1;
            }
        }
    }
    panic!("no two neighbouring grids")
}

/// A corner shared by two grids, and a point a metre or so from it towards the first grid's middle.
fn corner_move(grids: &[EditGrid], k: usize) -> ([f64; 2], [f64; 2]) {
    let (a, b) = neighbours(grids, k);
    let ga = area(grids.iter().find(|g| g.code == a).expect("a"));
    let gb = area(grids.iter().find(|g| g.code == b).expect("b"));
    let c = ga.0.iter().flat_map(|p| p.exterior().0.iter()).find(|c| gb.0.iter().any(|q| q.exterior().0.contains(c))).expect("a shared corner");
    let mid = ga.centroid().expect("a middle");
    let d = ((mid.x() - c.x).powi(2) + (mid.y() - c.y).powi(2)).sqrt().max(1e-12);
    let step = 1e-5 / d;
    ([c.x, c.y], [c.x + (mid.x() - c.x) * step, c.y + (mid.y() - c.y) * step])
}

/// A line across grid `i` through its middle, west to east, starting and ending just outside it.
fn split_line(grids: &[EditGrid], i: usize) -> Vec<[f64; 2]> {
    let g = area(&grids[i]);
    let r = g.bounding_rect().expect("a box");
    let mid = g.centroid().expect("a middle");
    let w = r.width();
    vec![[r.min().x - w * 0.01, mid.y()], [r.max().x + w * 0.01, mid.y()]]
}

/// One preview as `edit_plan` answers it: the grids parsed from the JSON text the page sends,
/// the preview, its JSON. (The form decoding of the request around that text is not counted.)
async fn timed(conn: &sea_orm::DatabaseConnection, kept: &store::editor::Contexts, plan: i64, grids_json: &str, op: &EditOp) -> (f64, PlanPreview) {
    let t = Instant::now();
    let grids: Vec<EditGrid> = serde_json::from_str(grids_json).expect("the grids parse");
    let p = store::editor::preview(conn, kept, plan, grids, op.clone()).await.expect("preview");
    let json = serde_json::to_vec(&p).expect("json");
    std::hint::black_box(json);
    (t.elapsed().as_secs_f64() * 1e3, p)
}

#[tokio::main]
async fn main() {
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).init();
    }
    let records = taoyuan::records();
    for engine in support::engines() {
        let db = support::fresh_db(&engine).await;
        let conn = &db.conn;
        let city = taoyuan::load(conn, &records).await;
        let kept = store::editor::Contexts::default();
        for (min, max) in [(10u32, 20u32), (4, 6)] {
            let t = Instant::now();
            let plan = store::plans::compute_draft(conn, city.park.id, partition::Limits { min, max }, None, None).await.expect("a draft");
            let computed = t.elapsed().as_secs_f64();
            let mut load = Vec::new();
            let mut editor = None;
            for _ in 0..5 {
                let t = Instant::now();
                let e = store::editor::load(conn, &kept, plan.id).await.expect("loads");
                let json = serde_json::to_vec(&e).expect("json");
                load.push(t.elapsed().as_secs_f64() * 1e3);
                editor = Some((e, json.len()));
            }
            let (editor, bytes) = editor.expect("loaded");
            let grids: Vec<EditGrid> = editor.preview.grids.iter().map(|g| EditGrid { code: g.code.clone(), geometry: g.geometry.clone() }).collect();
            println!(
                "{:<8} {} grids ({min}–{max}, computed in {computed:.1} s), {} problems; load: {} ; {} KB JSON",
                db.engine,
                grids.len(),
                editor.preview.problems.len(),
                taoyuan::percentiles(load),
                bytes / 1024
            );
            let mut none = Vec::new();
            let mut corner = Vec::new();
            let mut split = Vec::new();
            let mut merge = Vec::new();
            let mut rebalance = Vec::new();
            let mut refused = 0;
            let grids_json = serde_json::to_string(&grids).expect("json");
            for k in 0..RUNS {
                let step = grids.len() / RUNS;
                let (a, b) = neighbours(&grids, k * 7);
                let (from, to) = corner_move(&grids, k * 7 + 3);
                let ops = [
                    (&mut none, EditOp::None),
                    (&mut corner, EditOp::MoveVertex { from, to }),
                    (&mut split, EditOp::Split { line: split_line(&grids, k * step) }),
                    (&mut merge, EditOp::Merge { a: a.clone(), b: b.clone() }),
                    (&mut rebalance, EditOp::Rebalance { grids: vec![a, b] }),
                ];
                for (times, op) in ops {
                    let (ms, p) = timed(conn, &kept, plan.id, &grids_json, &op).await;
                    if let Some(r) = &p.refused {
                        refused += 1;
                        if std::env::var_os("SHOW_REFUSALS").is_some() {
                            println!("  refused {op:?}: {}", r.message);
                        }
                    }
                    times.push(ms);
                }
            }
            println!("{:<8}   no edit (figures): {}", db.engine, taoyuan::percentiles(none));
            println!("{:<8}   move a corner:     {}", db.engine, taoyuan::percentiles(corner));
            println!("{:<8}   split:             {}", db.engine, taoyuan::percentiles(split));
            println!("{:<8}   merge:             {}", db.engine, taoyuan::percentiles(merge));
            println!("{:<8}   rebalance two:     {}", db.engine, taoyuan::percentiles(rebalance));
            println!("{:<8}   ({refused} of {} edits refused)", db.engine, RUNS * 5);
        }
    }
}
