//! Photos at scale (issue 17): what 10,000 photos do to a PostgreSQL database — its size, the
//! time of a backup, the field-data load — to decide whether they stay in it.
//!
//!   DATABASE_URL=postgres://… cargo run --release -p server --example photo_scale -- [--photos 10000] [--kb 250]
//!
//! In a fresh database (created next to `DATABASE_URL`'s, dropped at the end) with the demo park:
//! the 19 workers send `--photos` findings with one photo each through sync (an open finding's
//! photos are listed in its worker's field data; all but the newest 20 findings of each worker
//! are then closed, as a park's are after some months), the field data is measured; then the
//! photos' bytes are stored as the resumable upload stores them (256 KB chunks, the field app's;
//! incompressible bytes, as a JPEG's are) and everything is measured again: the database's size,
//! `pg_dump --format=custom` (the time and the file), a worker's field-data load (p50/p95 of 40).

#[path = "../tests/support/mod.rs"]
mod support;

use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use std::time::{Duration, Instant};

const CHUNK: usize = 256 * 1024;

fn arg(name: &str, default: usize) -> usize {
    let v: Vec<String> = std::env::args().collect();
    v.windows(2).find(|w| w[0] == name).and_then(|w| w[1].parse().ok()).unwrap_or(default)
}

/// Bytes that do not compress (a JPEG's do not): a xorshift stream seeded by the photo.
fn photo_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

async fn scalar(db: &store::DatabaseConnection, sql: &str) -> i64 {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.expect("query").expect("a row");
    row.try_get_by_index::<i64>(0).expect("a number")
}

fn p(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * q).round() as usize]
}

/// p50 and p95 of 40 field-data loads by worker01, in ms.
async fn field_loads(base: &str) -> (f64, f64, usize) {
    let client = support::browser();
    let r = client.post(format!("{base}/api/v1/session")).json(&json!({ "login": "worker01", "password": support::PASSWORD })).send().await.expect("sign in");
    assert!(r.status().is_success());
    let mut ms = Vec::new();
    let mut bytes = 0;
    for _ in 0..40 {
        let t = Instant::now();
        let body = client.get(format!("{base}/api/v1/my/field")).send().await.expect("field").bytes().await.expect("body");
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        bytes = body.len();
    }
    (p(&mut ms, 0.5), p(&mut ms, 0.95), bytes)
}

/// `pg_dump --format=custom` of the database: seconds and bytes.
fn dump(url: &str) -> (f64, u64) {
    let out = std::env::temp_dir().join(format!("photo_scale_{}.dump", std::process::id()));
    let t = Instant::now();
    let status = std::process::Command::new("pg_dump").args(["--format=custom", "--file"]).arg(&out).arg(url).status().expect("pg_dump runs");
    assert!(status.success(), "pg_dump failed");
    let secs = t.elapsed().as_secs_f64();
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    let _ = std::fs::remove_file(&out);
    (secs, size)
}

async fn report(label: &str, db: &support::TestDb, base: &str) {
    let size = scalar(&db.conn, "SELECT pg_database_size(current_database())").await;
    let photos = scalar(&db.conn, "SELECT pg_total_relation_size('photo_chunk')").await;
    let (p50, p95, body) = field_loads(base).await;
    let (secs, dump_bytes) = dump(&db.url);
    println!(
        "{label:<28} database {:>7.1} MB (photo_chunk {:>7.1} MB); pg_dump {:>5.1} s, {:>7.1} MB; worker01's field data p50 {p50:.1} ms, p95 {p95:.1} ms ({:.0} KB)",
        size as f64 / 1e6,
        photos as f64 / 1e6,
        secs,
        dump_bytes as f64 / 1e6,
        body as f64 / 1e3
    );
}

#[tokio::main]
async fn main() {
    let (n, kb) = (arg("--photos", 10_000), arg("--kb", 250));
    let Some(support::Engine::Postgres(url)) = support::engines().into_iter().find(|e| matches!(e, support::Engine::Postgres(_))) else {
        eprintln!("photo_scale measures PostgreSQL: set DATABASE_URL=postgres://…");
        std::process::exit(2);
    };
    let db = support::fresh_db(&support::Engine::Postgres(url.clone())).await;
    support::load_demo(&db.conn).await;
    let base = support::start_server(&db.url).await;
    println!("{n} photos of {kb} KB on PostgreSQL ({})", db.url.rsplit('@').next().unwrap_or_default());
    report("demo park, no photos", &db, &base).await;

    // The findings, each with one photo announced, sent by the 19 workers in batches of 50.
    let t0 = Instant::now();
    let mut photos: Vec<(String, usize)> = Vec::with_capacity(n);
    let per_worker = n.div_ceil(19);
    for w in 0..19 {
        let client = support::browser();
        let login = format!("worker{:02}", w + 1);
        client.post(format!("{base}/api/v1/session")).json(&json!({ "login": login, "password": support::PASSWORD })).send().await.expect("sign in");
        let data: api::FieldData = client.get(format!("{base}/api/v1/my/field")).send().await.expect("field").json().await.expect("field data");
        let count = per_worker.min(n - photos.len());
        let records: Vec<serde_json::Value> = (0..count)
            .map(|i| {
                let e = &data.enterprises[i % data.enterprises.len()];
                let size = kb * 1024 - (i * 37) % 4096;
                let photo = uuid::Uuid::now_v7().to_string();
                let t = (chrono::Utc::now() - chrono::Duration::minutes((count - i) as i64)).to_rfc3339();
                photos.push((photo.clone(), size));
                json!({ "type": "finding", "id": uuid::Uuid::now_v7().to_string(), "enterprise_id": e.id, "kind": "solid_waste", "description": "固废堆放",
                        "found_at": t, "fix": { "lon": e.lon, "lat": e.lat },
                        "photos": [{ "id": photo, "content_type": "image/jpeg", "size": size, "taken_at": t }] })
            })
            .collect();
        for batch in records.chunks(50) {
            let r = client.post(format!("{base}/api/v1/sync")).json(&json!({ "records": batch })).send().await.expect("sync");
            assert!(r.status().is_success(), "sync {}", r.status());
        }
    }
    // All but each worker's newest 20 findings closed.
    db.conn
        .execute_unprepared(
            "UPDATE finding SET status = 'closed', closed_at = now() WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY worker_id ORDER BY found_at DESC) AS k FROM finding) r WHERE k > 20)",
        )
        .await
        .expect("close");
    println!("  {} findings sent in {:.1} s", photos.len(), t0.elapsed().as_secs_f64());
    report("findings, photos announced", &db, &base).await;

    // The bytes, chunk by chunk as the upload stores them, then each photo marked complete.
    let t1 = Instant::now();
    let backend = db.conn.get_database_backend();
    for (k, (id, size)) in photos.iter().enumerate() {
        let bytes = photo_bytes(k as u64 + 1, *size);
        for (c, chunk) in bytes.chunks(CHUNK).enumerate() {
            db.conn
                .execute_raw(Statement::from_sql_and_values(
                    backend,
                    "INSERT INTO photo_chunk (photo_id, byte_offset, data) VALUES ($1, $2, $3)",
                    [id.clone().into(), ((c * CHUNK) as i64).into(), chunk.to_vec().into()],
                ))
                .await
                .expect("chunk");
        }
        db.conn
            .execute_raw(Statement::from_sql_and_values(backend, "UPDATE photo SET received = size, completed_at = now() WHERE id = $1", [id.clone().into()]))
            .await
            .expect("complete");
    }
    let secs = t1.elapsed().as_secs_f64();
    println!("  {} photos' bytes stored in {secs:.1} s ({:.1} MB/s)", photos.len(), (photos.iter().map(|p| p.1).sum::<usize>() as f64 / 1e6) / secs);
    tokio::time::sleep(Duration::from_secs(1)).await;
    report("with the photos' bytes", &db, &base).await;
    let name = db.url.rsplit('/').next().unwrap_or_default().to_owned();
    drop(db);
    let admin = store::db::connect(&url).await.expect("admin");
    let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
}
