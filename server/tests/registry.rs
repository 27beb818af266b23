//! The enterprise registry over HTTP: import reports, imports (CSV in GBK, GCJ-02), exports,
//! on a fresh demo database (SQLite, and PostgreSQL when `DATABASE_URL` names one).

mod support;

use base64::Engine;
use reqwest::StatusCode;
use support::TestApp;

async fn send(app: &TestApp, client: &reqwest::Client, endpoint: &str, file: &str, bytes: &[u8], datum: &str) -> reqwest::Response {
    let data = base64::engine::general_purpose::STANDARD.encode(bytes);
    let form = [("file_name", file.to_owned()), ("data", data), ("encoding", "auto".into()), ("datum", datum.into()), ("mapping", String::new())];
    client.post(app.url(&format!("/rpc/{endpoint}"))).form(&form).send().await.expect("request")
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
        assert_eq!(grids["features"].as_array().map(Vec::len), Some(19));
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
        let history: Vec<api::ChangeEntry> =
            app.client.post(app.url("/rpc/enterprise_history")).form(&[("id", e.id.to_string())]).send().await.expect("request").json().await.expect("history");
        assert_eq!(history.iter().map(|h| h.action.as_str()).collect::<Vec<_>>(), ["deactivate", "edit"]);
        assert_eq!(history[1].actor.as_deref(), Some("陈主任"));
        let fields: Vec<(&str, &str, &str)> = history[1].changes.iter().map(|c| (c.field.as_str(), c.before.as_str(), c.after.as_str())).collect();
        assert!(fields.contains(&("name", e.name.as_str(), "新名称股份有限公司")), "{fields:?}");
        assert!(fields.iter().any(|f| f.0 == "address" && f.2 == "中坜区新地址 1 号"), "{fields:?}");
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
