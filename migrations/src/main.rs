//! The sea-orm migration CLI (`up`, `down`, `fresh`, `status`), for developers.
//! Operators use `parkgrid migrate`, which runs the same migrations.

use sea_orm_migration::prelude::*;

#[tokio::main]
async fn main() {
    cli::run_cli(migrations::Migrator).await;
}
