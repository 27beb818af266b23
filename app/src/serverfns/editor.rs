//! The plan editor: load a plan, preview an edit, save a draft, copy a plan into a draft.
//! Grids travel as JSON text (`Vec<api::EditGrid>`): the browser only hands them between the
//! map and the server, so it never needs to parse them.

use api::{PlanComparison, PlanEditor, PlanPreview, PlanSummary};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn store_error(e: store::StoreError) -> ServerFnError {
    use crate::ssr::{fail, internal};
    use axum::http::StatusCode;
    match e {
        store::StoreError::NotFound(_) => fail("not_found", StatusCode::NOT_FOUND),
        store::StoreError::Refused(r) => crate::ssr::refused(&r),
        store::StoreError::Conflict(m) => {
            tracing::info!(reason = %m, "plan edit refused");
            fail("conflict", StatusCode::CONFLICT)
        }
        e => internal(e),
    }
}

#[cfg(feature = "ssr")]
fn parse<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, ServerFnError> {
    serde_json::from_str(text).map_err(|e| {
        tracing::info!(error = %e, "bad {what}");
        crate::ssr::fail("bad_request", axum::http::StatusCode::BAD_REQUEST)
    })
}

#[server(prefix = "/rpc", endpoint = "load_plan_editor")]
pub async fn load_plan_editor(id: i64) -> Result<PlanEditor, ServerFnError> {
    use crate::ssr::{context, require};
    require(domain::Capability::ManagePlans).await?;
    store::editor::load(&context()?.db, id).await.map_err(store_error)
}

/// `grids`: JSON `Vec<api::EditGrid>`; `op`: JSON `api::EditOp`. A refused edit is an `Ok`
/// preview with `refused` set.
#[server(prefix = "/rpc", endpoint = "edit_plan")]
pub async fn edit_plan(id: i64, grids: String, op: String) -> Result<PlanPreview, ServerFnError> {
    use crate::ssr::{context, require};
    require(domain::Capability::ManagePlans).await?;
    let grids: Vec<api::EditGrid> = parse("grids", &grids)?;
    let op: api::EditOp = parse("edit", &op)?;
    store::editor::preview(&context()?.db, id, grids, op).await.map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "save_plan")]
pub async fn save_plan(id: i64, grids: String) -> Result<PlanSummary, ServerFnError> {
    use crate::ssr::{context, require};
    let user = require(domain::Capability::ManagePlans).await?;
    let grids: Vec<api::EditGrid> = parse("grids", &grids)?;
    store::editor::save(&context()?.db, id, grids, Some(user.id)).await.map_err(store_error)
}

/// Plans `a` and `b` compared (`store::editor::compare`).
#[server(prefix = "/rpc", endpoint = "compare_plans")]
pub async fn compare_plans(a: i64, b: i64) -> Result<PlanComparison, ServerFnError> {
    use crate::ssr::{context, require};
    require(domain::Capability::ManagePlans).await?;
    store::editor::compare(&context()?.db, a, b).await.map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "copy_plan")]
pub async fn copy_plan(id: i64) -> Result<PlanSummary, ServerFnError> {
    use crate::ssr::{context, require};
    let user = require(domain::Capability::ManagePlans).await?;
    store::editor::copy(&context()?.db, id, Some(user.id)).await.map_err(store_error)
}
