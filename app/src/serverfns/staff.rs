//! Grid workers for managers: accounts and assignment to the active plan's grids.

use api::Staff;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
async fn park_id() -> Result<i64, ServerFnError> {
    use crate::ssr::{context, fail, internal};
    match store::parks::pick(&context()?.db, None).await.map_err(internal)? {
        Some(p) => Ok(p.id),
        None => Err(fail("not_found", axum::http::StatusCode::NOT_FOUND)),
    }
}

#[cfg(feature = "ssr")]
fn store_error(e: store::StoreError) -> ServerFnError {
    use crate::ssr::{fail, internal};
    use axum::http::StatusCode;
    match e {
        store::StoreError::NotFound(_) => fail("not_found", StatusCode::NOT_FOUND),
        // A taken login, a short password: the user's own input, translated by the page.
        store::StoreError::Refused(r) => crate::ssr::refused(&r),
        store::StoreError::Conflict(m) => {
            tracing::info!(reason = %m, "staff change refused");
            fail("conflict", StatusCode::CONFLICT)
        }
        e => internal(e),
    }
}

#[server(prefix = "/rpc", endpoint = "staff_overview")]
pub async fn staff_overview() -> Result<Staff, ServerFnError> {
    use crate::ssr::{context, require};
    require(domain::Capability::ManageWorkers).await?;
    store::staff::overview(&context()?.db, park_id().await?).await.map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "assign_worker")]
pub async fn assign_worker(grid: String, user: i64) -> Result<(), ServerFnError> {
    use crate::ssr::{context, require};
    let me = require(domain::Capability::ManageWorkers).await?;
    store::staff::assign(&context()?.db, park_id().await?, &grid, user, Some(me.id)).await.map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "unassign_worker")]
pub async fn unassign_worker(grid: String, user: i64) -> Result<(), ServerFnError> {
    use crate::ssr::{context, require};
    let me = require(domain::Capability::ManageWorkers).await?;
    store::staff::unassign(&context()?.db, park_id().await?, &grid, user, Some(me.id)).await.map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "create_worker")]
pub async fn create_worker(login: String, name: String, password: String) -> Result<(), ServerFnError> {
    use crate::ssr::{context, require};
    let me = require(domain::Capability::ManageWorkers).await?;
    store::staff::create_worker(&context()?.db, &login, &name, &password, Some(me.id)).await.map(|_| ()).map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "set_worker_active")]
pub async fn set_worker_active(user: i64, active: bool) -> Result<(), ServerFnError> {
    use crate::ssr::{context, require};
    let me = require(domain::Capability::ManageWorkers).await?;
    store::staff::set_active(&context()?.db, user, active, Some(me.id)).await.map_err(store_error)
}

/// A new random password for the worker, shown once to the manager.
#[server(prefix = "/rpc", endpoint = "reset_worker_password")]
pub async fn reset_worker_password(user: i64) -> Result<String, ServerFnError> {
    use crate::ssr::{context, require};
    let me = require(domain::Capability::ManageWorkers).await?;
    store::staff::reset_password(&context()?.db, user, Some(me.id)).await.map_err(store_error)
}
