//! The API's one error type.
//!
//! Policy: a handler returns `Result<_, ApiError>`. Variants a user can act on carry a clear
//! message and their status code; [`ApiError::Internal`] logs its cause chain and answers an
//! opaque 500, so database text never reaches a client.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("sign in first")]
    Unauthenticated,
    #[error("your role may not do this, or not here")]
    Forbidden,
    #[error("your password was reset: choose your own first")]
    PasswordChangeRequired,
    #[error("wrong login or password")]
    BadCredentials,
    #[error("too many failed attempts; try again in {0} s")]
    Throttled(i64),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request is well-formed but says something impossible (what, in words).
    #[error("{0}")]
    Invalid(String),
    /// The request conflicts with the current state (what, in words).
    #[error("{0}")]
    Conflict(String),
    /// An input the rules refuse, with why as a code clients match on (`api::RefusalCode`)
    /// and the part of the input it names: 409 for the store's refusals, 422 for a case's
    /// transition whose input its rules refuse.
    #[error("{message}")]
    Refused { message: String, refused: api::Refused, status: StatusCode },
    /// More bytes than allowed (what, in words).
    #[error("{0}")]
    TooLarge(String),
    /// Not a kind of content accepted here (what, in words).
    #[error("{0}")]
    UnsupportedMedia(String),
    /// A case's transition its stage does not allow: the stage and what it allows.
    #[error("{message}")]
    NotInStage { message: String, stage: api::cases::Stage, allowed: Vec<api::cases::ActionKind> },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthenticated | ApiError::BadCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::PasswordChangeRequired => StatusCode::FORBIDDEN,
            ApiError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict(_) | ApiError::NotInStage { .. } => StatusCode::CONFLICT,
            ApiError::Refused { status, .. } => *status,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMedia(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Forbidden => "forbidden",
            ApiError::PasswordChangeRequired => "password_change_required",
            ApiError::BadCredentials => "bad_credentials",
            ApiError::Throttled(_) => "throttled",
            ApiError::NotFound(_) => "not_found",
            ApiError::Invalid(_) => "invalid_input",
            ApiError::Conflict(_) => "conflict",
            ApiError::Refused { status, .. } if *status == StatusCode::UNPROCESSABLE_ENTITY => "invalid_input",
            ApiError::Refused { .. } => "conflict",
            ApiError::NotInStage { .. } => "not_in_stage",
            ApiError::TooLarge(_) => "too_large",
            ApiError::UnsupportedMedia(_) => "unsupported_media",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> Self {
        match e {
            store::StoreError::NotFound(what) => ApiError::NotFound(what),
            store::StoreError::Forbidden(_) => ApiError::Forbidden,
            store::StoreError::Conflict(why) => ApiError::Conflict(why),
            store::StoreError::Refused(r) => {
                ApiError::Refused { message: r.message, refused: api::Refused { code: r.code, detail: r.detail }, status: StatusCode::CONFLICT }
            }
            store::StoreError::Transition(t) => match &t {
                domain::case::TransitionError::NotInStage { stage, allowed, .. } => {
                    ApiError::NotInStage { message: t.to_string(), stage: *stage, allowed: allowed.clone() }
                }
                domain::case::TransitionError::NotPermitted { .. } => ApiError::Forbidden,
                domain::case::TransitionError::Invalid(why) => ApiError::Refused {
                    message: why.to_string(),
                    refused: api::Refused { code: (*why).into(), detail: String::new() },
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                },
            },
            other => ApiError::Internal(other.into()),
        }
    }
}

impl From<store::auth::AuthError> for ApiError {
    fn from(e: store::auth::AuthError) -> Self {
        match e {
            store::auth::AuthError::BadCredentials => ApiError::BadCredentials,
            store::auth::AuthError::Throttled { retry_after_secs } => ApiError::Throttled(retry_after_secs),
            store::auth::AuthError::Store(s) => s.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let message = match &self {
            ApiError::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "internal error");
                "something went wrong on the server; it has been logged".to_owned()
            }
            other => other.to_string(),
        };
        if let ApiError::NotInStage { stage, allowed, .. } = &self {
            let body = api::cases::TransitionRefused { error: self.code().to_owned(), message, stage: *stage, allowed: allowed.clone() };
            return (self.status(), Json(body)).into_response();
        }
        let refused = match &self {
            ApiError::Refused { refused, .. } => Some(refused.clone()),
            _ => None,
        };
        let mut resp = (self.status(), Json(api::ApiError { error: self.code().to_owned(), message, refused })).into_response();
        if let ApiError::Throttled(secs) = self {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        resp
    }
}

/// The most bytes one request body may carry (axum's default, the same for every route).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// axum's own rejections (a body over [`MAX_BODY_BYTES`], a body that is not the JSON a route
/// takes) are plain text; the API answers every error as an `api::ApiError`. This turns them
/// into one, keeping their status and saying what was wrong.
pub async fn rejections_as_json(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let res = next.run(req).await;
    let plain = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/plain"));
    if !plain || !(res.status().is_client_error()) {
        return res;
    }
    let status = res.status();
    let (error, message) = if status == StatusCode::PAYLOAD_TOO_LARGE {
        ("too_large", format!("the request body is over {} MB, the most one request may carry; send less at a time", MAX_BODY_BYTES / (1024 * 1024)))
    } else {
        let bytes = axum::body::to_bytes(res.into_body(), 64 * 1024).await.unwrap_or_default();
        ("invalid_input", String::from_utf8_lossy(&bytes).into_owned())
    };
    (status, Json(api::ApiError { error: error.into(), message, refused: None })).into_response()
}
