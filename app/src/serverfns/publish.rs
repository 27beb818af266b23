//! What the managers publish (issue 15): the service list, policies and news with their
//! files, the workers' public name and phone, the park's hotline and figures. Thin: parse,
//! call `store::publish` (which checks the park and the input), map errors.

use api::public::PublishOverview;
use leptos::prelude::*;

/// A JSON argument parsed, or refused as `bad_action` (not something this page sends).
#[cfg(feature = "ssr")]
fn parsed<T: serde::de::DeserializeOwned>(json: &str, what: &str) -> Result<T, ServerFnError> {
    serde_json::from_str(json)
        .map_err(|e| crate::ssr::refused(&store::Refusal { code: api::RefusalCode::BadAction, detail: String::new(), message: format!("not a {what}: {e}") }))
}

/// A file's bytes from base64, or refused as a file of the wrong type.
#[cfg(feature = "ssr")]
fn decoded(base64: &str) -> Result<Vec<u8>, ServerFnError> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(base64.trim())
        .map_err(|e| crate::ssr::refused(&store::Refusal { code: api::RefusalCode::AttachmentType, detail: String::new(), message: format!("not base64: {e}") }))
}

/// Everything the `/publish` page shows of the park the pages show. The service center.
#[server(prefix = "/rpc", endpoint = "load_publish", output = crate::serverfns::Reply)]
pub async fn load_publish() -> Result<PublishOverview, ServerFnError> {
    use crate::ssr::{context, park, require, store_error};
    let access = require(domain::Capability::TriageCases).await?;
    let park = park(&access).await?;
    store::publish::overview(&context()?.db, &access, park.id).await.map_err(store_error)
}

/// Adds a line (`api::public::ServiceItemDraft` as JSON) to the park's service list.
#[server(prefix = "/rpc", endpoint = "add_service_item", output = crate::serverfns::Reply)]
pub async fn add_service_item(item: String) -> Result<i64, ServerFnError> {
    use crate::ssr::{context, park, require, store_error};
    let access = require(domain::Capability::TriageCases).await?;
    let item: api::public::ServiceItemDraft = parsed(&item, "service item")?;
    let park = park(&access).await?;
    store::publish::add_service_item(&context()?.db, &access, park.id, &item).await.map_err(store_error)
}

/// Changes a line of the service list.
#[server(prefix = "/rpc", endpoint = "update_service_item", output = crate::serverfns::Reply)]
pub async fn update_service_item(id: i64, item: String) -> Result<(), ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let access = require(domain::Capability::TriageCases).await?;
    let item: api::public::ServiceItemDraft = parsed(&item, "service item")?;
    store::publish::update_service_item(&context()?.db, &access, id, &item).await.map_err(store_error)
}

/// Takes a line off the service list.
#[server(prefix = "/rpc", endpoint = "delete_service_item", output = crate::serverfns::Reply)]
pub async fn delete_service_item(id: i64) -> Result<(), ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let access = require(domain::Capability::TriageCases).await?;
    store::publish::delete_service_item(&context()?.db, &access, id).await.map_err(store_error)
}

/// Moves a line one place up or down the list.
#[server(prefix = "/rpc", endpoint = "move_service_item", output = crate::serverfns::Reply)]
pub async fn move_service_item(id: i64, up: bool) -> Result<(), ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let access = require(domain::Capability::TriageCases).await?;
    store::publish::move_service_item(&context()?.db, &access, id, up).await.map_err(store_error)
}

/// Publishes a policy or news (`api::public::NoticeDraft` as JSON) in the park, with a file
/// when `base64` is not empty (more files: [`attach_to_notice`]). Its id.
#[server(prefix = "/rpc", endpoint = "publish_notice", output = crate::serverfns::Reply)]
pub async fn publish_notice(notice: String, file_name: String, content_type: String, base64: String) -> Result<i64, ServerFnError> {
    use crate::ssr::{context, park, require, store_error};
    let access = require(domain::Capability::TriageCases).await?;
    let draft: api::public::NoticeDraft = parsed(&notice, "notice")?;
    let bytes = if base64.trim().is_empty() { None } else { Some(decoded(&base64)?) };
    let files: Vec<store::publish::NewFile<'_>> =
        bytes.as_deref().map(|b| store::publish::NewFile { name: &file_name, content_type: &content_type, bytes: b }).into_iter().collect();
    let park = park(&access).await?;
    store::publish::publish_notice(&context()?.db, &access, park.id, &draft, &files).await.map_err(store_error)
}

/// Adds a file to a published notice.
#[server(prefix = "/rpc", endpoint = "attach_to_notice", output = crate::serverfns::Reply)]
pub async fn attach_to_notice(id: i64, name: String, content_type: String, base64: String) -> Result<i64, ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let access = require(domain::Capability::TriageCases).await?;
    let bytes = decoded(&base64)?;
    let file = store::publish::NewFile { name: &name, content_type: &content_type, bytes: &bytes };
    store::publish::attach_to_notice(&context()?.db, &access, id, &file).await.map_err(store_error)
}

/// Takes a notice down.
#[server(prefix = "/rpc", endpoint = "withdraw_notice", output = crate::serverfns::Reply)]
pub async fn withdraw_notice(id: i64) -> Result<(), ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let access = require(domain::Capability::TriageCases).await?;
    store::publish::withdraw_notice(&context()?.db, &access, id).await.map_err(store_error)
}

/// What the public sees of a worker of the park: their name or not, a work phone or none.
#[server(prefix = "/rpc", endpoint = "set_worker_publish", output = crate::serverfns::Reply)]
pub async fn set_worker_publish(user: i64, publish_name: bool, phone: String) -> Result<(), ServerFnError> {
    use crate::ssr::{context, park, require, store_error};
    let access = require(domain::Capability::ManageWorkers).await?;
    let park = park(&access).await?;
    store::publish::set_worker_publish(&context()?.db, &access, park.id, user, publish_name, &phone).await.map_err(store_error)
}

/// The park's hotline (empty: none) and whether its quarterly figures are published.
#[server(prefix = "/rpc", endpoint = "set_park_public", output = crate::serverfns::Reply)]
pub async fn set_park_public(hotline: String, publish_figures: bool) -> Result<(), ServerFnError> {
    use crate::ssr::{context, park, require, store_error};
    let access = require(domain::Capability::TriageCases).await?;
    let park = park(&access).await?;
    store::publish::set_park_public(&context()?.db, &access, park.id, &hotline, publish_figures).await.map_err(store_error)
}
