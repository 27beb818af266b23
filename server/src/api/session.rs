//! Who is calling: the session cookie resolved to a user.

use super::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use domain::{Capability, Role};
use store::entities::app_user;

/// The signed-in user, with what they may reach. Extracting it answers 401 when there is no
/// valid session.
pub struct CurrentUser {
    pub user: app_user::Model,
    pub role: Option<Role>,
    pub access: store::access::Access,
    /// The park switcher's choice (a cookie), for routes that take no `?park=`.
    pub chosen_park: Option<String>,
}

impl CurrentUser {
    /// 403 unless the user's role holds `capability` — and for anything while their password
    /// must be changed (after a reset).
    pub fn require(&self, capability: Capability) -> Result<(), ApiError> {
        if self.user.must_change_password {
            return Err(ApiError::PasswordChangeRequired);
        }
        match self.role {
            Some(r) if r.permits(capability) => Ok(()),
            _ => Err(ApiError::Forbidden),
        }
    }

    /// The park a request is about: `code` (`?park=`) when given — refused unless it is one of
    /// the user's —, else the park switcher's choice, else the user's first park.
    pub async fn park(&self, db: &store::DatabaseConnection, code: Option<&str>) -> Result<store::entities::park::Model, ApiError> {
        Ok(match code {
            Some(c) => self.access.park(db, Some(c)).await?,
            None => self.access.current_park(db, self.chosen_park.as_deref()).await?,
        })
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = app::ssr::session_token(&parts.headers).ok_or(ApiError::Unauthenticated)?;
        let user = store::auth::user_for_token(&state.ctx.db, &token).await?.ok_or(ApiError::Unauthenticated)?;
        let role = store::users::role_of(&user);
        let access = store::access::Access::of(&state.ctx.db, user.clone()).await?;
        Ok(CurrentUser { user, role, access, chosen_park: app::ssr::chosen_park(&parts.headers) })
    }
}

/// The connection's peer address, when the server was started to know it.
pub struct Peer(pub Option<std::net::SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0)))
    }
}
