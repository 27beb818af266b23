//! The `parkgrid` command line, run as an operator would.

use crate::support;

use std::path::Path;
use std::process::{Command, Output};

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/demo");

fn parkgrid(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parkgrid"))
        .args(args)
        .env("DATABASE_URL", format!("sqlite://{}/cli.db", dir.display()))
        .env("RUST_LOG", "warn")
        .output()
        .expect("parkgrid runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn importing_a_park_twice_creates_then_updates_the_same_enterprises() {
    let dir = tempfile::tempdir().expect("temp dir");
    let boundary = format!("{DEMO}/park_zhongli_industrial_area_boundary_derived.geojson");
    let factories = format!("{DEMO}/park_zhongli_industrial_area_factories.geojson");
    let args = ["import", "--code", "ZL", "--name", "Zhongli", "--boundary", &boundary, "--enterprises", &factories];
    let first = parkgrid(dir.path(), &args);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(text(&first.stdout).contains("created (556 enterprises created, 0 updated)"), "{}", text(&first.stdout));
    let second = parkgrid(dir.path(), &args);
    assert!(text(&second.stdout).contains("updated (0 enterprises created, 556 updated)"), "{}", text(&second.stdout));
}

#[test]
fn a_broken_csv_is_reported_line_by_line_with_exit_code_2_and_nothing_is_imported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("broken.csv");
    std::fs::write(&csv, "id,name,lon,lat\n1,Good,121.2385,24.9684\n2,,121.2385,24.9684\n3,Far away,500,24.9\n1,Again,121.2385,24.9684\n").expect("write csv");
    let boundary = format!("{DEMO}/park_zhongli_industrial_area_boundary_derived.geojson");
    let out = parkgrid(dir.path(), &["import", "--code", "ZL", "--name", "Zhongli", "--boundary", &boundary, "--enterprises", csv.to_str().unwrap_or("")]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("broken.csv: line 3: missing name"), "{err}");
    assert!(err.contains("broken.csv: line 4: (500, 24.9) is not a WGS84 longitude/latitude"), "{err}");
    assert!(err.contains("broken.csv: line 5: id \"1\" appears again (first at line 2)"), "{err}");
    // Nothing was written: the demo can still be loaded as if the database were new.
    let demo = parkgrid(dir.path(), &["demo", "--data", DEMO]);
    let loaded = format!("demo park loaded: 556 enterprises in {} grids", support::demo_grids());
    assert!(text(&demo.stdout).contains(&loaded), "{}", text(&demo.stdout));
}

#[test]
fn an_enterprise_outside_the_park_is_named_and_nothing_is_imported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("outside.csv");
    std::fs::write(&csv, "id,name,lon,lat\nin,Inside,121.238541,24.968412\nout,Taipei 101,121.5645,25.0340\n").expect("write csv");
    let boundary = format!("{DEMO}/park_zhongli_industrial_area_boundary_derived.geojson");
    let out = parkgrid(dir.path(), &["import", "--code", "ZL", "--name", "Zhongli", "--boundary", &boundary, "--enterprises", csv.to_str().unwrap_or("")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("line 3: (121.5645, 25.034) lies outside the park boundary"), "{}", text(&out.stderr));
}

#[test]
fn a_boundary_that_is_not_a_polygon_is_refused_with_the_file_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let factories = format!("{DEMO}/park_zhongli_industrial_area_factories.geojson");
    // The factories file is points, not a boundary.
    let out = parkgrid(dir.path(), &["import", "--code", "ZL", "--name", "Zhongli", "--boundary", &factories, "--enterprises", &factories]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("feature 0: expected a Polygon or MultiPolygon, found Point"), "{}", text(&out.stderr));
}

#[test]
fn the_demo_loads_once_and_keeps_its_data_the_second_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = parkgrid(dir.path(), &["demo", "--data", DEMO]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(text(&first.stdout).contains("manager"), "the demo sign-ins are printed");
    let second = parkgrid(dir.path(), &["demo", "--data", DEMO]);
    assert!(text(&second.stdout).contains("already loaded"), "{}", text(&second.stdout));
}

#[test]
fn partition_writes_grids_and_prints_their_quality() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("grids.geojson");
    let boundary = format!("{DEMO}/park_zhongli_industrial_area_boundary_derived.geojson");
    let factories = format!("{DEMO}/park_zhongli_industrial_area_factories.geojson");
    let run = parkgrid(dir.path(), &["partition", "--enterprises", &factories, "--boundary", &boundary, "--code", "ZL", "--out", out.to_str().unwrap_or("")]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let figures: serde_json::Value = serde_json::from_str(text(&run.stdout).trim()).expect("one JSON object on stdout");
    assert_eq!(figures["grids"], support::demo_grids());
    assert_eq!(figures["pieces"], 0);
    assert_eq!(figures["outside_limits"], 0);
    let grids: geojson::FeatureCollection = std::fs::read_to_string(&out).expect("grids written").parse().expect("GeoJSON");
    assert_eq!(grids.features.len(), support::demo_grids());
    let total: u64 = grids.features.iter().map(|f| f.property("enterprise_count").and_then(serde_json::Value::as_u64).unwrap_or(0)).sum();
    assert_eq!(total, 556);
    assert_eq!(grids.features[0].property("code"), Some(&serde_json::Value::from("ZL001")));
}

#[test]
fn partition_names_the_feature_whose_weight_is_missing_and_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let boundary = format!("{DEMO}/park_zhongli_industrial_area_boundary_derived.geojson");
    let factories = format!("{DEMO}/park_zhongli_industrial_area_factories.geojson");
    let out = dir.path().join("grids.geojson");
    let run = parkgrid(
        dir.path(),
        &["partition", "--enterprises", &factories, "--boundary", &boundary, "--weight-property", "employees", "--out", out.to_str().unwrap_or("")],
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("feature 0: property \"employees\" is missing or not a positive number"), "{}", text(&run.stderr));
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn partition_with_a_road_across_the_park_keeps_every_grid_on_one_side_of_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("grids.geojson");
    let road = dir.path().join("road.geojson");
    // An east–west road at 24.9785°N, right across the park (through the middle of its
    // enterprises).
    const LAT: f64 = 24.9785;
    std::fs::write(&road, format!(r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"road"}},"geometry":{{"type":"LineString","coordinates":[[121.2,{LAT}],[121.3,{LAT}]]}}}}]}}"#))
        .expect("write road");
    let boundary = format!("{DEMO}/park_zhongli_industrial_area_boundary_derived.geojson");
    let factories = format!("{DEMO}/park_zhongli_industrial_area_factories.geojson");
    let args =
        ["partition", "--enterprises", &factories, "--boundary", &boundary, "--barriers", road.to_str().unwrap_or(""), "--out", out.to_str().unwrap_or("")];
    let run = parkgrid(dir.path(), &args);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let figures: serde_json::Value = serde_json::from_str(text(&run.stdout).trim()).expect("one JSON object on stdout");
    assert_eq!(figures["pieces"], 0, "{figures}");
    let grids: geojson::FeatureCollection = std::fs::read_to_string(&out).expect("grids written").parse().expect("GeoJSON");
    let factories: geojson::FeatureCollection = std::fs::read_to_string(&factories).expect("factories").parse().expect("GeoJSON");
    let lat_of: std::collections::HashMap<String, f64> = factories
        .features
        .iter()
        .filter_map(|f| {
            let id = f.property("id").map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()))?;
            match f.geometry.as_ref().map(|g| &g.value) {
                Some(geojson::GeometryValue::Point { coordinates }) => Some((id, coordinates.as_slice()[1])),
                _ => None,
            }
        })
        .collect();
    let mut sides = [0, 0];
    for g in &grids.features {
        let ids: Vec<String> = g.property("enterprise_ids").and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default();
        let north: Vec<bool> = ids.iter().filter_map(|id| lat_of.get(id)).map(|&lat| lat > LAT).collect();
        assert!(!north.is_empty());
        assert!(north.iter().all(|&n| n == north[0]), "grid {:?} has enterprises on both sides of the road", g.property("code"));
        sides[usize::from(north[0])] += 1;
    }
    assert!(sides[0] > 0 && sides[1] > 0, "grids on both sides: {sides:?}");
}

#[test]
fn partition_refuses_a_barrier_file_that_holds_a_polygon_naming_the_feature() {
    let dir = tempfile::tempdir().expect("temp dir");
    let boundary = format!("{DEMO}/park_zhongli_industrial_area_boundary_derived.geojson");
    let factories = format!("{DEMO}/park_zhongli_industrial_area_factories.geojson");
    let out = dir.path().join("grids.geojson");
    let run = parkgrid(
        dir.path(),
        &["partition", "--enterprises", &factories, "--boundary", &boundary, "--barriers", &boundary, "--out", out.to_str().unwrap_or("")],
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("feature 0: expected a LineString or MultiLineString, found Polygon"), "{}", text(&run.stderr));
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn validate_passes_a_computed_plan_and_reports_a_broken_one_with_exit_code_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("grids.geojson");
    let boundary = format!("{DEMO}/park_zhongli_industrial_area_boundary_derived.geojson");
    let factories = format!("{DEMO}/park_zhongli_industrial_area_factories.geojson");
    let grids = out.to_str().unwrap_or("");
    assert!(parkgrid(dir.path(), &["partition", "--enterprises", &factories, "--boundary", &boundary, "--out", grids]).status.success());
    let ok = parkgrid(dir.path(), &["validate", "--grids", grids, "--enterprises", &factories, "--boundary", &boundary]);
    assert!(ok.status.success(), "{}", text(&ok.stdout));
    assert!(text(&ok.stdout).contains("\"count\":0"), "{}", text(&ok.stdout));

    // Remove one grid: a gap, and its enterprises in no grid.
    let mut fc: geojson::FeatureCollection = std::fs::read_to_string(&out).expect("grids").parse().expect("GeoJSON");
    fc.features.pop();
    let broken = dir.path().join("broken.geojson");
    std::fs::write(&broken, fc.to_string()).expect("write");
    let bad = parkgrid(dir.path(), &["validate", "--grids", broken.to_str().unwrap_or(""), "--enterprises", &factories, "--boundary", &boundary]);
    assert_eq!(bad.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(text(&bad.stdout).trim()).expect("JSON");
    let kinds: Vec<&str> = report["findings"].as_array().expect("findings").iter().filter_map(|f| f["kind"].as_str()).collect();
    assert!(kinds.contains(&"gap") && kinds.contains(&"unassigned"), "{kinds:?}");
}

#[test]
fn import_converts_gcj02_positions_to_wgs84() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("amap.csv");
    // A real Zhongli factory (WGS84), as AMap would give its position (GCJ-02).
    let (lon, lat) = (121.238541, 24.968412);
    let (glon, glat) = domain::coords::wgs84_to_gcj02(lon, lat);
    std::fs::write(&csv, format!("id,name,lon,lat\nf1,烈宏企業,{glon},{glat}\n")).expect("write csv");
    let boundary = format!("{DEMO}/park_zhongli_industrial_area_boundary_derived.geojson");
    let out = parkgrid(
        dir.path(),
        &["import", "--code", "ZL", "--name", "Zhongli", "--boundary", &boundary, "--enterprises", csv.to_str().unwrap_or(""), "--datum", "gcj02"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stored: (f64, f64) = tokio::runtime::Runtime::new().expect("runtime").block_on(async {
        use sea_orm::EntityTrait;
        let db = store::db::connect(&format!("sqlite://{}/cli.db", dir.path().display())).await.expect("db");
        let e = store::entities::enterprise::Entity::find().one(&db).await.expect("query").expect("the enterprise");
        (e.lon, e.lat)
    });
    assert!((stored.0 - lon).abs() < 1e-8 && (stored.1 - lat).abs() < 1e-8, "stored {stored:?}, expected ({lon}, {lat})");

    let bad = parkgrid(
        dir.path(),
        &["import", "--code", "ZL", "--name", "Zhongli", "--boundary", &boundary, "--enterprises", csv.to_str().unwrap_or(""), "--datum", "bd09"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("expected wgs84 or gcj02"), "{}", text(&bad.stderr));
}

/// `parkgrid` with `DATABASE_URL` set to `url`.
fn parkgrid_on(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parkgrid")).args(args).env("DATABASE_URL", url).env("RUST_LOG", "warn").output().expect("parkgrid runs")
}

/// The number of rows of `table`, through `parkgrid`'s own store.
async fn rows(url: &str, table: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    let db = store::db::connect(url).await.expect("connect");
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), format!("SELECT count(*) FROM {table}")))
        .await
        .expect("query")
        .expect("row");
    let n = row.try_get_by_index::<i64>(0).expect("count");
    db.close().await.expect("close");
    n
}

#[tokio::test]
async fn a_backup_restored_gives_back_the_database_as_it_was_on_every_engine() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut urls = vec![(format!("sqlite://{}/live.db", dir.path().display()), dir.path().join("backup.db"))];
    if let Ok(base) = std::env::var("DATABASE_URL") {
        if base.starts_with("postgres") {
            use sea_orm::ConnectionTrait;
            let name = format!("parkgrid_backup_{}", uuid::Uuid::now_v7().simple());
            let admin = store::db::connect(&base).await.expect("connect");
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create");
            let (prefix, _) = base.rsplit_once('/').expect("a path");
            urls.push((format!("{prefix}/{name}"), dir.path().join("backup.pgdump")));
        }
    }
    for (url, file) in urls {
        let file = file.to_str().expect("utf-8 path");
        assert!(parkgrid_on(&url, &["demo", "--data", DEMO]).status.success());
        let before = (rows(&url, "enterprise").await, rows(&url, "grid").await, rows(&url, "app_user").await);
        let out = parkgrid_on(&url, &["backup", "--out", file]);
        assert!(out.status.success(), "backup on {url}: {}", text(&out.stderr));
        // Something goes wrong after the backup: a whole table emptied.
        {
            use sea_orm::ConnectionTrait;
            let db = store::db::connect(&url).await.expect("connect");
            db.execute_unprepared("DELETE FROM audit_event").await.expect("delete");
            db.execute_unprepared("UPDATE enterprise SET name = 'lost'").await.expect("update");
            db.close().await.expect("close");
        }
        let out = parkgrid_on(&url, &["restore", "--from", file]);
        assert!(out.status.success(), "restore on {url}: {}", text(&out.stderr));
        assert_eq!((rows(&url, "enterprise").await, rows(&url, "grid").await, rows(&url, "app_user").await), before);
        assert!(rows(&url, "audit_event").await > 0, "the audit log is back on {url}");
        let renamed = {
            use sea_orm::ConnectionTrait;
            let db = store::db::connect(&url).await.expect("connect");
            let r = db
                .query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), "SELECT count(*) FROM enterprise WHERE name = 'lost'"))
                .await
                .expect("q")
                .expect("row");
            r.try_get_by_index::<i64>(0).expect("count")
        };
        assert_eq!(renamed, 0, "the names are back on {url}");
        // A backup never overwrites a file, and a file that is no backup is refused.
        assert_eq!(parkgrid_on(&url, &["backup", "--out", file]).status.code(), Some(2));
    }
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database").expect("write");
    let url = format!("sqlite://{}/live.db", dir.path().display());
    let out = parkgrid_on(&url, &["restore", "--from", junk.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(rows(&url, "enterprise").await > 0, "the database is untouched");
}

/// `parkgrid` with `input` on standard input.
fn parkgrid_with_input(url: &str, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_parkgrid"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("parkgrid runs");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write");
    child.wait_with_output().expect("parkgrid ends")
}

/// A fresh database on every engine: an SQLite file in `dir`, and a new PostgreSQL database
/// when `DATABASE_URL` names a PostgreSQL server.
async fn fresh_databases(dir: &Path, name: &str) -> Vec<String> {
    let mut urls = vec![format!("sqlite://{}/{name}.db", dir.display())];
    if let Ok(base) = std::env::var("DATABASE_URL") {
        if base.starts_with("postgres") {
            use sea_orm::ConnectionTrait;
            let db_name = format!("parkgrid_{name}_{}", uuid::Uuid::now_v7().simple());
            let admin = store::db::connect(&base).await.expect("connect");
            admin.execute_unprepared(&format!("CREATE DATABASE {db_name}")).await.expect("create");
            admin.close().await.expect("close");
            let (prefix, _) = base.rsplit_once('/').expect("a path");
            urls.push(format!("{prefix}/{db_name}"));
        }
    }
    urls
}

/// A server function called as the app's code calls it: the status and the body.
async fn rpc(client: &reqwest::Client, base: &str, endpoint: &str, args: &[(&str, &str)]) -> (reqwest::StatusCode, String) {
    let r = client.post(format!("{base}/rpc/{endpoint}")).header("Accept", "application/json").form(args).send().await.expect("request");
    (r.status(), r.text().await.unwrap_or_default())
}

#[tokio::test]
async fn a_new_installation_serves_without_the_demo_and_gets_its_first_administrator_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    for url in fresh_databases(dir.path(), "fresh").await {
        first_administrator(&url).await;
    }
}

async fn first_administrator(url: &str) {
    use reqwest::StatusCode;
    let url = url.to_owned();
    assert!(parkgrid_on(&url, &["migrate"]).status.success());
    // The password comes on standard input; there is no flag for it.
    let out = parkgrid_with_input(&url, &["user", "add", "--login", "root", "--name", "区管理员", "--role", "admin"], "root-pass-2026\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("account root created (admin, every park)"), "{}", text(&out.stdout));
    let short = parkgrid_with_input(&url, &["user", "add", "--login", "weak", "--role", "admin"], "short\n");
    assert_eq!(short.status.code(), Some(2), "{}", text(&short.stderr));
    assert!(text(&short.stderr).contains("at least 8 characters"), "{}", text(&short.stderr));

    // It serves with no park at all; the administrator signs in, has every park (none yet).
    let base = support::start_server(&url).await;
    let client = reqwest::Client::builder().cookie_store(true).build().expect("client");
    assert_eq!(client.get(format!("{base}/login")).send().await.expect("request").status(), StatusCode::OK);
    let sign_in = |client: &reqwest::Client, login: &'static str, password: String| {
        let (client, base) = (client.clone(), base.clone());
        async move {
            client
                .post(format!("{base}/api/v1/session"))
                .json(&serde_json::json!({ "login": login, "password": password }))
                .send()
                .await
                .expect("request")
                .status()
        }
    };
    assert_eq!(sign_in(&client, "root", "root-pass-2026".into()).await, StatusCode::OK);
    let me: api::Me = client.get(format!("{base}/api/v1/me")).send().await.expect("request").json().await.expect("me");
    assert_eq!((me.role, me.parks.len()), (api::Role::Admin, 0));

    // The administrator adds two parks from the browser and a manager for the second, who
    // sees that park alone.
    let square = |x: f64| format!(r#"{{"type":"Polygon","coordinates":[[[{x},24.90],[{},24.90],[{},24.92],[{x},24.92],[{x},24.90]]]}}"#, x + 0.02, x + 0.02);
    assert_eq!(rpc(&client, &base, "add_park", &[("code", "EAST"), ("name", "东区"), ("boundary", &square(121.30))]).await.0, StatusCode::OK);
    assert_eq!(rpc(&client, &base, "add_park", &[("code", "WEST"), ("name", "西区"), ("boundary", &square(121.20))]).await.0, StatusCode::OK);
    let account = serde_json::json!({ "login": "west-chief", "display_name": "西区主任", "role": "manager", "parks": ["WEST"] }).to_string();
    let (s, temporary) = rpc(&client, &base, "create_account", &[("account", &account)]).await;
    assert_eq!(s, StatusCode::OK, "{temporary}");
    let temporary: String = serde_json::from_str(&temporary).expect("a temporary password");
    let chief = reqwest::Client::builder().cookie_store(true).build().expect("client");
    assert_eq!(sign_in(&chief, "west-chief", temporary.clone()).await, StatusCode::OK);
    assert_eq!(rpc(&chief, &base, "change_password", &[("current", &temporary), ("new", "west-park-2026")]).await.0, StatusCode::OK);
    let me: api::Me = chief.get(format!("{base}/api/v1/me")).send().await.expect("request").json().await.expect("me");
    assert_eq!(me.parks.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["WEST"], "on {url}");
    let park: api::MapView = chief.get(format!("{base}/api/v1/park")).send().await.expect("request").json().await.expect("park");
    assert_eq!(park.park_code, "WEST");
    assert_eq!(chief.get(format!("{base}/api/v1/park?park=EAST")).send().await.expect("request").status(), StatusCode::FORBIDDEN);
    assert_eq!(rpc(&chief, &base, "choose_park", &[("code", "EAST")]).await.0, StatusCode::FORBIDDEN);
    let (s, overview) = rpc(&chief, &base, "parks_overview", &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(overview.contains("WEST") && !overview.contains("EAST"), "{overview}");

    // `user passwd`: the new password works, the old one no more, its sessions end.
    let out = parkgrid_with_input(&url, &["user", "passwd", "root"], "another-pass-2026\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(client.get(format!("{base}/api/v1/me")).send().await.expect("request").status(), StatusCode::UNAUTHORIZED);
    assert_eq!(sign_in(&client, "root", "root-pass-2026".into()).await, StatusCode::UNAUTHORIZED);
    assert_eq!(sign_in(&client, "root", "another-pass-2026".into()).await, StatusCode::OK);
}
