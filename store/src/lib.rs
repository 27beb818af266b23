//! parkgrid's persistence and the services that need it: the only crate that talks to the
//! database.
//!
//! Services are plain async functions over a sea-orm connection (or transaction), grouped by
//! feature: [`access`] (which parks and department a user reaches), [`auth`] (passwords,
//! sessions, throttling), [`users`], [`departments`], [`parks`] (park and
//! enterprise import), [`plans`] (grid plans and membership), [`field`] (the phones' sync and photos), [`views`] (what pages and the
//! API show), [`audit`], [`demo`]. They take domain values in and give `api` values out.
//!
//! **Architecture invariants:**
//! - this crate is server-only: it never compiles to wasm (the `app` crate depends on it only
//!   behind its `ssr` feature);
//! - every multi-row change runs in one transaction: an import or a plan either lands whole or
//!   not at all;
//! - rules that must hold with several server processes on one database are database
//!   constraints (unique indexes), not in-memory checks.
//!
//! # Error policy
//! [`StoreError`] is what a service fails with: a database error (opaque to users: logged by
//! the caller, shown as an internal error), or a domain outcome a user can act on
//! (`NotFound`, `Conflict`). Services with richer outcomes have their own enums that wrap it
//! ([`auth::AuthError`], [`parks::ImportError`]). Database text never reaches a user.

pub mod access;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod cases;
pub mod db;
pub mod deadlines;
pub mod demo;
pub mod demo_history;
pub mod departments;
pub mod editor;
pub mod entities;
pub mod field;
pub mod figures;
pub mod parks;
pub mod plans;
pub mod portal;
pub mod public;
pub mod publish;
pub mod rate;
pub mod registry;
pub mod staff;
pub mod users;
pub mod views;
pub mod workers;

pub use sea_orm::{DatabaseConnection, DbErr};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The thing exists but lies outside what the user may reach (another park, another
    /// department): see [`access`].
    #[error("this {0} is not yours to see or change")]
    Forbidden(&'static str),
    #[error("{0}")]
    Conflict(String),
    /// The user's own input, refused: see [`Refusal`].
    #[error("{}", .0.message)]
    Refused(Refusal),
    /// A case's transition the rules refuse (the stage does not allow it, the actor may not,
    /// or its input is wrong): see `domain::case::transition`.
    #[error(transparent)]
    Transition(#[from] domain::case::TransitionError),
}

/// An input the store refuses (a taken login, a short password, a position outside the park):
/// `code` is why (`api::RefusalCode`: the interface translates it), `detail` the part of the
/// input it names (a login, a position; may be empty), `message` the whole reason in English
/// (API, logs).
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub code: api::RefusalCode,
    pub detail: String,
    pub message: String,
}

impl StoreError {
    pub(crate) fn refused(code: api::RefusalCode, detail: impl Into<String>, message: impl Into<String>) -> Self {
        StoreError::Refused(Refusal { code, detail: detail.into(), message: message.into() })
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The current time, in one place so that it is easy to find.
pub(crate) fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}
