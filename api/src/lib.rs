//! The wire: every type that crosses between the server and a client (the browser app, the
//! field app's sync, third parties) lives here and nowhere else.
//!
//! **Architecture invariant:** these are plain serde types. They never hold database models;
//! the server maps its models into them. A change here is an API change: keep fields additive.

use serde::{Deserialize, Serialize};

/// Clause 5.3.1: enterprises per grid worker (and so per grid), for the pages.
pub use domain::grid::WORKER_LOAD;
pub use domain::{PlanStatus, Role};

/// The cookie the chosen language is kept in ("zh" or "en"): the server reads it to render
/// pages in that language (`leptos_i18n`'s cookie, its default name); the browser apps write it
/// themselves when the user switches (`leptos_i18n`'s own writing pulls the `cookie` and
/// `time` crates into a bundle).
pub const LANG_COOKIE: &str = "i18n_pref_locale";

pub mod cases;
pub mod figures;
pub mod public;
mod refusal;
pub use refusal::{RefusalCode, Refused};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

mod accounts;
pub use accounts::*;
mod map;
pub use map::*;
mod plans;
pub use plans::*;
mod sync;
pub use sync::*;
mod editor;
pub use editor::*;
mod staff;
pub use staff::*;
mod registry;
pub use registry::*;

/// An error as every API route and server function reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApiError {
    /// Stable machine-readable code: `unauthenticated`, `forbidden`, `bad_credentials`,
    /// `throttled`, `not_found`, `invalid_input`, `internal`.
    pub error: String,
    /// A sentence for people.
    pub message: String,
    /// For a refused input (`conflict`, or `invalid_input` for a case's action): why, as a
    /// code to match on, and the part of the input it names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<Refused>,
}

/// `GET /health`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Health {
    pub status: String,
    pub database: String,
    pub version: String,
}

/// A workload weight's default: 1, an ordinary enterprise.
pub(crate) fn one() -> f64 {
    1.0
}
