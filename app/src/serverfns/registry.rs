//! The enterprise registry for managers: check an import (a report, nothing written), import.
//! The file travels base64-encoded (CSV may be GBK, which is not a string).

use api::ImportReport;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
async fn upload(
    access: &store::access::Access,
    file_name: String,
    data: String,
    encoding: String,
    datum: String,
    mapping: String,
) -> Result<(i64, store::registry::Upload), ServerFnError> {
    use crate::ssr::fail;
    use axum::http::StatusCode;
    use base64::Engine;
    let park = crate::ssr::park(access).await?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(data.trim()).map_err(|_| fail("bad_request", StatusCode::BAD_REQUEST))?;
    let encoding = match encoding.as_str() {
        "utf8" => Some(api::Encoding::Utf8),
        "gbk" => Some(api::Encoding::Gbk),
        _ => None,
    };
    let datum = api::Datum::parse(&datum).unwrap_or_default();
    let mapping = if mapping.trim().is_empty() { None } else { serde_json::from_str(&mapping).map_err(|_| fail("bad_request", StatusCode::BAD_REQUEST))? };
    Ok((park.id, store::registry::Upload { file_name, bytes, encoding, mapping, datum }))
}

/// `encoding`: `auto`, `utf8` or `gbk`; `datum`: `wgs84` or `gcj02`; `mapping`: JSON
/// `api::ColumnMapping`, or empty to guess it from the header.
#[server(prefix = "/rpc", endpoint = "registry_check", output = crate::serverfns::Reply)]
pub async fn registry_check(file_name: String, data: String, encoding: String, datum: String, mapping: String) -> Result<ImportReport, ServerFnError> {
    use crate::ssr::{context, internal, require};
    let access = require(domain::Capability::ManageEnterprises).await?;
    let (park, up) = upload(&access, file_name, data, encoding, datum, mapping).await?;
    store::registry::check(&context()?.db, park, &up).await.map_err(internal)
}

#[server(prefix = "/rpc", endpoint = "registry_import", output = crate::serverfns::Reply)]
pub async fn registry_import(file_name: String, data: String, encoding: String, datum: String, mapping: String) -> Result<ImportReport, ServerFnError> {
    use crate::ssr::{context, internal, require};
    let access = require(domain::Capability::ManageEnterprises).await?;
    let (park, up) = upload(&access, file_name, data, encoding, datum, mapping).await?;
    store::registry::import(&context()?.db, park, &up, Some(access.user.id)).await.map_err(internal)
}

#[server(prefix = "/rpc", endpoint = "registry_list", output = crate::serverfns::Reply)]
pub async fn registry_list() -> Result<Vec<api::RegistryEnterprise>, ServerFnError> {
    use crate::ssr::{context, internal, park, require};
    let access = require(domain::Capability::ManageEnterprises).await?;
    store::registry::list(&context()?.db, park(&access).await?.id).await.map_err(internal)
}

/// `edit`: JSON `api::EnterpriseEdit`. A refused change is an error `refused:<code>:<detail>`.
#[server(prefix = "/rpc", endpoint = "update_enterprise", output = crate::serverfns::Reply)]
pub async fn update_enterprise(edit: String) -> Result<(), ServerFnError> {
    use crate::ssr::{context, fail, require, store_error};
    let db = context()?.db;
    let access = require(domain::Capability::ManageEnterprises).await?;
    let edit: api::EnterpriseEdit = serde_json::from_str(&edit).map_err(|_| fail("bad_request", axum::http::StatusCode::BAD_REQUEST))?;
    let e = access.enterprise(&db, edit.id).await.map_err(store_error)?;
    store::registry::update(&db, e.park_id, edit, Some(access.user.id)).await.map_err(store_error)
}

#[server(prefix = "/rpc", endpoint = "enterprise_history", output = crate::serverfns::Reply)]
pub async fn enterprise_history(id: i64) -> Result<Vec<api::ChangeEntry>, ServerFnError> {
    use crate::ssr::{context, require, store_error};
    let db = context()?.db;
    let e = require(domain::Capability::ManageEnterprises).await?.enterprise(&db, id).await.map_err(store_error)?;
    store::registry::history(&db, e.park_id, id).await.map_err(store_error)
}
