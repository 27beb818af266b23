//! An enterprise's workload weight (default 1): the automatic partition balances grids by the
//! sum of their enterprises' weights, so a manager can weigh a difficult site (a large plant,
//! a major hazard source) as more than one enterprise.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(Enterprise::Table).add_column(ColumnDef::new(Enterprise::WorkloadWeight).double().not_null().default(1.0)).to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Enterprise::Table).drop_column(Enterprise::WorkloadWeight).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Enterprise {
    Table,
    WorkloadWeight,
}
