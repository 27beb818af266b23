//! Signing in and out from the web app.

use api::Me;
use leptos::prelude::*;

/// Checks the password, sets the session cookie and sends the browser to its home page.
#[server(prefix = "/rpc", endpoint = "login", output = crate::serverfns::Reply)]
pub async fn login(login: String, password: String) -> Result<(), ServerFnError> {
    use crate::errors::{BAD_CREDENTIALS, THROTTLED};
    use crate::ssr::{client_address, context, device_token, fail, internal, set_cookie};
    use axum::http::StatusCode;
    use store::auth::{Attempt, AuthError};

    let ctx = context()?;
    let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(internal)?;
    let peer = leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>().await.ok().map(|c| c.0);
    let device = device_token(&headers);
    let attempt = Attempt { login: &login, password: &password, address: client_address(&headers, peer, ctx.trust_proxy), device: device.as_deref() };
    match store::auth::sign_in(&ctx.db, attempt).await {
        Ok(signed) => {
            let https = ctx.cookie.https(&headers);
            set_cookie(ctx.cookie.set(&signed.token, https));
            if let Some(d) = &signed.device {
                set_cookie(ctx.cookie.device(d, https));
            }
            leptos_axum::redirect("/");
            Ok(())
        }
        Err(AuthError::BadCredentials) => Err(fail(BAD_CREDENTIALS, StatusCode::UNAUTHORIZED)),
        Err(AuthError::Throttled { .. }) => Err(fail(THROTTLED, StatusCode::TOO_MANY_REQUESTS)),
        Err(AuthError::Store(e)) => Err(internal(e)),
    }
}

/// Ends the session and sends the browser to the sign-in page.
#[server(prefix = "/rpc", endpoint = "logout", output = crate::serverfns::Reply)]
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
#[server(prefix = "/rpc", endpoint = "whoami", output = crate::serverfns::Reply)]
pub async fn whoami() -> Result<Option<Me>, ServerFnError> {
    use crate::ssr::{chosen_park, context, current_user, internal};
    let ctx = context()?;
    let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(internal)?;
    match current_user().await? {
        None => Ok(None),
        Some((user, _)) => store::views::me(&ctx.db, &user, chosen_park(&headers).as_deref()).await.map(Some).map_err(internal),
    }
}

/// Changes the signed-in user's own password: the current one is needed; every other session
/// of the account ends. Allowed while the password must be changed (it is how it is changed).
#[server(prefix = "/rpc", endpoint = "change_password", output = crate::serverfns::Reply)]
pub async fn change_password(current: String, new: String) -> Result<(), ServerFnError> {
    use crate::ssr::{context, current_user, fail, internal, session_token, store_error};
    let ctx = context()?;
    let Some((user, _)) = current_user().await? else {
        return Err(fail(crate::errors::UNAUTHENTICATED, axum::http::StatusCode::UNAUTHORIZED));
    };
    let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(internal)?;
    let keep = session_token(&headers).map(|t| store::auth::token_hash(&t));
    store::users::change_own_password(&ctx.db, user.id, &current, &new, keep.as_deref()).await.map_err(store_error)
}

/// The park switcher: the pages show park `code` from now on (one of the user's parks).
#[server(prefix = "/rpc", endpoint = "choose_park", output = crate::serverfns::Reply)]
pub async fn choose_park(code: String) -> Result<(), ServerFnError> {
    use crate::ssr::{PARK_COOKIE, context, set_cookie, signed_in, store_error};
    let access = signed_in().await?;
    let park = access.park(&context()?.db, Some(&code)).await.map_err(store_error)?;
    set_cookie(format!("{PARK_COOKIE}={}; SameSite=Lax; Path=/; Max-Age=31536000", park.code));
    Ok(())
}
