//! Grid plans for managers: list, compute a draft with the partitioner, activate.

use api::PlanSummary;
use leptos::prelude::*;

/// The plans panel's list: the park's plans for those who manage them, `None` for anyone else
/// (a department officer on the park page: no panel, and no refusal that would make the page
/// answer 403).
#[server(prefix = "/rpc", endpoint = "plans_panel", output = crate::serverfns::Reply)]
pub async fn plans_panel() -> Result<Option<Vec<PlanSummary>>, ServerFnError> {
    use crate::ssr::{context, current_user, fail, internal, park, require};
    match current_user().await? {
        None => Err(fail(crate::errors::UNAUTHENTICATED, axum::http::StatusCode::UNAUTHORIZED)),
        Some((_, Some(role))) if role.permits(domain::Capability::ManagePlans) => {
            let access = require(domain::Capability::ManagePlans).await?;
            let park = park(&access).await?;
            store::plans::list(&context()?.db, park.id).await.map(Some).map_err(internal)
        }
        Some(_) => Ok(None),
    }
}

/// Runs the partitioner from the active plan with `min`–`max` enterprises per grid (20–40,
/// clause 5.3.1, when not given) and stores a draft.
#[server(prefix = "/rpc", endpoint = "compute_plan", output = crate::serverfns::Reply)]
pub async fn compute_plan(min: Option<u32>, max: Option<u32>) -> Result<PlanSummary, ServerFnError> {
    use crate::ssr::{context, fail, internal, park, require};
    let access = require(domain::Capability::ManagePlans).await?;
    let standard = partition::Limits::default();
    let limits = partition::Limits { min: min.unwrap_or(standard.min), max: max.unwrap_or(standard.max) };
    if limits.min == 0 || limits.min > limits.max {
        return Err(fail("bad_limits", axum::http::StatusCode::UNPROCESSABLE_ENTITY));
    }
    let park = park(&access).await?;
    store::plans::compute_draft(&context()?.db, park.id, limits, None, Some(access.user.id)).await.map_err(internal)
}

/// A new draft with no grid, to be drawn in the plan editor.
#[server(prefix = "/rpc", endpoint = "new_empty_plan", output = crate::serverfns::Reply)]
pub async fn new_empty_plan() -> Result<PlanSummary, ServerFnError> {
    use crate::ssr::{context, internal, park, require};
    let access = require(domain::Capability::ManagePlans).await?;
    let park = park(&access).await?;
    store::editor::create_empty(&context()?.db, park.id, Some(access.user.id)).await.map_err(internal)
}

#[server(prefix = "/rpc", endpoint = "activate_plan", output = crate::serverfns::Reply)]
pub async fn activate_plan(id: i64) -> Result<PlanSummary, ServerFnError> {
    use crate::ssr::{context, fail, internal, require, store_error};
    let db = context()?.db;
    let access = require(domain::Capability::ManagePlans).await?;
    access.plan(&db, id).await.map_err(store_error)?;
    let plan = store::plans::activate(&db, id, Some(access.user.id)).await.map_err(store_error)?;
    let list = store::plans::list(&db, plan.park_id).await.map_err(internal)?;
    list.into_iter().find(|p| p.id == id).ok_or_else(|| fail("not_found", axum::http::StatusCode::NOT_FOUND))
}
