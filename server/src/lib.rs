//! The `parkgrid` server: configuration, the axum router (Leptos pages, server functions and
//! the JSON API), and the command line.
//!
//! Entry points: [`startup::Application::build`] (used by `main` and by the integration
//! tests, which start the real server on port 0 with a fresh database) and [`cli`].
// Leptos view types nest deeply (the field page); the default limit of 128 is too low.
#![recursion_limit = "256"]

pub mod api;
pub mod backup;
pub mod cli;
pub mod config;
pub mod partition_cmd;
pub mod public;
pub mod security;
pub mod startup;
pub mod state;
pub mod tiles;
