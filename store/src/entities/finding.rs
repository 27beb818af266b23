//! `finding` table. A hazard, environmental or public-order finding.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "finding")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub enterprise_id: Option<i64>,
    pub visit_id: Option<String>,
    pub grid_id: i64,
    pub worker_id: i64,
    /// `domain::field::FindingKind` as text.
    pub kind: String,
    pub grade: Option<String>,
    pub description: String,
    pub lon: f64,
    pub lat: f64,
    pub accuracy_m: Option<f64>,
    pub found_at: DateTimeUtc,
    pub deadline: DateTimeUtc,
    /// `open` or `closed`.
    pub status: String,
    pub closed_at: Option<DateTimeUtc>,
    pub received_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
