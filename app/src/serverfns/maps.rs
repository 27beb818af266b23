//! The data behind the map pages.

use api::MapView;
use leptos::prelude::*;

/// The signed-in worker's grid(s) and enterprises. `None`: no grid assigned yet.
#[server(prefix = "/rpc", endpoint = "my_grid")]
pub async fn my_grid() -> Result<Option<MapView>, ServerFnError> {
    use crate::ssr::{context, internal, require};
    let user = require(domain::Capability::ViewOwnGrid).await?;
    store::views::worker_map(&context()?.db, user.id).await.map_err(internal)
}

/// The whole park under its active plan (managers, departments, admins), or under plan
/// `plan` (drafts are the managers' business).
#[server(prefix = "/rpc", endpoint = "park_view")]
pub async fn park_view(plan: Option<i64>) -> Result<Option<MapView>, ServerFnError> {
    use crate::ssr::{context, internal, require};
    let db = context()?.db;
    match plan {
        Some(id) => {
            require(domain::Capability::ManagePlans).await?;
            store::views::plan_map(&db, id).await.map_err(internal)
        }
        None => {
            require(domain::Capability::ViewPark).await?;
            store::views::park_map(&db, None).await.map_err(internal)
        }
    }
}
