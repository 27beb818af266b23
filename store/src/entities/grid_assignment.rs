//! `grid_assignment` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "grid_assignment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub grid_id: i64,
    pub user_id: i64,
    pub assigned_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
