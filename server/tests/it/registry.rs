//! The enterprise registry over HTTP: import reports, imports (CSV in GBK, GCJ-02), exports,
//! on a fresh demo database (SQLite, and PostgreSQL when `DATABASE_URL` names one).

use crate::support;

use base64::Engine;
use reqwest::StatusCode;
use support::TestApp;

async fn send(app: &TestApp, client: &reqwest::Client, endpoint: &str, file: &str, bytes: &[u8], datum: &str) -> reqwest::Response {
    let data = base64::engine::general_purpose::STANDARD.encode(bytes);
    let form = [("file_name", file.to_owned()), ("data", data), ("encoding", "auto".into()), ("datum", datum.into()), ("mapping", String::new())];
    client.post(app.url(&format!("/rpc/{endpoint}"))).form(&form).send().await.expect("request")
}

/// An enterprise's change history, as the registry page asks for it.
async fn history_of(app: &TestApp, id: i64) -> Vec<api::ChangeEntry> {
    app.client.post(app.url("/rpc/enterprise_history")).form(&[("id", id.to_string())]).send().await.expect("request").json().await.expect("history")
}

async fn enterprise_count(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    store::entities::enterprise::Entity::find().count(&app.db.conn).await.expect("count")
}

#[tokio::test]
async fn a_broken_csv_gets_a_report_naming_every_bad_line_and_changes_nothing() {
    async fn check(app: TestApp) {
        app.sign_in("manager").await;
        let csv = "编号,企业名称,经度,纬度\nN1,新厂一,121.22,24.96\nN2,,121.22,24.96\nN3,新厂三,121.22,北纬\nN1,新厂四,121.22,24.96\nN5,新厂五,121.22,95.0\n";
        for endpoint in ["registry_check", "registry_import"] {
            let r = send(&app, &app.client, endpoint, "broken.csv", csv.as_bytes(), "wgs84").await;
            assert_eq!(r.status(), StatusCode::OK);
            let report: api::ImportReport = r.json().await.expect("report");
            assert!(!report.written);
            let at: Vec<(String, String)> = report.problems.iter().map(|p| (p.location.clone(), p.kind.clone())).collect();
            assert_eq!(
                at,
                vec![
                    ("line 3".into(), "missing_field".into()),
                    ("line 4".into(), "not_a_number".into()),
                    ("line 5".into(), "duplicate_id".into()),
                    ("line 6".into(), "bad_coordinate".into())
                ],
                "{endpoint}"
            );
        }
        assert_eq!(enterprise_count(&app).await, 556, "nothing was written");
        // A position outside the park is also named, and also stops the import.
        let outside = "id,name,lon,lat\nN9,远方工厂,120.0,23.0\n";
        let report: api::ImportReport = send(&app, &app.client, "registry_import", "far.csv", outside.as_bytes(), "wgs84").await.json().await.expect("report");
        assert_eq!(report.problems.iter().map(|p| p.kind.as_str()).collect::<Vec<_>>(), ["outside_boundary"]);
        assert_eq!(enterprise_count(&app).await, 556);
        // Workers may not import.
        let worker = support::browser();
        assert_eq!(app.sign_in_with(&worker, "worker01", support::PASSWORD).await.status(), StatusCode::OK);
        assert_eq!(send(&app, &worker, "registry_check", "x.csv", outside.as_bytes(), "wgs84").await.status(), StatusCode::FORBIDDEN);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_gbk_csv_in_gcj02_imports_its_enterprises_in_wgs84_into_their_grids_and_the_export_has_them() {
    async fn check(app: TestApp) {
        app.sign_in("manager").await;
        let park: api::MapView = app.get("/api/v1/park").await.json().await.expect("park");
        // Two new factories next to known ones, as AMap would give their positions (GCJ-02).
        let (a, b) = (&park.enterprises[0], &park.enterprises[100]);
        let place = |e: &api::EnterpriseView| {
            let (lon, lat) = domain::coords::wgs84_to_gcj02(e.lon + 0.0001, e.lat);
            (e.lon + 0.0001, e.lat, lon, lat)
        };
        let (pa, pb) = (place(a), place(b));
        let text = format!("企业编号,企业名称,地址,经度,纬度\nNEW-1,新建工厂甲,中坜区一路,{},{}\nNEW-2,新建工厂乙,中坜区二路,{},{}\n", pa.2, pa.3, pb.2, pb.3);
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let report: api::ImportReport = send(&app, &app.client, "registry_check", "new.csv", &gbk, "gcj02").await.json().await.expect("report");
        assert_eq!(report.encoding.as_deref(), Some("gbk"));
        assert_eq!((report.total, report.new, report.updated, report.written), (2, 2, 0, false), "{:?}", report.problems);
        assert_eq!(enterprise_count(&app).await, 556, "a check writes nothing");
        let report: api::ImportReport = send(&app, &app.client, "registry_import", "new.csv", &gbk, "gcj02").await.json().await.expect("report");
        assert!(report.written, "{:?}", report.problems);
        assert_eq!(enterprise_count(&app).await, 558);

        // Stored in WGS84 (within a metre of where they are), and in the grid of their neighbour.
        let r = app.get("/api/v1/export/enterprises.csv").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.headers()["content-disposition"].to_str().expect("header").contains("enterprises"));
        let bytes = r.bytes().await.expect("body");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 558);
        for (id, p, neighbour) in [("NEW-1", pa, a), ("NEW-2", pb, b)] {
            let row = rows.iter().find(|r| &r[0] == id).expect("exported");
            let (lon, lat): (f64, f64) = (row[4].parse().expect("lon"), row[5].parse().expect("lat"));
            assert!((lon - p.0).abs() < 1e-5 && (lat - p.1).abs() < 1e-5, "{id}: ({lon}, {lat}) vs ({}, {})", p.0, p.1);
            assert_eq!(&row[6], neighbour.grid_code, "{id} is in its neighbour's grid");
        }
        let grids: serde_json::Value = app.get("/api/v1/export/grids.geojson").await.json().await.expect("geojson");
        assert_eq!(grids["features"].as_array().map(Vec::len), Some(support::demo_grids()));
        assert_eq!(app.get("/api/v1/export/nothing.txt").await.status(), StatusCode::NOT_FOUND);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_manager_edits_and_deactivates_an_enterprise_and_its_history_says_who_changed_what() {
    async fn check(app: TestApp) {
        app.sign_in("manager").await;
        let list: Vec<api::RegistryEnterprise> = app.client.post(app.url("/rpc/registry_list")).send().await.expect("request").json().await.expect("list");
        assert_eq!(list.len(), 556);
        let e = list[0].clone();
        let edit = |name: &str, lon: f64, active: bool| {
            serde_json::to_string(&api::EnterpriseEdit {
                id: e.id,
                name: name.into(),
                credit_code: e.credit_code.clone(),
                address: Some("中坜区新地址 1 号".into()),
                industry: e.industry.clone(),
                weight: 2.5,
                lon,
                lat: e.lat,
                datum: api::Datum::Wgs84,
                active,
            })
            .expect("json")
        };
        let post = |body: String| app.client.post(app.url("/rpc/update_enterprise")).form(&[("edit", body)]).send();
        assert_eq!(post(edit("新名称股份有限公司", e.lon, true)).await.expect("request").status(), StatusCode::OK);
        // Far outside the park: refused, nothing changes.
        assert_eq!(post(edit("新名称股份有限公司", e.lon + 1.0, true)).await.expect("request").status(), StatusCode::CONFLICT);
        assert_eq!(post(edit("新名称股份有限公司", e.lon, false)).await.expect("request").status(), StatusCode::OK);
        let history = history_of(&app, e.id).await;
        assert_eq!(history.iter().map(|h| h.action.as_str()).collect::<Vec<_>>(), ["deactivate", "edit"]);
        assert_eq!(history[1].actor.as_deref(), Some("陈主任"));
        let fields: Vec<(&str, &str, &str)> = history[1].changes.iter().map(|c| (c.field.as_str(), c.before.as_str(), c.after.as_str())).collect();
        assert!(fields.contains(&("name", e.name.as_str(), "新名称股份有限公司")), "{fields:?}");
        assert!(fields.iter().any(|f| f.0 == "address" && f.2 == "中坜区新地址 1 号"), "{fields:?}");
        assert!(fields.iter().any(|f| f.0 == "weight" && f.2 == "2.5"), "a new workload weight: {fields:?}");
        assert_eq!(history[0].changes.iter().map(|c| (c.field.as_str(), c.after.as_str())).collect::<Vec<_>>(), [("active", "false")]);
        // A deactivated enterprise leaves the park's map and its worker's list.
        let park: api::MapView = app.get("/api/v1/park").await.json().await.expect("park");
        assert_eq!(park.enterprises.len(), 555);
        assert!(!park.enterprises.iter().any(|x| x.id == e.id));
        // Workers may not edit.
        let worker = support::browser();
        assert_eq!(app.sign_in_with(&worker, "worker01", support::PASSWORD).await.status(), StatusCode::OK);
        let r = worker.post(app.url("/rpc/update_enterprise")).form(&[("edit", edit("x", e.lon, true))]).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn workload_weights_imported_with_the_registry_give_heavy_sites_smaller_grids_in_the_next_automatic_plan() {
    async fn check(app: TestApp) {
        app.sign_in("manager").await;
        // The registry as exported, with a weight column: the westmost 120 enterprises weigh 4.
        let bytes = app.get("/api/v1/export/enterprises.csv").await.bytes().await.expect("body");
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let mut rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        rows.sort_by(|a, b| a[4].parse::<f64>().expect("lon").total_cmp(&b[4].parse::<f64>().expect("lon")));
        let heavy: std::collections::HashSet<String> = rows.iter().take(120).map(|r| r[0].to_owned()).collect();
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(["id", "name", "address", "industry", "lon", "lat", "weight"]).expect("csv");
        for r in &rows {
            let w = if heavy.contains(&r[0]) { "4" } else { "" };
            out.write_record([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5], w]).expect("csv");
        }
        let text = out.into_inner().expect("csv");
        let report: api::ImportReport = send(&app, &app.client, "registry_import", "weights.csv", &text, "wgs84").await.json().await.expect("report");
        assert!(report.written, "{:?}", report.problems);
        assert_eq!(report.updated, 556);
        let list: Vec<api::RegistryEnterprise> = app.client.post(app.url("/rpc/registry_list")).send().await.expect("request").json().await.expect("list");
        assert_eq!(list.iter().filter(|e| e.weight == 4.0).count(), 120, "an empty cell weighs 1");
        let heavy_ids: std::collections::HashSet<i64> = list.iter().filter(|e| heavy.contains(&e.external_id)).map(|e| e.id).collect();
        // Each enterprise the import changed has it in its history: who, and weight 1 → 4.
        let one = list.iter().find(|e| e.weight == 4.0).expect("a heavy enterprise");
        let history = history_of(&app, one.id).await;
        assert_eq!(history.len(), 1, "{history:?}");
        assert_eq!((history[0].action.as_str(), history[0].actor.as_deref()), ("import", Some("陈主任")));
        let changes: Vec<(&str, &str, &str)> = history[0].changes.iter().map(|c| (c.field.as_str(), c.before.as_str(), c.after.as_str())).collect();
        assert_eq!(changes, [("weight", "1.0", "4.0")]);
        let light = list.iter().find(|e| e.weight == 1.0).expect("a light enterprise");
        let history = history_of(&app, light.id).await;
        assert!(history.is_empty(), "an import that changes nothing about an enterprise leaves its history alone: {history:?}");

        // A bad weight is reported with its line, and nothing is written.
        let bad = "id,name,lon,lat,weight\nX1,某厂,121.23,24.96,-2\n";
        let report: api::ImportReport = send(&app, &app.client, "registry_check", "bad.csv", bad.as_bytes(), "wgs84").await.json().await.expect("report");
        assert_eq!(report.problems.iter().map(|p| (p.location.as_str(), p.kind.as_str())).collect::<Vec<_>>(), [("line 2", "bad_weight")]);

        // The next automatic plan: grids of the heavy sites hold fewer enterprises.
        let plan: api::PlanSummary =
            app.client.post(app.url("/rpc/compute_plan")).form(&[("min", "20"), ("max", "40")]).send().await.expect("request").json().await.expect("plan");
        let editor: api::PlanEditor =
            app.client.post(app.url("/rpc/load_plan_editor")).form(&[("id", plan.id.to_string())]).send().await.expect("request").json().await.expect("editor");
        let mut per_grid = vec![(0usize, 0usize); editor.preview.grids.len()];
        for (e, g) in editor.enterprises.iter().zip(&editor.preview.grid_of) {
            let g = g.expect("every enterprise in a grid") as usize;
            per_grid[g].0 += 1;
            per_grid[g].1 += usize::from(heavy_ids.contains(&e.id));
        }
        let mean = |grids: Vec<usize>| grids.iter().sum::<usize>() as f64 / grids.len().max(1) as f64;
        let heavy_grids = mean(per_grid.iter().filter(|(n, h)| 2 * h > *n).map(|(n, _)| *n).collect());
        let light_grids = mean(per_grid.iter().filter(|(_, h)| *h == 0).map(|(n, _)| *n).collect());
        assert!(heavy_grids + 5.0 < light_grids, "enterprises per grid: {heavy_grids:.1} where most weigh 4, {light_grids:.1} where none does ({per_grid:?})");
    }
    on_every_engine!(check);
}
