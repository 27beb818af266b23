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
    /// When the worker stopped holding the grid; `None` while they hold it. Rows are never
    /// deleted: the sync authorizes a record against when its worker held the grid.
    pub ended_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Entity {
    /// The assignments in force: those not ended.
    pub fn find_current() -> Select<Entity> {
        Self::find().filter(Column::EndedAt.is_null())
    }
}
