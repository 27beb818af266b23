//! `service_item` table: one line of a park's service list (服务清单, 4.3, 5.4.2), kept by its
//! managers and shown on the public page.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub park_id: i64,
    pub name: String,
    /// `domain::field::DemandCategory` as text (the service areas of 8.1/8.2).
    pub category: String,
    /// `domain::case::Mode` as text.
    pub mode: String,
    /// The promised time limit in working days, if the item has one.
    pub limit_days: Option<i32>,
    /// The department in charge, if not the center itself.
    pub department_id: Option<i64>,
    /// Order on the list.
    pub position: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
