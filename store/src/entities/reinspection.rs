//! `reinspection` table. A re-inspection of a finding's rectification (整改).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "reinspection")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub finding_id: String,
    pub worker_id: i64,
    /// `domain::field::RectificationResult` as text.
    pub result: String,
    pub notes: String,
    pub new_deadline: Option<DateTimeUtc>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub inspected_at: DateTimeUtc,
    pub received_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
