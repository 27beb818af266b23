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
    /// The service center's number on the public page (4.5), if the manager publishes one.
    pub public_hotline: Option<String>,
    /// Whether the public page shows the quarterly figures per department.
    pub publish_figures: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
