//! Failover under load (issue 17): simulated grid workers against the cluster of
//! `scripts/cluster.sh`, through its load balancer, while scheduled events (a parkgrid server
//! killed, the primary database killed) happen in the middle.
//!
//!   cargo run --release -p server --example cluster_load -- [--phones 500] [--seconds 600]
//!       [--every 30] [--visits 4] [--photo-kb 60] [--event 180:'scripts/cluster.sh kill-server 2'] …
//!
//! Each phone signs in (as one of the demo park's 19 workers: several phones share an
//! account, each with its own session), loads its grid's field data, and every `--every`
//! seconds sends a batch of `--visits` visits and one finding with a photo, then uploads the
//! photo (resumable, in 16 KB chunks); every fourth round it loads its field data again. A
//! request that fails is retried every second until the server answers for it — as the field
//! app's outbox does. Phones start evenly spread over the first round.
//!
//! At the end, every record and photo a server acknowledged is looked for in the database (through
//! HAProxy, i.e. on whichever node is the primary then): each record must be there exactly once,
//! each photo complete. Prints the error window after each event, throughput and p50/p99 of sync
//! and of the field-data load before and after the last event, and the memory of each parkgrid
//! server process; exits non-zero on any loss.

#[path = "../tests/support/mod.rs"]
mod support;

use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

const ACCOUNTS: usize = 19;

struct Args {
    base: String,
    database: String,
    cluster_dir: String,
    phones: usize,
    seconds: u64,
    every: u64,
    visits: usize,
    photo_kb: usize,
    events: Vec<(u64, String)>,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        base: "http://127.0.0.1:8080".into(),
        database: "postgres://parkgrid:parkgrid@127.0.0.1:5000/parkgrid".into(),
        cluster_dir: std::env::var("PARKGRID_CLUSTER_DIR").unwrap_or_else(|_| "/var/tmp/parkgrid-cluster".into()),
        phones: 500,
        seconds: 600,
        every: 30,
        visits: 4,
        photo_kb: 60,
        events: Vec::new(),
    };
    let v: Vec<String> = std::env::args().skip(1).collect();
    let mut it = v.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || value.parse::<u64>().map_err(|_| format!("{flag}: `{value}` is not a whole number"));
        match flag.as_str() {
            "--base" => a.base = value.clone(),
            "--database" => a.database = value.clone(),
            "--cluster-dir" => a.cluster_dir = value.clone(),
            "--phones" => a.phones = number()?.max(1) as usize,
            "--seconds" => a.seconds = number()?,
            "--every" => a.every = number()?.max(1),
            "--visits" => a.visits = number()? as usize,
            "--photo-kb" => a.photo_kb = number()?.max(1) as usize,
            "--event" => {
                let (at, cmd) = value.split_once(':').ok_or_else(|| format!("--event `{value}`: expected SECONDS:COMMAND"))?;
                let at = at.trim().parse().map_err(|_| format!("--event `{value}`: `{at}` is not a number of seconds"))?;
                a.events.push((at, cmd.to_owned()));
            }
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    a.events.sort_by_key(|e| e.0);
    Ok(a)
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Kind {
    SignIn,
    Field,
    Sync,
    Photo,
}

/// One request as the phone saw it: when it ended (seconds from the start), how long it took,
/// whether the server answered for it.
#[derive(Clone, Copy)]
struct Sample {
    at: f64,
    kind: Kind,
    ms: f64,
    ok: bool,
}

#[derive(Default)]
struct Log {
    samples: Vec<Sample>,
    /// (seconds from the start, records acknowledged then)
    acked: Vec<(f64, usize)>,
    records: Vec<String>,
    photos: Vec<String>,
}

struct Shared {
    start: Instant,
    log: Mutex<Log>,
    stop: AtomicBool,
}

impl Shared {
    fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    async fn sample(&self, kind: Kind, began: Instant, ok: bool) {
        let s = Sample { at: self.now(), kind, ms: began.elapsed().as_secs_f64() * 1000.0, ok };
        self.log.lock().await.samples.push(s);
    }
}


/// Retries `attempt` every second until it succeeds (or the run is over), logging each try.
async fn until_ok<T, F, Fut>(shared: &Shared, kind: Kind, mut attempt: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, String>>,
{
    loop {
        let began = Instant::now();
        match attempt().await {
            Ok(v) => {
                shared.sample(kind, began, true).await;
                return Some(v);
            }
            Err(_) => {
                shared.sample(kind, began, false).await;
                if shared.stop.load(Ordering::SeqCst) {
                    return None;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

async fn sign_in(client: &reqwest::Client, base: &str, login: &str) -> Result<(), String> {
    let r = client.post(format!("{base}/api/v1/session")).json(&json!({ "login": login, "password": support::PASSWORD })).send().await.map_err(|e| e.to_string())?;
    if r.status().is_success() { Ok(()) } else { Err(format!("sign-in {}", r.status())) }
}

async fn field_data(client: &reqwest::Client, base: &str) -> Result<api::FieldData, String> {
    let r = client.get(format!("{base}/api/v1/my/field")).send().await.map_err(|e| e.to_string())?;
    if !r.status().is_success() {
        return Err(format!("field {}", r.status()));
    }
    r.json().await.map_err(|e| e.to_string())
}

async fn sync(client: &reqwest::Client, base: &str, body: &str, login: &str) -> Result<(), String> {
    let r =
        client.post(format!("{base}/api/v1/sync")).header("content-type", "application/json").body(body.to_owned()).send().await.map_err(|e| e.to_string())?;
    if r.status() == reqwest::StatusCode::UNAUTHORIZED {
        // A session the servers no longer know would be a lost session: counted as a failure,
        // then the phone signs in again.
        let _ = sign_in(client, base, login).await;
        return Err("sync 401: signed in again".into());
    }
    if !r.status().is_success() {
        return Err(format!("sync {}", r.status()));
    }
    let reply: api::SyncReply = r.json().await.map_err(|e| e.to_string())?;
    match reply.receipts.iter().find(|x| !matches!(x.status, api::ReceiptStatus::Created | api::ReceiptStatus::Duplicate)) {
        // A refusal is not a failover: it would be refused again; stop the run loudly.
        Some(refused) => panic!("a record was refused: {refused:?}"),
        None => Ok(()),
    }
}


async fn phone(n: usize, a: Arc<Args>, run: String, shared: Arc<Shared>) {
    let login = format!("worker{:02}", n % ACCOUNTS + 1);
    let client = reqwest::Client::builder().cookie_store(true).timeout(Duration::from_secs(30)).build().expect("an HTTP client");
    let base = a.base.as_str();
    // Spread evenly over the first round.
    tokio::time::sleep(Duration::from_secs_f64(a.every as f64 * n as f64 / a.phones as f64)).await;
    if until_ok(&shared, Kind::SignIn, || sign_in(&client, base, &login)).await.is_none() {
        return;
    }
    let Some(mut data) = until_ok(&shared, Kind::Field, || field_data(&client, base)).await else { return };
    let mut round = 0usize;
    let mut next = Instant::now();
    while !shared.stop.load(Ordering::SeqCst) {
        round += 1;
        if data.enterprises.is_empty() {
            return;
        }
        let t = chrono::Utc::now().to_rfc3339();
        let mut ids = Vec::new();
        let mut records: Vec<Value> = (0..a.visits)
            .map(|i| {
                let e = &data.enterprises[(round * (a.visits + 1) + i) % data.enterprises.len()];
                let id = uuid::Uuid::now_v7().to_string();
                ids.push(id.clone());
                json!({ "type": "visit", "id": id, "enterprise_id": e.id, "started_at": t, "ended_at": t, "met": "", "notes": run, "demands": [] })
            })
            .collect();
        let e = &data.enterprises[(round * (a.visits + 1) + a.visits) % data.enterprises.len()];
        let (finding, photo) = (uuid::Uuid::now_v7().to_string(), uuid::Uuid::now_v7().to_string());
        let bytes = support::jpeg_like(n * 1_000 + round, a.photo_kb * 1024);
        records.push(json!({ "type": "finding", "id": finding, "enterprise_id": e.id, "kind": "noise", "description": run, "found_at": t,
            "fix": { "lon": e.lon, "lat": e.lat },
            "photos": [{ "id": photo, "content_type": "image/jpeg", "size": bytes.len(), "taken_at": t }] }));
        ids.push(finding);
        let body = json!({ "records": records }).to_string();
        let synced = until_ok(&shared, Kind::Sync, || sync(&client, base, &body, &login)).await;
        if synced.is_none() {
            return;
        }
        {
            let mut log = shared.log.lock().await;
            let at = shared.now();
            log.acked.push((at, ids.len()));
            log.records.extend(ids);
        }
        if until_ok(&shared, Kind::Photo, || support::upload_photo(&client, base, &photo, &bytes)).await.is_some() {
            shared.log.lock().await.photos.push(photo);
        }
        if round % 4 == 0 {
            match until_ok(&shared, Kind::Field, || field_data(&client, base)).await {
                Some(d) => data = d,
                None => return,
            }
        }
        next += Duration::from_secs(a.every);
        tokio::time::sleep_until(next.into()).await;
    }
}

fn rss_kb(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid.trim())).ok()?;
    status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()
}

/// The memory of each parkgrid server of the cluster, as "web1 41 MB, web2 …".
fn memory(cluster_dir: &str) -> String {
    let mut out = Vec::new();
    for n in 1..=9 {
        let Ok(pid) = std::fs::read_to_string(format!("{cluster_dir}/web{n}.pid")) else { continue };
        out.push(match rss_kb(&pid) {
            Some(kb) => format!("web{n} {:.0} MB", kb as f64 / 1024.0),
            None => format!("web{n} down"),
        });
    }
    out.join(", ")
}

fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn ms(v: &[f64], p: f64) -> String {
    if v.is_empty() { "—".into() } else { format!("{:.0} ms", percentile(v.to_vec(), p)) }
}

fn figures(log: &Log, from: f64, to: f64) -> String {
    let ok = |k: Kind| log.samples.iter().filter(|s| s.ok && s.kind == k && s.at >= from && s.at < to).map(|s| s.ms).collect::<Vec<_>>();
    let (sync, field) = (ok(Kind::Sync), ok(Kind::Field));
    let records: usize = log.acked.iter().filter(|(at, _)| *at >= from && *at < to).map(|(_, n)| n).sum();
    format!(
        "{:>5.0}–{:<5.0} s: {:.1} records/s acknowledged; sync p50 {} p99 {} ({} ok); field data p50 {} p99 {} ({} ok)",
        from,
        to,
        records as f64 / (to - from).max(1.0),
        ms(&sync, 0.5),
        ms(&sync, 0.99),
        sync.len(),
        ms(&field, 0.5),
        ms(&field, 0.99),
        field.len()
    )
}

async fn verify(a: &Args, run: &str, log: &Log) -> Result<String, String> {
    let db = store::db::connect(&a.database).await.map_err(|e| format!("the database: {e}"))?;
    use sea_orm::{ConnectionTrait, Statement};
    let backend = db.get_database_backend();
    let ids = |sql: &'static str| {
        let db = &db;
        let run = run.to_owned();
        async move {
            let rows = db.query_all_raw(Statement::from_sql_and_values(backend, sql, [run.into()])).await.map_err(|e| e.to_string())?;
            rows.iter().map(|r| r.try_get_by_index::<String>(0).map_err(|e| e.to_string())).collect::<Result<Vec<_>, _>>()
        }
    };
    let mut stored = ids("SELECT id FROM visit WHERE notes = $1").await?;
    stored.extend(ids("SELECT id FROM finding WHERE description = $1").await?);
    let complete: HashSet<String> =
        ids("SELECT p.id FROM photo p JOIN finding f ON f.id = p.record_id WHERE f.description = $1 AND p.completed_at IS NOT NULL AND p.received = p.size")
            .await?
            .into_iter()
            .collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for id in &stored {
        *seen.entry(id.as_str()).or_default() += 1;
    }
    let twice = seen.values().filter(|&&c| c > 1).count();
    let missing = log.records.iter().filter(|id| !seen.contains_key(id.as_str())).count();
    let photos_missing = log.photos.iter().filter(|id| !complete.contains(*id)).count();
    let line = format!(
        "acknowledged {} records and {} photos; stored {} records ({} distinct), {} complete photos: {} acknowledged records missing, {} stored twice, {} acknowledged photos incomplete",
        log.records.len(),
        log.photos.len(),
        stored.len(),
        seen.len(),
        complete.len(),
        missing,
        twice,
        photos_missing
    );
    if missing == 0 && twice == 0 && photos_missing == 0 { Ok(line) } else { Err(line) }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let a = match args() {
        Ok(a) => Arc::new(a),
        Err(e) => {
            eprintln!("cluster_load: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let run = format!("load {}", uuid::Uuid::now_v7());
    let shared = Arc::new(Shared { start: Instant::now(), log: Mutex::new(Log::default()), stop: AtomicBool::new(false) });
    println!(
        "{} phones ({} accounts), a batch of {} visits + 1 finding with a {} KB photo every {} s, {} s; run `{run}`",
        a.phones,
        ACCOUNTS.min(a.phones),
        a.visits,
        a.photo_kb,
        a.every,
        a.seconds
    );
    println!("memory at the start: {}", memory(&a.cluster_dir));
    let phones: Vec<_> = (0..a.phones).map(|n| tokio::spawn(phone(n, a.clone(), run.clone(), shared.clone()))).collect();
    // The events, at their times.
    let mut marks = Vec::new();
    for (at, cmd) in &a.events {
        tokio::time::sleep_until((shared.start + Duration::from_secs(*at)).into()).await;
        let before = memory(&a.cluster_dir);
        let out = tokio::process::Command::new("sh").arg("-c").arg(cmd).output().await;
        let said = out.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned()).unwrap_or_else(|e| format!("could not run: {e}"));
        let t = shared.now();
        println!("{t:>6.1} s  {cmd}: {said}  (memory just before: {before})");
        marks.push((t, cmd.clone()));
    }
    tokio::time::sleep_until((shared.start + Duration::from_secs(a.seconds)).into()).await;
    let end = shared.now();
    let mem_end = memory(&a.cluster_dir);
    shared.stop.store(true, Ordering::SeqCst);
    // Phones finish what they were sending (each retried until answered).
    for p in phones {
        let _ = tokio::time::timeout(Duration::from_secs(120), p).await;
    }
    let log = shared.log.lock().await;

    println!("\nrequests: {} answered, {} failed and retried", log.samples.iter().filter(|s| s.ok).count(), log.samples.iter().filter(|s| !s.ok).count());
    let signin: Vec<f64> = log.samples.iter().filter(|s| s.ok && s.kind == Kind::SignIn).map(|s| s.ms).collect();
    println!("sign-in: {} ok, p50 {:.0} ms, p99 {:.0} ms", signin.len(), percentile(signin.clone(), 0.5), percentile(signin, 0.99));
    let mut bounds = vec![a.every as f64];
    for (i, (t, cmd)) in marks.iter().enumerate() {
        let until = marks.get(i + 1).map_or(end, |m| m.0);
        let failed: Vec<&Sample> = log.samples.iter().filter(|s| !s.ok && s.at >= *t && s.at < until).collect();
        let by_kind = |k: Kind| failed.iter().filter(|s| s.kind == k).count();
        match (failed.first(), failed.last()) {
            (Some(first), Some(last)) => println!(
                "after `{cmd}`: {} failed requests (sync {}, photo {}, field {}, sign-in {}) from {:+.1} s to {:+.1} s: an error window of {:.1} s",
                failed.len(),
                by_kind(Kind::Sync),
                by_kind(Kind::Photo),
                by_kind(Kind::Field),
                by_kind(Kind::SignIn),
                first.at - t,
                last.at - t,
                last.at - first.at
            ),
            _ => println!("after `{cmd}`: no failed request"),
        }
        bounds.push(*t);
    }
    bounds.push(end);
    for w in bounds.windows(2) {
        println!("{}", figures(&log, w[0], w[1]));
    }
    println!("memory at the end: {mem_end}");
    if let Ok(out) = std::process::Command::new("scripts/cluster.sh").arg("status").output() {
        print!("{}", String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.starts_with("balancer")).map(|l| format!("{l}\n")).collect::<String>());
    }
    match verify(&a, &run, &log).await {
        Ok(line) => {
            println!("{line} — nothing lost, nothing twice");
            std::process::ExitCode::SUCCESS
        }
        Err(line) => {
            println!("{line} — FAILED");
            std::process::ExitCode::FAILURE
        }
    }
}
