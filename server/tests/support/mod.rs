//! Test harness: the real server on port 0 with a fresh database per test, on every engine
//! configured (SQLite always; PostgreSQL too when `DATABASE_URL` is `postgres://…`), loaded
//! with the real demo park.
#![allow(dead_code)] // each test binary uses a different part of the harness

use reqwest::{Client, Response, StatusCode};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use server::config::Config;
use server::startup::Application;

pub const PASSWORD: &str = store::demo::PASSWORD;
const BOUNDARY: &str = include_str!("../../../data/demo/park_zhongli_industrial_area_boundary_derived.geojson");
const FACTORIES: &str = include_str!("../../../data/demo/park_zhongli_industrial_area_factories.geojson");

#[derive(Clone, Debug)]
pub enum Engine {
    Sqlite,
    Postgres(String),
}

/// SQLite, and PostgreSQL when `DATABASE_URL` names one.
pub fn engines() -> Vec<Engine> {
    let mut v = vec![Engine::Sqlite];
    if let Ok(url) = std::env::var("DATABASE_URL") {
        if url.starts_with("postgres") {
            v.push(Engine::Postgres(url));
        }
    }
    v
}

/// A fresh, migrated, empty database.
pub struct TestDb {
    pub url: String,
    pub engine: &'static str,
    pub conn: DatabaseConnection,
    _dir: Option<tempfile::TempDir>,
}

pub async fn fresh_db(engine: &Engine) -> TestDb {
    let db = empty_db(engine).await;
    store::db::migrate(&db.conn).await.expect("migrate");
    db
}

/// A fresh database with no schema yet (for tests of the migrations themselves).
pub async fn empty_db(engine: &Engine) -> TestDb {
    let (url, engine_name, dir) = match engine {
        Engine::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            (format!("sqlite://{}/parkgrid.db", dir.path().display()), "sqlite", Some(dir))
        }
        Engine::Postgres(base) => {
            let name = format!("parkgrid_test_{}", uuid::Uuid::now_v7().simple());
            let admin = store::db::connect(base).await.expect("connect to PostgreSQL");
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
            let (prefix, _) = base.rsplit_once('/').expect("a database URL has a path");
            (format!("{prefix}/{name}"), "postgres", None)
        }
    };
    let conn = store::db::connect(&url).await.expect("connect");
    TestDb { url, engine: engine_name, conn, _dir: dir }
}

/// How many grids the demo park's active plan has: what the partitioner makes of it with the
/// limits of 5.3.1. Tests ask it rather than write the number down.
pub fn demo_grids() -> usize {
    let boundary = domain::Boundary::from_geojson_str(BOUNDARY).expect("demo boundary");
    let sites: Vec<partition::Site> = domain::enterprise::parse_geojson(FACTORIES)
        .expect("demo factories")
        .into_iter()
        .map(|r| partition::Site { id: r.external_id, lon: r.position.lon, lat: r.position.lat, weight: r.weight.unwrap_or(1.0) })
        .collect();
    partition::partition(boundary.multi_polygon(), &sites, partition::Limits::default(), store::demo::PARK_CODE).expect("the demo park partitions").grids.len()
}

/// Loads the real demo park (556 factories, its grids, demo accounts).
pub async fn load_demo(db: &DatabaseConnection) {
    let boundary = domain::Boundary::from_geojson_str(BOUNDARY).expect("demo boundary");
    let records = domain::enterprise::parse_geojson(FACTORIES).expect("demo factories");
    store::demo::load(db, boundary, records).await.expect("demo loads");
}

pub struct TestApp {
    pub base: String,
    pub db: TestDb,
    /// A client that keeps cookies, like a browser.
    pub client: Client,
}

/// Starts the real application on a free port over an existing database.
pub async fn start_server(url: &str) -> String {
    start_server_with(url, None).await
}

/// Like [`start_server`], serving the PMTiles archive `basemap` at `/tiles/{z}/{x}/{y}`.
pub async fn start_server_with(url: &str, basemap: Option<&str>) -> String {
    start(url, basemap, false).await
}

/// Like [`start_server`], behind a (pretended) reverse proxy: the client's address is taken
/// from `X-Forwarded-For`.
pub async fn start_server_behind_proxy(url: &str) -> String {
    start(url, None, true).await
}

async fn start(url: &str, basemap: Option<&str>, trust_proxy: bool) -> String {
    let app = Application::build(config(url, basemap, trust_proxy)).await.expect("application builds");
    let base = format!("http://{}", app.addr());
    tokio::spawn(app.run());
    base
}

/// A server of several sharing one database: its jobs (the deadline sweep) tried every
/// `jobs_every`. It stops gracefully when `stop` is sent (or dropped); the handle ends then.
pub struct Peer {
    pub base: String,
    pub stop: tokio::sync::oneshot::Sender<()>,
    pub served: tokio::task::JoinHandle<std::io::Result<()>>,
}

pub async fn start_peer(url: &str, jobs_every: std::time::Duration) -> Peer {
    let app = Application::build(Config { jobs_every, ..config(url, None, false) }).await.expect("application builds");
    let base = format!("http://{}", app.addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    Peer { base, stop, served }
}

fn config(url: &str, basemap: Option<&str>, trust_proxy: bool) -> Config {
    Config {
        database_url: url.to_owned(),
        site_addr: "127.0.0.1:0".parse().expect("addr"),
        site_root: "target/site".into(),
        secure_cookie: false,
        basemap_pmtiles: basemap.map(str::to_owned),
        basemap_url: None,
        basemap_attribution: None,
        trust_proxy,
        jobs_every: server::config::DEFAULT_JOBS_EVERY,
    }
}

pub async fn spawn_app(engine: &Engine) -> TestApp {
    let db = fresh_db(engine).await;
    load_demo(&db.conn).await;
    let base = start_server(&db.url).await;
    TestApp { base, db, client: browser() }
}

/// The refusal a server function's error carries: `refused:` and its `api::Refused` in JSON.
pub fn refusal_in(body: &str) -> Option<api::Refused> {
    let json = &body[body.find("refused:")? + "refused:".len()..];
    serde_json::Deserializer::from_str(json).into_iter::<api::Refused>().next()?.ok()
}

/// A JPEG's first bytes and a filler that depends on the photo, so that a chunk stored at the
/// wrong place would be seen.
pub fn jpeg_like(seed: usize, len: usize) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01];
    b.extend((0..len.saturating_sub(12)).map(|i| ((i * 31 + seed * 7) % 251) as u8));
    b
}

/// Uploads a photo from where the server stands, in 16 KB chunks.
pub async fn upload_photo(client: &reqwest::Client, base: &str, id: &str, bytes: &[u8]) -> Result<(), String> {
    let url = format!("{base}/api/v1/photos/{id}");
    loop {
        let head = client.head(&url).send().await.map_err(|e| e.to_string())?;
        if !head.status().is_success() {
            return Err(format!("HEAD {}", head.status()));
        }
        let offset: usize = head.headers().get("upload-offset").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).unwrap_or(0);
        if offset >= bytes.len() {
            return Ok(());
        }
        let end = (offset + 16 * 1024).min(bytes.len());
        let r = client.put(&url).header("upload-offset", offset.to_string()).body(bytes[offset..end].to_vec()).send().await.map_err(|e| e.to_string())?;
        if !(r.status().is_success() || r.status() == reqwest::StatusCode::CONFLICT) {
            return Err(format!("PUT {}", r.status()));
        }
    }
}

pub fn browser() -> Client {
    Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn sign_in_with(&self, client: &Client, login: &str, password: &str) -> Response {
        client.post(self.url("/api/v1/session")).json(&serde_json::json!({ "login": login, "password": password })).send().await.expect("request")
    }

    /// Signs the test's client in; panics unless it worked.
    pub async fn sign_in(&self, login: &str) {
        let r = self.sign_in_with(&self.client, login, PASSWORD).await;
        assert_eq!(r.status(), StatusCode::OK, "{login} signs in on {}", self.db.engine);
    }

    /// A page, as a browser asks for it.
    pub async fn page(&self, path: &str) -> Response {
        self.client.get(self.url(path)).header("Accept", "text/html").send().await.expect("request")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }
}

/// A fresh record id, as a phone makes it (UUID v7).
pub fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The status of each receipt, in order.
pub fn statuses(receipts: &[api::Receipt]) -> Vec<api::ReceiptStatus> {
    receipts.iter().map(|r| r.status).collect()
}

impl TestApp {
    /// An enterprise of the signed-in worker's grid, from the field data their phone gets:
    /// (id, lon, lat).
    pub async fn my_enterprise(&self) -> (i64, f64, f64) {
        let data: api::FieldData = self.get("/api/v1/my/field").await.json().await.expect("field data");
        let e = data.enterprises.first().expect("the worker's grid has enterprises");
        (e.id, e.lon, e.lat)
    }

    /// Sends records as the signed-in worker's phone does; the receipts.
    pub async fn sync(&self, records: &[serde_json::Value]) -> Vec<api::Receipt> {
        let r = self.client.post(self.url("/api/v1/sync")).json(&serde_json::json!({ "records": records })).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::OK);
        r.json::<api::SyncReply>().await.expect("reply").receipts
    }
}

/// Runs an async test body once per configured engine.
#[macro_export]
macro_rules! on_every_engine {
    ($body:ident) => {
        for engine in support::engines() {
            $body(support::spawn_app(&engine).await).await;
        }
    };
}
