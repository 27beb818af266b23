//! The field app's routes: sync, photo uploads, and what a worker's phone keeps.

use super::{ApiError, CurrentUser};
use crate::state::AppState;
use api::{FieldData, PhotoProgress, SyncBatch, SyncReply};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, StatusCode, header};
use axum::response::IntoResponse;
use domain::Capability;
use store::field::{Author, PhotoError};

/// The most records one sync may carry.
pub const MAX_BATCH: usize = 1000;
/// The header that says where a photo chunk goes (as in the tus protocol).
pub const UPLOAD_OFFSET: HeaderName = HeaderName::from_static("upload-offset");

/// Sends records made on the phone. Each gets a receipt: `created`, `duplicate` (already
/// stored; nothing changed), `rejected` (final) or `retry` (send it again later), the latter
/// two with the reason. Safe to repeat.
#[utoipa::path(post, path = "/api/v1/sync", security(("session" = [])), request_body = SyncBatch,
    responses((status = 200, body = SyncReply), (status = 401, body = api::ApiError), (status = 403, body = api::ApiError),
              (status = 409, description = "the records were made for another user", body = api::ApiError),
              (status = 413, description = "a body over 2 MB", body = api::ApiError),
              (status = 422, description = "more than 1000 records", body = api::ApiError)))]
pub async fn sync(State(state): State<AppState>, who: CurrentUser, Json(batch): Json<SyncBatch>) -> Result<Json<SyncReply>, ApiError> {
    who.require(Capability::RecordFieldWork)?;
    if batch.records.len() > MAX_BATCH {
        return Err(ApiError::Invalid(format!("{} records in one sync; send at most {MAX_BATCH}", batch.records.len())));
    }
    if batch.author_id.is_some_and(|a| a != who.user.id) {
        return Err(ApiError::Conflict("these records were made for another user: sign in as them to send them".into()));
    }
    let receipts = store::field::sync(&state.ctx.db, Author { user_id: who.user.id }, &batch.records).await?;
    Ok(Json(SyncReply { receipts }))
}

fn photo_error(e: PhotoError) -> ApiError {
    match e {
        PhotoError::Unknown(_) => ApiError::NotFound("photo"),
        PhotoError::NotYours(_) => ApiError::Forbidden,
        e @ PhotoError::WrongOffset { .. } => ApiError::Conflict(e.to_string()),
        e @ PhotoError::TooLong { .. } => ApiError::TooLarge(e.to_string()),
        e @ PhotoError::NotAnImage { .. } => ApiError::UnsupportedMedia(e.to_string()),
        PhotoError::Store(s) => s.into(),
    }
}

/// Uploads a photo's bytes, whole or in chunks: the body goes at `Upload-Offset` (0 when
/// absent). A chunk at the wrong offset gets 409; `HEAD` tells where to resume.
#[utoipa::path(put, path = "/api/v1/photos/{id}", security(("session" = [])), params(("id" = String, Path, description = "the photo's UUID, announced by its record")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = PhotoProgress), (status = 404, body = api::ApiError), (status = 409, body = api::ApiError),
              (status = 413, body = api::ApiError), (status = 415, body = api::ApiError)))]
pub async fn put_photo(
    State(state): State<AppState>,
    who: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    who.require(Capability::RecordFieldWork)?;
    let offset = match headers.get(&UPLOAD_OFFSET) {
        None => 0,
        Some(v) => v.to_str().ok().and_then(|s| s.trim().parse::<u64>().ok()).ok_or_else(|| ApiError::Invalid("Upload-Offset is not a number".into()))?,
    };
    let p = store::field::put_photo_chunk(&state.ctx.db, Author { user_id: who.user.id }, &id, offset, &body).await.map_err(photo_error)?;
    Ok(([(UPLOAD_OFFSET, p.received.to_string())], Json(p)))
}

/// How many bytes of a photo the server holds, in `Upload-Offset`.
#[utoipa::path(head, path = "/api/v1/photos/{id}", security(("session" = [])), params(("id" = String, Path, description = "the photo's UUID")),
    responses((status = 200, description = "Upload-Offset and Upload-Length headers"), (status = 404, body = api::ApiError)))]
pub async fn photo_head(State(state): State<AppState>, who: CurrentUser, Path(id): Path<String>) -> Result<impl IntoResponse, ApiError> {
    who.require(Capability::RecordFieldWork)?;
    let p = store::field::photo_progress(&state.ctx.db, Author { user_id: who.user.id }, &id).await.map_err(photo_error)?;
    Ok((StatusCode::OK, [(UPLOAD_OFFSET, p.received.to_string()), (HeaderName::from_static("upload-length"), p.size.to_string())]))
}

/// A complete photo, for the worker who took it and for whoever may see the park.
#[utoipa::path(get, path = "/api/v1/photos/{id}", security(("session" = [])), params(("id" = String, Path, description = "the photo's UUID")),
    responses((status = 200, description = "the image"), (status = 404, body = api::ApiError)))]
pub async fn get_photo(State(state): State<AppState>, who: CurrentUser, Path(id): Path<String>) -> Result<impl IntoResponse, ApiError> {
    let photo = store::field::photo_bytes(&state.ctx.db, &id).await?.ok_or(ApiError::NotFound("photo"))?;
    if photo.worker_id != who.user.id {
        who.require(Capability::ViewPark)?;
        who.access.check_park(photo.park_id.ok_or(ApiError::NotFound("photo"))?)?;
    }
    use futures::TryStreamExt;
    let body = axum::body::Body::from_stream(photo.chunks.map_err(|e| std::io::Error::other(e.to_string())));
    Ok((
        [
            (header::CONTENT_TYPE, photo.content_type),
            (header::CONTENT_LENGTH, photo.size.to_string()),
            (header::CACHE_CONTROL, "private, max-age=31536000, immutable".to_owned()),
            // An image, never a document: not sniffed as anything else, no script, no frame.
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox".to_owned()),
            (header::CONTENT_DISPOSITION, "inline".to_owned()),
        ],
        body,
    ))
}

/// What the field app keeps on the phone: the worker's enterprises with their visit status,
/// and the open findings of their grids.
#[utoipa::path(get, path = "/api/v1/my/field", security(("session" = [])), responses((status = 200, body = FieldData), (status = 401, body = api::ApiError), (status = 403, body = api::ApiError)))]
pub async fn my_field(State(state): State<AppState>, who: CurrentUser) -> Result<Json<FieldData>, ApiError> {
    who.require(Capability::RecordFieldWork)?;
    Ok(Json(store::field::field_data(&state.ctx.db, who.user.id).await?))
}
