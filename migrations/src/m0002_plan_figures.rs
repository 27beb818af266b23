//! A plan's quality figures (JSON), as the partitioner measured them.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(GridPlan::Table).add_column(ColumnDef::new(GridPlan::Figures).text().null()).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(GridPlan::Table).drop_column(GridPlan::Figures).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum GridPlan {
    Table,
    Figures,
}
