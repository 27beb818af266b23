//! Cases for the pages (issue 13): the inbox, a case with its timeline, the actions, and a
//! demand registered at the service hall. Thin: `store::cases` decides scope and the rules.

use api::cases::{CaseBox, CaseDetail, CaseList, DemandCategory};
use leptos::prelude::*;

/// The user's cases in one box: the center's of the park the pages show; a department's and a
/// worker's of all their parks.
#[server(prefix = "/rpc", endpoint = "case_inbox", output = crate::serverfns::Reply)]
pub async fn case_inbox(which: CaseBox) -> Result<CaseList, ServerFnError> {
    use crate::ssr::{context, park, signed_in, store_error};
    let access = signed_in().await?;
    let park = match access.role {
        Some(domain::Role::Admin | domain::Role::Manager) => Some(park(&access).await?.id),
        _ => None,
    };
    store::cases::list(&context()?.db, &access, park, which).await.map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "load_case", output = crate::serverfns::Reply)]
pub async fn load_case(id: i64) -> Result<CaseDetail, ServerFnError> {
    use crate::ssr::{context, signed_in, store_error};
    let access = signed_in().await?;
    store::cases::detail(&context()?.db, &access, id).await.map_err(store_error)
}

/// One action on a case, as JSON (`{"action":"dispatch","department":3}`).
#[server(prefix = "/rpc", endpoint = "case_act", output = crate::serverfns::Reply)]
pub async fn case_act(id: i64, action: String) -> Result<CaseDetail, ServerFnError> {
    use crate::ssr::{context, refused, signed_in, store_error};
    let access = signed_in().await?;
    let action: api::cases::Action = serde_json::from_str(&action)
        .map_err(|e| refused(&store::Refusal { code: api::RefusalCode::BadAction, detail: String::new(), message: format!("not an action: {e}") }))?;
    store::cases::act(&context()?.db, &access, id, &action).await.map_err(store_error)
}

/// A demand registered at the service hall (a visitor, a phone call), owned by the one who
/// registers it (首问负责). The service center.
#[server(prefix = "/rpc", endpoint = "open_hall_case", output = crate::serverfns::Reply)]
pub async fn open_hall_case(enterprise_id: i64, category: DemandCategory, description: String) -> Result<i64, ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let access = require(domain::Capability::TriageCases).await?;
    let new = api::cases::NewCase { enterprise_id, category, description };
    store::cases::open_at_hall(&context()?.db, &access, &new).await.map(|d| d.case.id).map_err(store_error)
}

/// The enterprises of the park the pages show, by name (id, name): whom a demand at the hall
/// is about. The service center; others get none.
#[server(prefix = "/rpc", endpoint = "hall_enterprises", output = crate::serverfns::Reply)]
pub async fn hall_enterprises() -> Result<Vec<(i64, String)>, ServerFnError> {
    use crate::ssr::{context, park, signed_in, store_error};
    let access = signed_in().await?;
    if !access.role.is_some_and(|r| r.permits(domain::Capability::TriageCases)) {
        return Ok(Vec::new());
    }
    store::cases::enterprise_names(&context()?.db, park(&access).await?.id).await.map_err(store_error)
}

/// Issues the enterprise's own link (a new one revokes the old) and its QR code. The center.
#[server(prefix = "/rpc", endpoint = "issue_enterprise_link", output = crate::serverfns::Reply)]
pub async fn issue_enterprise_link(enterprise_id: i64) -> Result<api::cases::EnterpriseLink, ServerFnError> {
    use crate::ssr::{context, internal, require, store_error};
    let access = require(domain::Capability::TriageCases).await?;
    let token = store::portal::issue(&context()?.db, &access, enterprise_id).await.map_err(store_error)?;
    let path = format!("/e/{token}");
    let qr = qrcode::QrCode::new(path.as_bytes()).map_err(internal)?;
    let qr_svg = qr.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).quiet_zone(true).build();
    Ok(api::cases::EnterpriseLink { path, qr_svg })
}

/// Attaches a file (its bytes as base64) to a case: whoever handles it while it is open.
#[server(prefix = "/rpc", endpoint = "attach_to_case", output = crate::serverfns::Reply)]
pub async fn attach_to_case(id: i64, name: String, content_type: String, base64: String) -> Result<(), ServerFnError> {
    use crate::ssr::{context, refused, signed_in, store_error};
    use base64::Engine;
    let access = signed_in().await?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64.trim())
        .map_err(|e| refused(&store::Refusal { code: api::RefusalCode::AttachmentType, detail: String::new(), message: format!("not base64: {e}") }))?;
    store::cases::attach(&context()?.db, &access, id, &name, &content_type, &bytes).await.map(|_| ()).map_err(store_error)
}

/// What the enterprise's link shows. No account: the token is the key.
#[server(prefix = "/rpc", endpoint = "portal_view", output = crate::serverfns::Reply)]
pub async fn portal_view(token: String) -> Result<api::cases::Portal, ServerFnError> {
    use crate::ssr::{context, request_address, store_error};
    store::portal::view(&context()?.db, &token, request_address().await).await.map_err(store_error)
}

/// The enterprise rates one of its closed cases through its link.
#[server(prefix = "/rpc", endpoint = "portal_rate", output = crate::serverfns::Reply)]
pub async fn portal_rate(token: String, case: i64, satisfaction: api::cases::Satisfaction, solved: bool, comment: String) -> Result<(), ServerFnError> {
    use crate::ssr::{context, request_address, store_error};
    store::portal::rate(&context()?.db, &token, request_address().await, case, satisfaction, solved, &comment).await.map_err(store_error)
}

/// The enterprise submits a demand through its link.
#[server(prefix = "/rpc", endpoint = "portal_submit", output = crate::serverfns::Reply)]
pub async fn portal_submit(token: String, category: DemandCategory, description: String) -> Result<i64, ServerFnError> {
    use crate::ssr::{context, request_address, store_error};
    store::portal::submit(&context()?.db, &token, request_address().await, category, &description).await.map_err(store_error)
}

/// The time limits table (时限). The service center.
#[server(prefix = "/rpc", endpoint = "case_limits", output = crate::serverfns::Reply)]
pub async fn case_limits() -> Result<api::cases::Limits, ServerFnError> {
    use crate::ssr::{context, signed_in, store_error};
    let access = signed_in().await?;
    if !access.role.is_some_and(|r| r.permits(domain::Capability::TriageCases)) {
        return Ok(api::cases::Limits::default());
    }
    let db = &context()?.db;
    Ok(api::cases::Limits { modes: store::cases::limits(db).await.map_err(store_error)?, stages: store::cases::stage_limits(db).await.map_err(store_error)? })
}

/// Sets a stage's limit (as JSON). The service center.
#[server(prefix = "/rpc", endpoint = "set_stage_limit", output = crate::serverfns::Reply)]
pub async fn set_stage_limit(row: String) -> Result<(), ServerFnError> {
    use crate::ssr::{context, refused, require, store_error};
    let access = require(domain::Capability::TriageCases).await?;
    let row: api::cases::StageLimitRow = serde_json::from_str(&row)
        .map_err(|e| refused(&store::Refusal { code: api::RefusalCode::BadAction, detail: String::new(), message: format!("not a stage limit: {e}") }))?;
    store::cases::set_stage_limit(&context()?.db, &access, &row).await.map_err(store_error)
}

/// Sets a row of the time limits table (as JSON). The service center.
#[server(prefix = "/rpc", endpoint = "set_case_limit", output = crate::serverfns::Reply)]
pub async fn set_case_limit(row: String) -> Result<(), ServerFnError> {
    use crate::ssr::{context, refused, require, store_error};
    let access = require(domain::Capability::TriageCases).await?;
    let row: api::cases::TimeLimitRow = serde_json::from_str(&row)
        .map_err(|e| refused(&store::Refusal { code: api::RefusalCode::BadAction, detail: String::new(), message: format!("not a time limit: {e}") }))?;
    store::cases::set_limit(&context()?.db, &access, &row).await.map_err(store_error)
}

/// The years of the official calendar the installation holds.
#[server(prefix = "/rpc", endpoint = "calendar_years", output = crate::serverfns::Reply)]
pub async fn calendar_years() -> Result<Vec<api::cases::CalendarYear>, ServerFnError> {
    use crate::ssr::{context, signed_in, store_error};
    signed_in().await?;
    store::calendar::years(&context()?.db).await.map_err(store_error)
}

/// Loads a year's notice (holiday-cn JSON) when the State Council publishes it. The
/// administrator.
#[server(prefix = "/rpc", endpoint = "load_calendar", output = crate::serverfns::Reply)]
pub async fn load_calendar(json: String) -> Result<i32, ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let access = require(domain::Capability::ManageCalendar).await?;
    store::calendar::load_notice(&context()?.db, &json, Some(access.user.id)).await.map_err(store_error)
}
