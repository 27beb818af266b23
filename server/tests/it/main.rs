//! The server's integration tests, in one binary (one crate to compile and one link instead of
//! one per file): the real server over HTTP on a fresh database per test, on every engine
//! configured (SQLite always; PostgreSQL too when `DATABASE_URL` is `postgres://…`). One
//! module per subject; `cargo test -p server --test it cases::` runs one of them.

#[macro_use]
#[path = "../support/mod.rs"]
mod support;

mod api;
mod authorization;
mod basemap;
mod cases;
mod cli;
mod editor;
mod field;
mod figures;
mod hardening;
mod parks;
mod public;
mod registry;
mod staff;
