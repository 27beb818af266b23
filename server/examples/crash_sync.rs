//! Crash-safe sync, proven (issue 14): simulated phones send records with photos while the
//! server is killed with SIGKILL and restarted, connections are dropped mid-body, and every
//! batch is sent three times. Afterwards the database must hold every record exactly once and
//! every photo complete, byte for byte.
//!
//!   cargo run --release -p server --example crash_sync -- [--records 10000] [--phones 50] [--kills 5]
//!
//! Runs the release binary (`target/release/parkgrid`, built first) over a fresh SQLite file,
//! and over a fresh PostgreSQL database as well when `DATABASE_URL=postgres://…` is set.
//! Prints one line of figures per engine and exits non-zero on any loss or duplicate.
//! `scripts/crash-sync.sh` runs the full version; `scripts/test.sh` a short one.

#[path = "../tests/support/mod.rs"]
mod support;

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::sync::Mutex;

struct Args {
    records: usize,
    phones: usize,
    kills: usize,
}

fn args() -> Args {
    let mut a = Args { records: 10_000, phones: 50, kills: 5 };
    let v: Vec<String> = std::env::args().collect();
    for pair in v.windows(2) {
        let n = pair[1].parse().unwrap_or(0);
        match pair[0].as_str() {
            "--records" => a.records = n,
            "--phones" => a.phones = n.max(1),
            "--kills" => a.kills = n,
            _ => {}
        }
    }
    a
}


/// The server process, restarted after each kill on the same port and database.
struct Server {
    child: tokio::process::Child,
    url: String,
    port: u16,
}

async fn start(database_url: &str, port: u16) -> Server {
    let child = tokio::process::Command::new("target/release/parkgrid")
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("target/release/parkgrid runs (build it first)");
    let url = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if client.get(format!("{url}/ready")).send().await.is_ok_and(|r| r.status().is_success()) {
            return Server { child, url, port };
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not get ready");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

#[derive(Default)]
struct Counters {
    /// Records answered for (each of the three sends counts) and photos complete.
    acked: AtomicU64,
    requests: AtomicU64,
    failed_requests: AtomicU64,
    dropped_bodies: AtomicU64,
}

/// One phone: its worker's records, sent in batches (each three times), photos uploaded in
/// chunks with resume; every failure is retried until the server has answered for it.
async fn phone(n: usize, base: Arc<Mutex<String>>, records: usize, counters: Arc<Counters>) -> (Vec<String>, Vec<(String, Vec<u8>)>) {
    let login = format!("worker{:02}", n % 19 + 1);
    let client = support::browser();
    let url = |path: &str, base: &str| format!("{base}{path}");
    // Sign in (retrying across restarts).
    loop {
        let b = base.lock().await.clone();
        let r = client.post(url("/api/v1/session", &b)).json(&json!({ "login": login, "password": support::PASSWORD })).send().await;
        if r.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let data: api::FieldData = loop {
        let b = base.lock().await.clone();
        if let Ok(r) = client.get(url("/api/v1/my/field", &b)).send().await {
            if let Ok(d) = r.json().await {
                break d;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let t = (chrono::Utc::now() - chrono::Duration::minutes(30)).to_rfc3339();
    let mut ids = Vec::new();
    let mut photos = Vec::new();
    let all: Vec<Value> = (0..records)
        .map(|i| {
            let e = &data.enterprises[i % data.enterprises.len()];
            let id = uuid::Uuid::now_v7().to_string();
            ids.push(id.clone());
            if i % 4 == 0 {
                let photo_id = uuid::Uuid::now_v7().to_string();
                let bytes = support::jpeg_like(n * 100_000 + i, 12_000 + (i * 997) % 40_000);
                let meta = json!([{ "id": photo_id, "content_type": "image/jpeg", "size": bytes.len(), "taken_at": t }]);
                photos.push((photo_id, bytes));
                json!({ "type": "finding", "id": id, "enterprise_id": e.id, "kind": "noise", "description": "夜间噪声",
                        "found_at": t, "fix": { "lon": e.lon, "lat": e.lat }, "photos": meta })
            } else {
                json!({ "type": "visit", "id": id, "enterprise_id": e.id, "started_at": t, "ended_at": t, "met": "", "notes": "走访", "demands": [] })
            }
        })
        .collect();
    for batch in all.chunks(50) {
        let body = json!({ "records": batch }).to_string();
        for _ in 0..3 {
            loop {
                let b = base.lock().await.clone();
                // Now and then the connection drops mid-body first.
                if counters.requests.fetch_add(1, Ordering::Relaxed) % 7 == 0 {
                    drop_mid_body(&b, &body).await;
                    counters.dropped_bodies.fetch_add(1, Ordering::Relaxed);
                }
                let r = client.post(url("/api/v1/sync", &b)).header("content-type", "application/json").body(body.clone()).send().await;
                match r {
                    Ok(r) if r.status().is_success() => {
                        let reply: Result<api::SyncReply, _> = r.json().await;
                        match reply {
                            Ok(reply) if reply.receipts.iter().all(|x| matches!(x.status, api::ReceiptStatus::Created | api::ReceiptStatus::Duplicate)) => {
                                counters.acked.fetch_add(batch.len() as u64, Ordering::Relaxed);
                                break;
                            }
                            Ok(reply) => panic!(
                                "a record refused: {:?}",
                                reply.receipts.iter().find(|x| !matches!(x.status, api::ReceiptStatus::Created | api::ReceiptStatus::Duplicate))
                            ),
                            Err(_) => {} // the answer was cut: send again
                        }
                    }
                    _ => {}
                }
                counters.failed_requests.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    for (photo_id, bytes) in &photos {
        loop {
            let b = base.lock().await.clone();
            if support::upload_photo(&client, &b, photo_id, bytes).await.is_ok() {
                counters.acked.fetch_add(1, Ordering::Relaxed);
                break;
            }
            counters.failed_requests.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    (ids, photos)
}

/// Opens a connection, sends the headers and half the body of a sync, and closes it.
async fn drop_mid_body(base: &str, body: &str) {
    let addr = base.trim_start_matches("http://");
    if let Ok(mut s) = tokio::net::TcpStream::connect(addr).await {
        let head = format!("POST /api/v1/sync HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", body.len());
        let _ = s.write_all(head.as_bytes()).await;
        let _ = s.write_all(&body.as_bytes()[..body.len() / 2]).await;
    }
}


async fn count(db: &store::DatabaseConnection, sql: &str) -> i64 {
    let backend = db.get_database_backend();
    let row = db.query_one_raw(Statement::from_string(backend, sql)).await.expect("query").expect("a row");
    row.try_get_by_index::<i64>(0).expect("a count")
}

async fn run(engine: &support::Engine, a: &Args) -> bool {
    let db = support::fresh_db(engine).await;
    support::load_demo(&db.conn).await;
    let port = free_port();
    let server = Arc::new(Mutex::new(start(&db.url, port).await));
    let base = Arc::new(Mutex::new(server.lock().await.url.clone()));
    let counters = Arc::new(Counters::default());
    let done = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    // The killer: SIGKILL at evenly spaced points of the traffic (by records answered for, so
    // that every kill lands while phones are sending), then the same server again.
    let killer = {
        let (server, done, url, counters) = (server.clone(), done.clone(), db.url.clone(), counters.clone());
        // Each record counts three times (three sends), each photo once: kills fall in both.
        let (kills, sends) = (a.kills, 3 * a.records as u64 + a.records.div_ceil(4) as u64);
        tokio::spawn(async move {
            let mut k = 0;
            while k < kills && !done.load(Ordering::SeqCst) {
                let at = sends * (k as u64 + 1) / (kills as u64 + 1);
                if counters.acked.load(Ordering::Relaxed) < at {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                }
                let mut s = server.lock().await;
                let _ = s.child.start_kill();
                let _ = s.child.wait().await;
                k += 1;
                *s = start(&url, s.port).await;
            }
            k
        })
    };
    let per_phone = a.records / a.phones;
    let phones: Vec<_> = (0..a.phones)
        .map(|n| {
            let extra = if n < a.records % a.phones { 1 } else { 0 };
            tokio::spawn(phone(n, base.clone(), per_phone + extra, counters.clone()))
        })
        .collect();
    let mut ids = Vec::new();
    let mut photos: HashMap<String, Vec<u8>> = HashMap::new();
    for p in phones {
        let (i, ph) = p.await.expect("a phone finishes");
        ids.extend(i);
        photos.extend(ph);
    }
    done.store(true, Ordering::SeqCst);
    let kills = killer.await.unwrap_or(0);
    let seconds = started.elapsed().as_secs_f64();
    server.lock().await.child.start_kill().ok();

    // Every record once, every photo complete and equal to what the phone had.
    let records = count(&db.conn, "SELECT (SELECT count(*) FROM visit) + (SELECT count(*) FROM finding)").await;
    let distinct = ids.iter().collect::<std::collections::HashSet<_>>().len();
    let complete = count(&db.conn, "SELECT count(*) FROM photo WHERE completed_at IS NOT NULL AND received = size").await;
    let mut intact = 0;
    for (id, bytes) in &photos {
        let rows = db
            .conn
            .query_all_raw(Statement::from_sql_and_values(
                db.conn.get_database_backend(),
                if db.conn.get_database_backend() == DatabaseBackend::Sqlite {
                    "SELECT data FROM photo_chunk WHERE photo_id = ? ORDER BY byte_offset"
                } else {
                    "SELECT data FROM photo_chunk WHERE photo_id = $1 ORDER BY byte_offset"
                },
                [id.clone().into()],
            ))
            .await
            .expect("chunks");
        let stored: Vec<u8> = rows.iter().flat_map(|r| r.try_get_by_index::<Vec<u8>>(0).unwrap_or_default()).collect();
        if &stored == bytes {
            intact += 1;
        }
    }
    let ok = records as usize == a.records && distinct == a.records && complete as usize == photos.len() && intact == photos.len();
    println!(
        "{:<8} {} records from {} phones in {seconds:.1} s, {kills} SIGKILLs, {} dropped bodies, {} failed requests retried: \
         stored {records} (distinct sent {distinct}), photos complete {complete}/{}, byte-identical {intact}/{} — {}",
        db.engine,
        a.records,
        a.phones,
        counters.dropped_bodies.load(Ordering::Relaxed),
        counters.failed_requests.load(Ordering::Relaxed),
        photos.len(),
        photos.len(),
        if ok { "nothing lost, nothing twice" } else { "FAILED" }
    );
    ok
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let a = args();
    let mut ok = true;
    for engine in support::engines() {
        ok &= run(&engine, &a).await;
    }
    if ok { std::process::ExitCode::SUCCESS } else { std::process::ExitCode::FAILURE }
}
