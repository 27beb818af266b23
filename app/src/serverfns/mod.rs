//! Server functions, one file per feature. Each is thin: check the capability
//! (`ssr::require`), call a `store` service, map errors to codes (`errors`).

pub mod accounts;
pub mod cases;
pub mod departments;
pub mod editor;
pub mod figures;
pub mod maps;
pub mod parks;
pub mod plans;
pub mod publish;
pub mod registry;
pub mod session;
pub mod staff;
