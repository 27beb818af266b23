//! The field sync's budget (issue 4): a batch of 500 records in ≤ 300 ms p99 on SQLite.
//! Runs the real server over a fresh demo database and sends batches as a phone would:
//!   cargo run --release -p server --example sync_bench [-- ROUNDS]
//! With `DATABASE_URL=postgres://…` set, runs on PostgreSQL as well. Prints one line per
//! engine: new batches (250 visits with a demand each + 250 findings) and resent batches
//! (all duplicates), p50 / p99 / max in milliseconds.

#[path = "../tests/support/mod.rs"]
mod support;

use serde_json::{Value, json};
use std::time::Instant;

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn batch(enterprise: i64, lon: f64, lat: f64) -> Vec<Value> {
    let t = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    (0..500)
        .map(|i| {
            if i % 2 == 0 {
                json!({ "type": "visit", "id": id(), "enterprise_id": enterprise, "started_at": t, "ended_at": t,
                        "fix": { "lon": lon, "lat": lat, "accuracy_m": 10.0 }, "met": "王经理", "notes": "例行走访",
                        "demands": [{ "id": id(), "category": "policy", "description": "咨询技改补贴政策" }], "satisfaction": 5 })
            } else {
                json!({ "type": "finding", "id": id(), "enterprise_id": enterprise, "kind": "solid_waste",
                        "description": "危废暂存间标识不清", "found_at": t, "fix": { "lon": lon, "lat": lat } })
            }
        })
        .collect()
}

fn percentiles(mut ms: Vec<f64>) -> String {
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() as f64 * p).ceil() as usize).saturating_sub(1).min(ms.len() - 1)];
    format!("p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms", at(0.5), at(0.99), at(1.0))
}

#[tokio::main]
async fn main() {
    let rounds: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(30);
    for engine in support::engines() {
        let app = support::spawn_app(&engine).await;
        app.sign_in("worker01").await;
        let data: api::FieldData = app.get("/api/v1/my/field").await.json().await.expect("field data");
        let e = data.enterprises.first().expect("an enterprise");
        let (mut fresh, mut resent) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            let records = batch(e.id, e.lon, e.lat);
            for times in [&mut fresh, &mut resent] {
                let started = Instant::now();
                let r = app.client.post(app.url("/api/v1/sync")).json(&json!({ "records": records })).send().await.expect("request");
                let reply: api::SyncReply = r.json().await.expect("reply");
                times.push(started.elapsed().as_secs_f64() * 1000.0);
                assert_eq!(reply.receipts.len(), 500);
                assert!(reply.receipts.iter().all(|r| r.status != api::ReceiptStatus::Rejected), "{:?}", reply.receipts.first());
            }
        }
        println!("{:<8} 500 new records: {}", app.db.engine, percentiles(fresh));
        println!("{:<8} 500 resent:      {}   ({rounds} batches each)", app.db.engine, percentiles(resent));
    }
}
