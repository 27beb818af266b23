//! The plan editor: load a plan, preview an edit, save a draft, copy a plan into a draft.
//! Grids travel as JSON text (`Vec<api::EditGrid>`): the browser only hands them between the
//! map and the server, so it never needs to parse them.

use api::{PlanComparison, PlanEditor, PlanPreview, PlanSummary};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn parse<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, ServerFnError> {
    serde_json::from_str(text).map_err(|e| {
        tracing::info!(error = %e, "bad {what}");
        crate::ssr::fail("bad_request", axum::http::StatusCode::BAD_REQUEST)
    })
}

#[server(prefix = "/rpc", endpoint = "load_plan_editor", output = crate::serverfns::Reply)]
pub async fn load_plan_editor(id: i64) -> Result<PlanEditor, ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let ctx = context()?;
    let db = ctx.db.clone();
    require(domain::Capability::ManagePlans).await?.plan(&db, id).await.map_err(store_error)?;
    store::editor::load(&db, &ctx.editor, id).await.map_err(store_error)
}

/// `grids`: JSON `Vec<api::EditGrid>`; `op`: JSON `api::EditOp`. A refused edit is an `Ok`
/// preview with `refused` set.
#[server(prefix = "/rpc", endpoint = "edit_plan", output = crate::serverfns::Reply)]
pub async fn edit_plan(id: i64, grids: String, op: String) -> Result<PlanPreview, ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let ctx = context()?;
    let db = ctx.db.clone();
    require(domain::Capability::ManagePlans).await?.plan(&db, id).await.map_err(store_error)?;
    let grids: Vec<api::EditGrid> = parse("grids", &grids)?;
    let op: api::EditOp = parse("edit", &op)?;
    store::editor::preview(&db, &ctx.editor, id, grids, op).await.map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "save_plan", output = crate::serverfns::Reply)]
pub async fn save_plan(id: i64, grids: String) -> Result<PlanSummary, ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let ctx = context()?;
    let db = ctx.db.clone();
    let access = require(domain::Capability::ManagePlans).await?;
    access.plan(&db, id).await.map_err(store_error)?;
    let grids: Vec<api::EditGrid> = parse("grids", &grids)?;
    store::editor::save(&db, id, grids, Some(access.user.id)).await.map_err(store_error)
}

/// Plans `a` and `b` compared (`store::editor::compare`).
#[server(prefix = "/rpc", endpoint = "compare_plans", output = crate::serverfns::Reply)]
pub async fn compare_plans(a: i64, b: i64) -> Result<PlanComparison, ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let ctx = context()?;
    let db = ctx.db.clone();
    let access = require(domain::Capability::ManagePlans).await?;
    access.plan(&db, a).await.map_err(store_error)?;
    access.plan(&db, b).await.map_err(store_error)?;
    store::editor::compare(&db, &ctx.editor, a, b).await.map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "copy_plan", output = crate::serverfns::Reply)]
pub async fn copy_plan(id: i64) -> Result<PlanSummary, ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let ctx = context()?;
    let db = ctx.db.clone();
    let access = require(domain::Capability::ManagePlans).await?;
    access.plan(&db, id).await.map_err(store_error)?;
    store::editor::copy(&db, id, Some(access.user.id)).await.map_err(store_error)
}
