//! The data behind the map pages.

use api::{MapView, ParkPage};
use leptos::prelude::*;

/// The signed-in worker's grid(s) and enterprises. `None`: no grid assigned yet.
#[server(prefix = "/rpc", endpoint = "my_grid", output = crate::serverfns::Reply)]
pub async fn my_grid() -> Result<Option<MapView>, ServerFnError> {
    use crate::ssr::{context, internal, require};
    let access = require(domain::Capability::ViewOwnGrid).await?;
    store::views::worker_map(&context()?.db, access.user.id).await.map_err(internal)
}

/// The park page under the active plan (managers, departments, admins), or under plan
/// `plan` (drafts are the managers' business): the park, the plan and a row per grid. The
/// page's map fetches the rest (`GET /api/v1/park`, the same rules).
#[server(prefix = "/rpc", endpoint = "park_view", output = crate::serverfns::Reply)]
pub async fn park_view(plan: Option<i64>) -> Result<Option<ParkPage>, ServerFnError> {
    use crate::ssr::{context, internal, park, require, store_error};
    let db = context()?.db;
    match plan {
        Some(id) => {
            require(domain::Capability::ManagePlans).await?.plan(&db, id).await.map_err(store_error)?;
            store::views::plan_page(&db, id).await.map_err(internal)
        }
        None => {
            let access = require(domain::Capability::ViewPark).await?;
            let park = match park(&access).await {
                Ok(p) => p,
                // No park yet (a new installation): the page says so.
                Err(e) if crate::errors::code(&e) == "not_found" => return Ok(None),
                Err(e) => return Err(e),
            };
            store::views::park_page(&db, Some(&park.code)).await.map_err(internal)
        }
    }
}
