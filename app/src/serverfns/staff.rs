//! Grid workers for managers, in the park the pages show: accounts and assignment to the
//! active plan's grids. A worker of another park is refused (403).

use api::Staff;
use leptos::prelude::*;

#[server(prefix = "/rpc", endpoint = "staff_overview", output = crate::serverfns::Reply)]
pub async fn staff_overview() -> Result<Staff, ServerFnError> {
    use crate::ssr::{context, park, require, store_error};
    let access = require(domain::Capability::ManageWorkers).await?;
    store::staff::overview(&context()?.db, park(&access).await?.id).await.map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "assign_worker", output = crate::serverfns::Reply)]
pub async fn assign_worker(grid: String, user: i64) -> Result<(), ServerFnError> {
    use crate::ssr::{context, park, require, store_error};
    let db = context()?.db;
    let access = require(domain::Capability::ManageWorkers).await?;
    access.account(&db, user).await.map_err(store_error)?;
    store::staff::assign(&db, park(&access).await?.id, &grid, user, Some(access.user.id)).await.map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "unassign_worker", output = crate::serverfns::Reply)]
pub async fn unassign_worker(grid: String, user: i64) -> Result<(), ServerFnError> {
    use crate::ssr::{context, park, require, store_error};
    let db = context()?.db;
    let access = require(domain::Capability::ManageWorkers).await?;
    access.account(&db, user).await.map_err(store_error)?;
    store::staff::unassign(&db, park(&access).await?.id, &grid, user, Some(access.user.id)).await.map_err(store_error)
}

/// A worker of the park the pages show, with the password the manager chose; the worker
/// chooses their own at first sign-in.
#[server(prefix = "/rpc", endpoint = "create_worker", output = crate::serverfns::Reply)]
pub async fn create_worker(login: String, name: String, password: String) -> Result<(), ServerFnError> {
    use crate::ssr::{context, park, require, store_error};
    let access = require(domain::Capability::ManageWorkers).await?;
    let park = park(&access).await?;
    store::staff::create_worker(&context()?.db, park.id, &login, &name, &password, Some(access.user.id)).await.map(|_| ()).map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "set_worker_active", output = crate::serverfns::Reply)]
pub async fn set_worker_active(user: i64, active: bool) -> Result<(), ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let db = context()?.db;
    let access = require(domain::Capability::ManageWorkers).await?;
    access.account(&db, user).await.map_err(store_error)?;
    store::staff::set_active(&db, user, active, Some(access.user.id)).await.map_err(store_error)
}

/// A temporary password for the worker, shown once to the manager; the worker must change it
/// at their next sign-in.
#[server(prefix = "/rpc", endpoint = "reset_worker_password", output = crate::serverfns::Reply)]
pub async fn reset_worker_password(user: i64) -> Result<String, ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let db = context()?.db;
    let access = require(domain::Capability::ManageWorkers).await?;
    access.account(&db, user).await.map_err(store_error)?;
    store::staff::reset_password(&db, user, Some(access.user.id)).await.map_err(store_error)
}
