//! The park's figures for the pages (issue 15): the dashboard, a month's scorecards, the
//! monthly report. Thin: `store::figures` gathers, `domain::figures` defines.

use api::figures::{Dashboard, FigureQuery, MapShapes, Report, Scorecards};
use leptos::prelude::*;

/// Sent as JSON: a query whose fields are all unset is an empty object, which the form
/// encoding cannot say.
#[server(prefix = "/rpc", endpoint = "load_dashboard", input = leptos::server_fn::codec::Json, output = crate::serverfns::Reply)]
pub async fn load_dashboard(query: FigureQuery) -> Result<Dashboard, ServerFnError> {
    use crate::ssr::{context, park, require, store_error};
    let access = require(domain::Capability::ViewFigures).await?;
    let park = park(&access).await?;
    let q = FigureQuery { park: Some(park.code), ..query };
    store::figures::dashboard(&context()?.db, &access, &q, chrono::Utc::now()).await.map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "load_scorecards", output = crate::serverfns::Reply)]
pub async fn load_scorecards(month: Option<String>) -> Result<Scorecards, ServerFnError> {
    use crate::ssr::{context, park, require, store_error};
    let access = require(domain::Capability::ViewFigures).await?;
    let park = park(&access).await?;
    store::figures::scorecards(&context()?.db, &access, Some(&park.code), month.as_deref(), chrono::Utc::now()).await.map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "load_report", output = crate::serverfns::Reply)]
pub async fn load_report(month: Option<String>) -> Result<Report, ServerFnError> {
    use crate::ssr::{context, park, require, store_error};
    let access = require(domain::Capability::ViewFigures).await?;
    let park = park(&access).await?;
    store::figures::report(&context()?.db, &access, Some(&park.code), month.as_deref(), chrono::Utc::now()).await.map_err(store_error)
}

/// The dashboard map's shapes, once per page.
#[server(prefix = "/rpc", endpoint = "figure_shapes", output = crate::serverfns::Reply)]
pub async fn figure_shapes() -> Result<MapShapes, ServerFnError> {
    use crate::ssr::{context, park, require, store_error};
    let access = require(domain::Capability::ViewFigures).await?;
    let park = park(&access).await?;
    store::figures::shapes(&context()?.db, &access, Some(&park.code)).await.map_err(store_error)
}
