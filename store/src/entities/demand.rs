//! `demand` table. A demand (诉求) heard on a visit.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "demand")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub visit_id: Option<String>,
    pub enterprise_id: i64,
    pub grid_id: i64,
    pub worker_id: i64,
    /// `domain::field::DemandCategory` as text.
    pub category: String,
    pub description: String,
    /// `open` until the case workflow (a later issue) handles it.
    pub status: String,
    pub raised_at: DateTimeUtc,
    pub received_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
