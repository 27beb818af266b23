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
