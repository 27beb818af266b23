//! Signing in and out from the web app.

use api::Me;
use leptos::prelude::*;

/// Checks the password, sets the session cookie and sends the browser to its home page.
#[server(prefix = "/rpc", endpoint = "login")]
pub async fn login(login: String, password: String) -> Result<(), ServerFnError> {
    use crate::errors::{BAD_CREDENTIALS, THROTTLED};
    use crate::ssr::{context, fail, internal, set_cookie};
    use axum::http::StatusCode;
    use store::auth::AuthError;

    let ctx = context()?;
    let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(internal)?;
    match store::auth::sign_in(&ctx.db, &login, &password).await {
        Ok(signed) => {
            set_cookie(ctx.cookie.set(&signed.token, ctx.cookie.https(&headers)));
            leptos_axum::redirect("/");
            Ok(())
        }
        Err(AuthError::BadCredentials) => Err(fail(BAD_CREDENTIALS, StatusCode::UNAUTHORIZED)),
        Err(AuthError::Throttled { .. }) => Err(fail(THROTTLED, StatusCode::TOO_MANY_REQUESTS)),
        Err(AuthError::Store(e)) => Err(internal(e)),
    }
}

/// Ends the session and sends the browser to the sign-in page.
#[server(prefix = "/rpc", endpoint = "logout")]
pub async fn logout() -> Result<(), ServerFnError> {
    use crate::ssr::{context, internal, set_cookie};
    let ctx = context()?;
    let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(internal)?;
    if let Some(token) = crate::ssr::session_token(&headers) {
        store::auth::sign_out(&ctx.db, &token).await.map_err(internal)?;
    }
    set_cookie(ctx.cookie.clear(ctx.cookie.https(&headers)));
    leptos_axum::redirect("/login");
    Ok(())
}

/// The signed-in user, or `None`.
#[server(prefix = "/rpc", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<Me>, ServerFnError> {
    use crate::ssr::{context, current_user, internal};
    let ctx = context()?;
    match current_user().await? {
        None => Ok(None),
        Some((user, _)) => store::views::me(&ctx.db, &user).await.map(Some).map_err(internal),
    }
}
