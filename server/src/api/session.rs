//! Who is calling: the session cookie resolved to a user.

use super::ApiError;
use crate::startup::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use domain::{Capability, Role};
use store::entities::app_user;

/// The signed-in user. Extracting it answers 401 when there is no valid session.
pub struct CurrentUser {
    pub user: app_user::Model,
    pub role: Option<Role>,
}

impl CurrentUser {
    /// 403 unless the user's role holds `capability`.
    pub fn require(&self, capability: Capability) -> Result<(), ApiError> {
        match self.role {
            Some(r) if r.permits(capability) => Ok(()),
            _ => Err(ApiError::Forbidden),
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = app::ssr::session_token(&parts.headers).ok_or(ApiError::Unauthenticated)?;
        let user = store::auth::user_for_token(&state.ctx.db, &token).await?.ok_or(ApiError::Unauthenticated)?;
        let role = store::users::role_of(&user);
        Ok(CurrentUser { user, role })
    }
}
