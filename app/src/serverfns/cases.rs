//! Cases for the pages (issue 13): the inbox, a case with its timeline, the actions, and a
//! demand registered at the service hall. Thin: `store::cases` decides scope and the rules.

use api::cases::{CaseBox, CaseDetail, CaseList, DemandCategory};
use leptos::prelude::*;

/// The user's cases in one box: the center's of the park the pages show; a department's and a
/// worker's of all their parks.
#[server(prefix = "/rpc", endpoint = "case_inbox")]
pub async fn case_inbox(which: CaseBox) -> Result<CaseList, ServerFnError> {
    use crate::ssr::{context, park, signed_in, store_error};
    let access = signed_in().await?;
    let park = match access.role {
        Some(domain::Role::Admin | domain::Role::Manager) => Some(park(&access).await?.id),
        _ => None,
    };
    store::cases::list(&context()?.db, &access, park, which).await.map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "load_case")]
pub async fn load_case(id: i64) -> Result<CaseDetail, ServerFnError> {
    use crate::ssr::{context, signed_in, store_error};
    let access = signed_in().await?;
    store::cases::detail(&context()?.db, &access, id).await.map_err(store_error)
}

/// One action on a case, as JSON (`{"action":"dispatch","department":3}`).
#[server(prefix = "/rpc", endpoint = "case_act")]
pub async fn case_act(id: i64, action: String) -> Result<CaseDetail, ServerFnError> {
    use crate::ssr::{context, refused, signed_in, store_error};
    let access = signed_in().await?;
    let action: api::cases::Action = serde_json::from_str(&action)
        .map_err(|e| refused(&store::Refusal { code: "bad_action", detail: String::new(), message: format!("not an action: {e}") }))?;
    store::cases::act(&context()?.db, &access, id, &action).await.map_err(store_error)
}

/// A demand registered at the service hall (a visitor, a phone call), owned by the one who
/// registers it (首问负责). The service center.
#[server(prefix = "/rpc", endpoint = "open_hall_case")]
pub async fn open_hall_case(enterprise_id: i64, category: DemandCategory, description: String) -> Result<i64, ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let access = require(domain::Capability::TriageCases).await?;
    let new = api::cases::NewCase { enterprise_id, category, description };
    store::cases::open_at_hall(&context()?.db, &access, &new).await.map(|d| d.case.id).map_err(store_error)
}

/// The enterprises of the park the pages show, by name (id, name): whom a demand at the hall
/// is about. The service center; others get none.
#[server(prefix = "/rpc", endpoint = "hall_enterprises")]
pub async fn hall_enterprises() -> Result<Vec<(i64, String)>, ServerFnError> {
    use crate::ssr::{context, park, signed_in, store_error};
    let access = signed_in().await?;
    if !access.role.is_some_and(|r| r.permits(domain::Capability::TriageCases)) {
        return Ok(Vec::new());
    }
    store::cases::enterprise_names(&context()?.db, park(&access).await?.id).await.map_err(store_error)
}
