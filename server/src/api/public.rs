//! The park's public side as JSON (issue 15): the public page's data and its notices' files.
//! No session: anyone may ask, at most `store::public::views()` times per address.

use super::{ApiError, Peer};
use crate::state::AppState;
use api::public::PublicPage;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;

/// Counts the request against its address's allowance: 429 with the seconds to wait when spent.
pub(crate) async fn count(state: &AppState, headers: &HeaderMap, peer: Option<std::net::SocketAddr>) -> Result<(), ApiError> {
    let from = app::ssr::client_address(headers, peer, state.ctx.trust_proxy);
    match store::public::count_view(&state.ctx.db, from).await {
        Err(store::StoreError::Refused(r)) if r.code == api::RefusalCode::RateLimited => Err(ApiError::Throttled(r.detail.parse().unwrap_or(60))),
        other => Ok(other?),
    }
}

/// The park's public page as data: its grids with the workers' published name and phone, the
/// service list, policies and news (with their files), the figures per department when
/// published. Nothing a manager did not publish. No session needed.
#[utoipa::path(get, path = "/api/v1/public/{code}", params(("code" = String, Path, description = "the park's code")),
    responses((status = 200, body = PublicPage), (status = 404, body = api::ApiError), (status = 429, body = api::ApiError)))]
pub async fn public_data(State(state): State<AppState>, Peer(peer): Peer, headers: HeaderMap, Path(code): Path<String>) -> Result<Json<PublicPage>, ApiError> {
    count(&state, &headers, peer).await?;
    store::public::page(&state.ctx.db, &code).await?.map(Json).ok_or(ApiError::NotFound("park"))
}

/// A file of a published notice, as a download (never shown as a page). A withdrawn
/// notice's files are not found.
#[utoipa::path(get, path = "/api/v1/public/{code}/notices/{id}/attachments/{attachment}",
    params(("code" = String, Path, description = "the park's code"), ("id" = i64, Path, description = "notice id"), ("attachment" = i64, Path, description = "attachment id")),
    responses((status = 200, description = "the file"), (status = 404, body = api::ApiError), (status = 429, body = api::ApiError)))]
pub async fn public_attachment(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    Path((code, id, attachment)): Path<(String, i64, i64)>,
) -> Result<impl IntoResponse, ApiError> {
    use axum::http::header;
    count(&state, &headers, peer).await?;
    let (name, content_type, data) = store::public::attachment(&state.ctx.db, &code, id, attachment).await?;
    // RFC 6266/5987: the UTF-8 name percent-encoded, an ASCII stand-in for old clients.
    let encoded: String =
        name.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
    let disposition = format!("attachment; filename=\"attachment-{attachment}\"; filename*=UTF-8''{encoded}");
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox".to_owned()),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
        ],
        data,
    ))
}
