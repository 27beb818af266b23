//! The schema, one migration per step. Migrations are append-only: never edit one that has
//! landed; add another.
//!
//! Portability rules (SQLite is the embedded default, PostgreSQL the production engine):
//! - ids are 64-bit integers; timestamps are `timestamp with time zone` (text in SQLite);
//! - geometry is GeoJSON (RFC 7946, WGS84) in text columns; points are `lon`/`lat` doubles,
//!   so bounding-box queries need no spatial extension;
//! - free-form attributes are JSON text;
//! - constraints that must hold with several server processes (one active plan per park, one
//!   session per token) are unique indexes, not application checks.

pub use sea_orm_migration::prelude::*;

mod m0001_foundation;
mod m0002_plan_figures;
mod m0003_field;
mod m0004_enterprise_weight;
mod m0005_hardening;
mod m0006_real_park;
mod m0007_cases;
mod m0008_rectification;
mod m0009_figures_public;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_plan_figures::Migration),
            Box::new(m0003_field::Migration),
            Box::new(m0004_enterprise_weight::Migration),
            Box::new(m0005_hardening::Migration),
            Box::new(m0006_real_park::Migration),
            Box::new(m0007_cases::Migration),
            Box::new(m0008_rectification::Migration),
            Box::new(m0009_figures_public::Migration),
        ]
    }
}
