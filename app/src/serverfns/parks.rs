//! Several parks: each of the user's parks at a glance, and adding a park from the browser
//! (its boundary here; its enterprises then with the registry's import).

use api::ParkOverview;
use leptos::prelude::*;

#[server(prefix = "/rpc", endpoint = "parks_overview", output = crate::serverfns::Reply)]
pub async fn parks_overview() -> Result<Vec<ParkOverview>, ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let access = require(domain::Capability::ViewPark).await?;
    store::parks::overview(&context()?.db, &access).await.map_err(store_error)
}

/// `boundary`: GeoJSON text (a Polygon or MultiPolygon, WGS84). The new park becomes the one
/// the pages show, so that its registry can be imported next.
#[server(prefix = "/rpc", endpoint = "add_park", output = crate::serverfns::Reply)]
pub async fn add_park(code: String, name: String, boundary: String) -> Result<(), ServerFnError> {
    use crate::ssr::{PARK_COOKIE, context, require, set_cookie, store_error};
    let access = require(domain::Capability::ManageParks).await?;
    let area = domain::Boundary::from_geojson_str(&boundary)
        .map_err(|e| crate::ssr::refused(&store::Refusal { code: api::RefusalCode::BadBoundary, detail: e.to_string(), message: e.to_string() }))?;
    let member = (access.parks != store::access::Parks::All).then_some(access.user.id);
    let park = store::parks::create(&context()?.db, &code, &name, area, member, Some(access.user.id)).await.map_err(store_error)?;
    set_cookie(format!("{PARK_COOKIE}={}; SameSite=Lax; Path=/; Max-Age=31536000", park.code));
    Ok(())
}
