//! The error codes server functions send to the browser, which shows them translated.
//! (The JSON API uses the same codes in `api::ApiError::error`.)

use leptos::prelude::ServerFnError;

pub const UNAUTHENTICATED: &str = "unauthenticated";
pub const FORBIDDEN: &str = "forbidden";
/// The user's password was reset: they must choose their own before anything else.
pub const PASSWORD_CHANGE_REQUIRED: &str = "password_change_required";
pub const BAD_CREDENTIALS: &str = "bad_credentials";
pub const THROTTLED: &str = "throttled";
pub const INTERNAL: &str = "internal";
/// A case's transition its stage no longer allows (someone acted first).
pub const NOT_IN_STAGE: &str = "not_in_stage";
/// The prefix of a refused input: `refused:<code>:<detail>` (`store::Refusal`).
pub const REFUSED: &str = "refused:";

/// A refused input's code and detail (the login, the position it names).
pub fn refusal(e: &ServerFnError) -> Option<(&str, &str)> {
    let rest = code(e).strip_prefix(REFUSED)?;
    Some(rest.split_once(':').unwrap_or((rest, "")))
}

/// The code inside a server function error; transport failures (offline, server down) are
/// `"network"`.
pub fn code(e: &ServerFnError) -> &str {
    match e {
        ServerFnError::ServerError(code) => code.as_str(),
        _ => "network",
    }
}
