//! Cases (issue 13): the inboxes, a case with its timeline, registering a demand at the
//! service hall, and every transition. Each handler authenticates, calls `store::cases` (which
//! decides scope and the rules) and maps the answer: a transition the case's stage does not
//! allow is 409 with the stage and what it allows, one the caller may not do 403, bad input 422.

use super::{ApiError, CurrentUser};
use crate::state::AppState;
use api::cases::{Action, CaseBox, CaseDetail, CaseList, NewCase};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use domain::Capability;

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct CasesQuery {
    /// Which box: `open` (default), `new`, `due_soon`, `overdue`, `extensions`, `flagged`,
    /// `ledger`, `closed`.
    #[serde(rename = "box")]
    #[param(rename = "box")]
    pub which: Option<CaseBox>,
    /// One of the caller's parks; without it, all of them.
    pub park: Option<String>,
}

/// The caller's cases: the center's of its park, a department's sent to it, a worker's of the
/// grids they hold. One box, newest first (deadline first for `due_soon` and `overdue`), at
/// most 200, with every box's count.
#[utoipa::path(get, path = "/api/v1/cases", security(("session" = [])), params(CasesQuery),
    responses((status = 200, body = CaseList), (status = 401, body = api::ApiError), (status = 403, body = api::ApiError)))]
pub async fn list_cases(State(state): State<AppState>, who: CurrentUser, Query(q): Query<CasesQuery>) -> Result<Json<CaseList>, ApiError> {
    let park = match q.park.as_deref() {
        Some(code) => Some(who.park(&state.ctx.db, Some(code)).await?.id),
        None => None,
    };
    Ok(Json(store::cases::list(&state.ctx.db, &who.access, park, q.which.unwrap_or_default()).await?))
}

/// Registers a demand at the service hall (a visitor, a phone call); the caller owns it
/// (首问负责). The service center.
#[utoipa::path(post, path = "/api/v1/cases", security(("session" = [])), request_body = NewCase,
    responses((status = 201, body = CaseDetail), (status = 401, body = api::ApiError), (status = 403, body = api::ApiError),
              (status = 404, body = api::ApiError), (status = 409, body = api::ApiError)))]
pub async fn open_case(State(state): State<AppState>, who: CurrentUser, Json(new): Json<NewCase>) -> Result<impl IntoResponse, ApiError> {
    who.require(Capability::TriageCases)?;
    let case = store::cases::open_at_hall(&state.ctx.db, &who.access, &new).await?;
    Ok((StatusCode::CREATED, Json(case)))
}

/// A case with its whole timeline and the actions the caller may take now.
#[utoipa::path(get, path = "/api/v1/cases/{id}", security(("session" = [])), params(("id" = i64, Path, description = "case id")),
    responses((status = 200, body = CaseDetail), (status = 401, body = api::ApiError), (status = 403, body = api::ApiError), (status = 404, body = api::ApiError)))]
pub async fn get_case(State(state): State<AppState>, who: CurrentUser, Path(id): Path<i64>) -> Result<Json<CaseDetail>, ApiError> {
    Ok(Json(store::cases::detail(&state.ctx.db, &who.access, id).await?))
}

/// Does one action to a case (`{"action": "dispatch", "department": 3}`…). Every action is
/// checked against the case's stage, the caller's role and scope (park, grid, department).
#[utoipa::path(post, path = "/api/v1/cases/{id}/actions", security(("session" = [])), params(("id" = i64, Path, description = "case id")), request_body = Action,
    responses((status = 200, body = CaseDetail), (status = 401, body = api::ApiError), (status = 403, body = api::ApiError), (status = 404, body = api::ApiError),
              (status = 409, description = "the case's stage does not allow it: the stage and what it allows", body = api::cases::TransitionRefused),
              (status = 422, body = api::ApiError)))]
pub async fn act_on_case(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<i64>,
    Json(action): Json<Action>,
) -> Result<Json<CaseDetail>, ApiError> {
    Ok(Json(store::cases::act(&state.ctx.db, &who.access, id, &action).await?))
}

/// A file attached to a case, for whoever sees the case: sent as a download (never shown as a
/// page), with its type and name.
#[utoipa::path(get, path = "/api/v1/cases/{id}/attachments/{attachment}",
    security(("session" = [])), params(("id" = i64, Path, description = "case id"), ("attachment" = i64, Path, description = "attachment id")),
    responses((status = 200, description = "the file"), (status = 401, body = api::ApiError), (status = 403, body = api::ApiError), (status = 404, body = api::ApiError)))]
pub async fn get_attachment(State(state): State<AppState>, who: CurrentUser, Path((id, attachment)): Path<(i64, i64)>) -> Result<impl IntoResponse, ApiError> {
    use axum::http::header;
    let file = store::cases::attachment(&state.ctx.db, &who.access, id, attachment).await?;
    // RFC 6266/5987: the UTF-8 name percent-encoded, an ASCII stand-in for old clients.
    let encoded: String =
        file.name.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
    let disposition = format!("attachment; filename=\"attachment-{attachment}\"; filename*=UTF-8''{encoded}");
    Ok((
        [
            (header::CONTENT_TYPE, file.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        file.data,
    ))
}
