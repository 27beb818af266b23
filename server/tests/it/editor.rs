//! The plan editor over HTTP (its server functions), on a fresh demo database (SQLite, and
//! PostgreSQL when `DATABASE_URL` names one): copy the active plan into a draft, drag a corner
//! two grids share so that an enterprise changes grid, see it in the preview, save, activate;
//! the open finding at that enterprise follows it to the new grid's worker.

use crate::support;

use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use std::collections::HashMap;
use support::TestApp;

async fn rpc<T: serde::de::DeserializeOwned>(app: &TestApp, client: &reqwest::Client, name: &str, form: &[(&str, String)]) -> Result<T, StatusCode> {
    let r = client.post(app.url(&format!("/rpc/{name}"))).form(form).send().await.expect("request");
    if r.status() != StatusCode::OK {
        return Err(r.status());
    }
    Ok(r.json().await.expect("json"))
}

fn corners(geometry: &Value) -> Vec<[f64; 2]> {
    let polys: Vec<&Value> = match geometry["type"].as_str() {
        Some("Polygon") => vec![&geometry["coordinates"]],
        _ => geometry["coordinates"].as_array().map(|a| a.iter().collect()).unwrap_or_default(),
    };
    polys
        .iter()
        .flat_map(|p| p.as_array().into_iter().flatten())
        .flat_map(|ring| ring.as_array().into_iter().flatten())
        .filter_map(|c| Some([c[0].as_f64()?, c[1].as_f64()?]))
        .collect()
}

/// A corner shared by exactly two grids (a, b), an enterprise of b near it, and where to drop
/// the corner so that the enterprise falls into a: just past it, away from the corner.
fn candidates(editor: &api::PlanEditor) -> Vec<([f64; 2], [f64; 2], i64, String, String)> {
    let grids = &editor.preview.grids;
    let mut owners: HashMap<(u64, u64), Vec<usize>> = HashMap::new();
    for (i, g) in grids.iter().enumerate() {
        for c in corners(&g.geometry) {
            let v = owners.entry((c[0].to_bits(), c[1].to_bits())).or_default();
            if !v.contains(&i) {
                v.push(i);
            }
        }
    }
    let mut out = Vec::new();
    let mut keys: Vec<_> = owners.iter().filter(|(_, v)| v.len() == 2).collect();
    keys.sort_by_key(|(k, _)| **k);
    for ((x, y), v) in keys {
        let corner = [f64::from_bits(*x), f64::from_bits(*y)];
        let (a, b) = (v[0], v[1]);
        let nearest = editor
            .enterprises
            .iter()
            .enumerate()
            .filter(|(k, _)| editor.preview.grid_of[*k] == Some(b as u32))
            .map(|(_, e)| (e, (e.lon - corner[0]).hypot(e.lat - corner[1])))
            .min_by(|p, q| p.1.total_cmp(&q.1));
        if let Some((e, d)) = nearest {
            if d < 0.002 {
                let to = [e.lon + (e.lon - corner[0]) * 0.3, e.lat + (e.lat - corner[1]) * 0.3];
                out.push((corner, to, e.id, grids[a].code.clone(), grids[b].code.clone()));
            }
        }
    }
    out.sort_by(|p, q| {
        let d = |c: &([f64; 2], [f64; 2], i64, String, String)| (c.1[0] - c.0[0]).hypot(c.1[1] - c.0[1]);
        d(p).total_cmp(&d(q))
    });
    out
}

/// Signs the manager in, copies the plan listed first (the active one) into a draft and opens it.
async fn draft_of_the_active_plan(app: &TestApp) -> (api::PlanSummary, api::PlanEditor) {
    app.sign_in("manager").await;
    let plans: Vec<api::PlanSummary> = app.get("/api/v1/plans").await.json().await.expect("plans");
    let draft: api::PlanSummary = rpc(app, &app.client, "copy_plan", &[("id", plans[0].id.to_string())]).await.expect("copy");
    let editor: api::PlanEditor = rpc(app, &app.client, "load_plan_editor", &[("id", draft.id.to_string())]).await.expect("editor");
    (draft, editor)
}

#[tokio::test]
async fn a_dragged_shared_corner_moves_an_enterprise_to_the_other_grid_and_its_open_finding_follows_on_activation() {
    async fn check(app: TestApp) {
        let manager = &app.client;
        app.sign_in("manager").await;
        let plans: Vec<api::PlanSummary> = app.get("/api/v1/plans").await.json().await.expect("plans");
        let active = plans.iter().find(|p| p.status == api::PlanStatus::Active).expect("active plan").clone();
        // An active plan cannot be saved over; a copy can.
        let draft: api::PlanSummary = rpc(&app, manager, "copy_plan", &[("id", active.id.to_string())]).await.expect("copy");
        assert_eq!(draft.status, api::PlanStatus::Draft);
        let editor: api::PlanEditor = rpc(&app, manager, "load_plan_editor", &[("id", draft.id.to_string())]).await.expect("editor");
        assert_eq!(editor.enterprises.len(), 556);
        assert_eq!(editor.preview.changed_since_active, 0);
        assert!(editor.preview.problems.iter().all(|p| p.kind == api::PlanProblemKind::OutsideLimits), "{:?}", editor.preview.problems);
        let grids = serde_json::to_string(&editor.preview.grids).expect("json");

        // A corner dragged far out of the park is refused, with the reason.
        let first = corners(&editor.preview.grids[0].geometry)[0];
        let far = json!({ "op": "move_vertex", "from": first, "to": [first[0] + 0.5, first[1] + 0.5] }).to_string();
        let p: api::PlanPreview =
            rpc(&app, manager, "edit_plan", &[("id", draft.id.to_string()), ("grids", grids.clone()), ("op", far)]).await.expect("preview");
        let refusal = p.refused.expect("refused");
        use api::EditRefusalKind::*;
        assert!([OutsidePark, EdgesCross, Overlap, Gap].contains(&refusal.kind), "{refusal:?}");

        // A shared corner dropped just past an enterprise of the neighbour: it changes grid.
        let mut accepted = None;
        for (from, to, enterprise, a, b) in candidates(&editor).into_iter().take(25) {
            let op = json!({ "op": "move_vertex", "from": from, "to": to }).to_string();
            let p: api::PlanPreview =
                rpc(&app, manager, "edit_plan", &[("id", draft.id.to_string()), ("grids", grids.clone()), ("op", op)]).await.expect("preview");
            if p.refused.is_none() && p.moves.iter().any(|m| m.enterprise_id == enterprise && m.from.as_deref() == Some(&b) && m.to.as_deref() == Some(&a)) {
                accepted = Some((p, enterprise, a, b));
                break;
            }
        }
        let (preview, enterprise, a, b) = accepted.expect("a drag that moves an enterprise");
        assert_eq!(preview.changed_since_active, preview.moves.len());
        let count = |p: &api::PlanPreview, code: &str| p.grids.iter().find(|g| g.code == code).expect("grid").enterprise_count;
        assert_eq!(count(&preview, &a) + count(&preview, &b), count(&editor.preview, &a) + count(&editor.preview, &b));
        assert!(preview.problems.iter().all(|p| p.kind == api::PlanProblemKind::OutsideLimits), "no gap or overlap: {:?}", preview.problems);

        // Before the switch, the worker of b reports a hazard at that enterprise.
        let worker_b = support::browser();
        let login_b = format!("worker{}", &b[b.len() - 2..]);
        let login_a = format!("worker{}", &a[a.len() - 2..]);
        assert_eq!(app.sign_in_with(&worker_b, &login_b, support::PASSWORD).await.status(), StatusCode::OK);
        let e = editor.enterprises.iter().find(|e| e.id == enterprise).expect("enterprise");
        let finding = json!({ "type": "finding", "id": uuid::Uuid::now_v7().to_string(), "enterprise_id": enterprise, "kind": "safety_hazard",
            "grade": "general", "description": "消防通道堆放杂物", "found_at": chrono::Utc::now().to_rfc3339(),
            "fix": { "lon": e.lon, "lat": e.lat, "accuracy_m": 8.0 }, "photos": [] });
        let r = worker_b.post(app.url("/api/v1/sync")).json(&json!({ "records": [finding] })).send().await.expect("sync");
        let reply: api::SyncReply = r.json().await.expect("reply");
        assert_eq!(reply.receipts[0].status, api::ReceiptStatus::Created, "{:?}", reply.receipts);

        // Workers may not edit plans.
        let r = worker_b
            .post(app.url("/rpc/edit_plan"))
            .form(&[("id", draft.id.to_string()), ("grids", grids.clone()), ("op", "{\"op\":\"none\"}".into())])
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);

        // Save, activate.
        let moved = serde_json::to_string(&preview.grids).expect("json");
        let saved: api::PlanSummary = rpc(&app, manager, "save_plan", &[("id", draft.id.to_string()), ("grids", moved)]).await.expect("saved");
        assert_eq!(saved.grid_count, editor.preview.grids.len());
        let diff: api::PlanDiff = app.get(&format!("/api/v1/plans/{}/diff/{}", active.id, draft.id)).await.json().await.expect("diff");
        assert_eq!(diff.moves.iter().map(|m| m.enterprise_id).collect::<Vec<_>>(), preview.moves.iter().map(|m| m.enterprise_id).collect::<Vec<_>>());
        // The comparison page's data: the same moves, the draft's grids and enterprises to draw,
        // the active plan's grids to outline, and the park's plans to choose from.
        let compared: api::PlanComparison =
            rpc(&app, manager, "compare_plans", &[("a", active.id.to_string()), ("b", draft.id.to_string())]).await.expect("comparison");
        assert_eq!(compared.diff, diff);
        assert_eq!((compared.from.id, compared.to.plan.id), (active.id, draft.id));
        assert_eq!(compared.from_grids.len(), editor.preview.grids.len());
        assert_eq!(compared.to.preview.grids.len(), preview.grids.len());
        assert!(compared.plans.iter().any(|p| p.id == active.id) && compared.plans.iter().any(|p| p.id == draft.id));
        let r = manager.post(app.url(&format!("/api/v1/plans/{}/activate", draft.id))).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::OK);
        // The saved draft is no longer a draft.
        assert_eq!(
            rpc::<api::PlanSummary>(&app, manager, "save_plan", &[("id", draft.id.to_string()), ("grids", grids)]).await.unwrap_err(),
            StatusCode::CONFLICT
        );

        // The enterprise and its open finding are now worker a's, no longer worker b's.
        let worker_a = support::browser();
        assert_eq!(app.sign_in_with(&worker_a, &login_a, support::PASSWORD).await.status(), StatusCode::OK);
        let field_a: api::FieldData = worker_a.get(app.url("/api/v1/my/field")).send().await.expect("request").json().await.expect("field");
        let field_b: api::FieldData = worker_b.get(app.url("/api/v1/my/field")).send().await.expect("request").json().await.expect("field");
        assert!(field_a.enterprises.iter().any(|x| x.id == enterprise));
        assert!(!field_b.enterprises.iter().any(|x| x.id == enterprise));
        assert!(field_a.open_findings.iter().any(|f| f.enterprise_id == Some(enterprise)), "the finding follows its enterprise");
        assert!(!field_b.open_findings.iter().any(|f| f.enterprise_id == Some(enterprise)));
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn splitting_and_merging_over_http_keep_every_enterprise_in_one_grid() {
    async fn check(app: TestApp) {
        let manager = &app.client;
        let (draft, editor) = draft_of_the_active_plan(&app).await;
        let grids = serde_json::to_string(&editor.preview.grids).expect("json");
        let n = editor.preview.grids.len();
        // Cut each grid east–west through the middle of its box until one cuts cleanly.
        let mut split = None;
        for g in &editor.preview.grids {
            let cs = corners(&g.geometry);
            let (x0, x1) = cs.iter().fold((f64::MAX, f64::MIN), |(a, b), c| (a.min(c[0]), b.max(c[0])));
            let (y0, y1) = cs.iter().fold((f64::MAX, f64::MIN), |(a, b), c| (a.min(c[1]), b.max(c[1])));
            let y = (y0 + y1) / 2.0;
            let op = json!({ "op": "split", "line": [[x0 - 0.0005, y], [x1 + 0.0005, y]] }).to_string();
            let p: api::PlanPreview =
                rpc(&app, manager, "edit_plan", &[("id", draft.id.to_string()), ("grids", grids.clone()), ("op", op)]).await.expect("preview");
            if p.refused.is_none() {
                split = Some((g.code.clone(), p));
                break;
            }
        }
        let (code, p) = split.expect("some grid splits");
        assert_eq!(p.grids.len(), n + 1);
        assert!(p.grid_of.iter().all(Option::is_some), "every enterprise is in a grid");
        assert!(p.problems.iter().all(|x| x.kind == api::PlanProblemKind::OutsideLimits), "{:?}", p.problems);
        let new_code = p.grids.iter().map(|g| g.code.clone()).find(|c| !editor.preview.grids.iter().any(|g| &g.code == c)).expect("a new grid");
        assert_eq!(new_code, format!("ZL{:03}", n + 1), "the next free code");
        // Merge the two halves back.
        let op = json!({ "op": "merge", "a": new_code, "b": code }).to_string();
        let merged: api::PlanPreview =
            rpc(&app, manager, "edit_plan", &[("id", draft.id.to_string()), ("grids", serde_json::to_string(&p.grids).expect("json")), ("op", op)])
                .await
                .expect("preview");
        assert!(merged.refused.is_none(), "{:?}", merged.refused);
        assert_eq!(merged.grids.len(), n);
        assert_eq!(merged.changed_since_active, 0);
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn a_grid_redrawn_freely_overlaps_its_neighbour_which_clipping_settles() {
    async fn check(app: TestApp) {
        let manager = &app.client;
        let (draft, editor) = draft_of_the_active_plan(&app).await;
        let grids = serde_json::to_string(&editor.preview.grids).expect("json");
        let app = &app;
        let edit = |grids: String, op: Value| {
            let form = [("id", draft.id.to_string()), ("grids", grids), ("op", op.to_string())];
            async move { rpc::<api::PlanPreview>(app, manager, "edit_plan", &form).await.expect("preview") }
        };
        // Only grid a's corner moves, past b's enterprise: a now overlaps b; nothing is refused.
        // (A corner where a's other edge swings away from the ground it covered leaves a gap
        // too, which clipping does not fill: such a corner is not this case.)
        let mut done = None;
        for (from, to, enterprise, a, b) in candidates(&editor).into_iter().take(25) {
            let p = edit(grids.clone(), json!({ "op": "move_own_vertex", "grid": a, "from": from, "to": to })).await;
            let has = |kind: api::PlanProblemKind| p.problems.iter().any(|x| x.kind == kind);
            if p.refused.is_none() && has(api::PlanProblemKind::Overlap) && !has(api::PlanProblemKind::Gap) {
                done = Some((p, enterprise, a, b));
                break;
            }
        }
        let (redrawn, enterprise, a, b) = done.expect("a redraw that overlaps a neighbour");
        let overlap = redrawn.problems.iter().find(|x| x.kind == api::PlanProblemKind::Overlap).expect("overlap");
        assert!(overlap.grids.contains(&a) && overlap.grids.contains(&b), "{overlap:?}");
        // Clip: b gives up the overlap; the plan tiles the park again and the enterprise is a's.
        let clipped = edit(serde_json::to_string(&redrawn.grids).expect("json"), json!({ "op": "clip", "grid": a })).await;
        assert!(clipped.refused.is_none(), "{:?}", clipped.refused);
        assert!(clipped.problems.iter().all(|p| p.kind == api::PlanProblemKind::OutsideLimits), "{:?}", clipped.problems);
        let k = editor.enterprises.iter().position(|e| e.id == enterprise).expect("enterprise");
        let at = clipped.grid_of[k].map(|i| clipped.grids[i as usize].code.clone());
        assert_eq!(at.as_deref(), Some(a.as_str()));
    }
    on_every_engine!(check);
}

#[tokio::test]
async fn an_enterprise_moved_while_the_editor_is_open_is_counted_in_its_new_grid_at_the_next_preview() {
    async fn check(app: TestApp) {
        let (draft, editor) = draft_of_the_active_plan(&app).await;
        let grids = serde_json::to_string(&editor.preview.grids).expect("json");
        let preview = |grids: String| {
            let app = &app;
            async move { rpc::<api::PlanPreview>(app, &app.client, "edit_plan", &[("id", draft.id.to_string()), ("grids", grids), ("op", json!({ "op": "none" }).to_string())]).await.expect("preview") }
        };
        // A preview first, so that the server keeps the park's context.
        let before = preview(grids.clone()).await;
        assert_eq!(before.grid_of, editor.preview.grid_of);
        // The first enterprise moves onto another grid's enterprise, through the registry.
        let k = 0;
        let from = before.grid_of[k].expect("in a grid");
        let target = (0..editor.enterprises.len()).find(|&j| before.grid_of[j].is_some_and(|g| g != from)).expect("an enterprise of another grid");
        let to = before.grid_of[target].expect("in a grid");
        let e = &editor.enterprises[k];
        let park_id = store::entities::enterprise::Entity::find_by_id(e.id).one(&app.db.conn).await.expect("query").expect("enterprise").park_id;
        let edit: api::EnterpriseEdit = serde_json::from_value(json!({ "id": e.id, "name": e.name, "lon": editor.enterprises[target].lon,
            "lat": editor.enterprises[target].lat, "active": true }))
        .expect("an edit");
        store::registry::update(&app.db.conn, park_id, edit, None).await.expect("moves");
        // The next preview of the same grids sees it there: the kept context was read again.
        let after = preview(grids).await;
        assert_eq!(after.grid_of[k], Some(to), "the moved enterprise is in its new grid");
        let count = |p: &api::PlanPreview, i: u32| p.grids[i as usize].enterprise_count;
        assert_eq!(count(&after, from), count(&before, from) - 1);
        assert_eq!(count(&after, to), count(&before, to) + 1);
    }
    on_every_engine!(check);
}
