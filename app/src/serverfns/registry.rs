//! The enterprise registry for managers: check an import (a report, nothing written), import.
//! The file travels base64-encoded (CSV may be GBK, which is not a string).

use api::ImportReport;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
async fn upload(file_name: String, data: String, encoding: String, datum: String, mapping: String) -> Result<(i64, store::registry::Upload), ServerFnError> {
    use crate::ssr::{context, fail, internal};
    use axum::http::StatusCode;
    use base64::Engine;
    let park = store::parks::pick(&context()?.db, None).await.map_err(internal)?.ok_or_else(|| fail("not_found", StatusCode::NOT_FOUND))?;
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
#[server(prefix = "/rpc", endpoint = "registry_check")]
pub async fn registry_check(file_name: String, data: String, encoding: String, datum: String, mapping: String) -> Result<ImportReport, ServerFnError> {
    use crate::ssr::{context, internal, require};
    require(domain::Capability::ManageEnterprises).await?;
    let (park, up) = upload(file_name, data, encoding, datum, mapping).await?;
    store::registry::check(&context()?.db, park, &up).await.map_err(internal)
}

#[server(prefix = "/rpc", endpoint = "registry_import")]
pub async fn registry_import(file_name: String, data: String, encoding: String, datum: String, mapping: String) -> Result<ImportReport, ServerFnError> {
    use crate::ssr::{context, internal, require};
    let user = require(domain::Capability::ManageEnterprises).await?;
    let (park, up) = upload(file_name, data, encoding, datum, mapping).await?;
    store::registry::import(&context()?.db, park, &up, Some(user.id)).await.map_err(internal)
}

#[cfg(feature = "ssr")]
async fn park() -> Result<i64, ServerFnError> {
    use crate::ssr::{context, fail, internal};
    Ok(store::parks::pick(&context()?.db, None).await.map_err(internal)?.ok_or_else(|| fail("not_found", axum::http::StatusCode::NOT_FOUND))?.id)
}

#[server(prefix = "/rpc", endpoint = "registry_list")]
pub async fn registry_list() -> Result<Vec<api::RegistryEnterprise>, ServerFnError> {
    use crate::ssr::{context, internal, require};
    require(domain::Capability::ManageEnterprises).await?;
    store::registry::list(&context()?.db, park().await?).await.map_err(internal)
}

/// `edit`: JSON `api::EnterpriseEdit`. A refused change is an error `refused:<code>:<detail>`.
#[server(prefix = "/rpc", endpoint = "update_enterprise")]
pub async fn update_enterprise(edit: String) -> Result<(), ServerFnError> {
    use crate::ssr::{context, fail, internal, require, set_status};
    use axum::http::StatusCode;
    let user = require(domain::Capability::ManageEnterprises).await?;
    let edit: api::EnterpriseEdit = serde_json::from_str(&edit).map_err(|_| fail("bad_request", StatusCode::BAD_REQUEST))?;
    match store::registry::update(&context()?.db, park().await?, edit, Some(user.id)).await {
        Ok(()) => Ok(()),
        Err(store::StoreError::NotFound(_)) => Err(fail("not_found", StatusCode::NOT_FOUND)),
        Err(store::StoreError::Refused(r)) => Err(crate::ssr::refused(&r)),
        Err(store::StoreError::Conflict(m)) => {
            tracing::info!(reason = %m, "enterprise change refused");
            set_status(StatusCode::CONFLICT);
            Err(ServerFnError::new("conflict"))
        }
        Err(e) => Err(internal(e)),
    }
}

#[server(prefix = "/rpc", endpoint = "enterprise_history")]
pub async fn enterprise_history(id: i64) -> Result<Vec<api::ChangeEntry>, ServerFnError> {
    use crate::ssr::{context, fail, internal, require};
    require(domain::Capability::ManageEnterprises).await?;
    match store::registry::history(&context()?.db, park().await?, id).await {
        Ok(h) => Ok(h),
        Err(store::StoreError::NotFound(_)) => Err(fail("not_found", axum::http::StatusCode::NOT_FOUND)),
        Err(e) => Err(internal(e)),
    }
}
