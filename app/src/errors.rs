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
/// The prefix of a refused input: `refused:` and its `api::Refused` in JSON (`store::Refusal`).
pub const REFUSED: &str = "refused:";

/// A refused input: why, and the part of the input it names (the login, the position).
pub fn refusal(e: &ServerFnError) -> Option<api::Refused> {
    serde_json::from_str(code(e).strip_prefix(REFUSED)?).ok()
}

/// The code inside a server function error; transport failures (offline, server down) are
/// `"network"`.
pub fn code(e: &ServerFnError) -> &str {
    match e {
        ServerFnError::ServerError(code) => code.as_str(),
        _ => "network",
    }
}
