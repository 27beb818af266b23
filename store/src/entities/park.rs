//! `park` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "park")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub name: String,
    /// GeoJSON geometry (Polygon or MultiPolygon), WGS84.
    pub boundary: String,
    pub created_at: DateTimeUtc,
    /// Days between visits to an enterprise (6.1.2 "regularly"); 30 unless set.
    pub visit_interval_days: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
