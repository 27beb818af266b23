//! `grid_plan` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "grid_plan")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub park_id: i64,
    pub version: i32,
    pub name: String,
    /// `domain::PlanStatus` as text.
    pub status: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub activated_at: Option<DateTimeUtc>,
    pub retired_at: Option<DateTimeUtc>,
    /// `api::PlanFigures` as JSON, for plans the partitioner computed.
    pub figures: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
