//! `photo` table. A photo of a finding or re-inspection; its bytes arrive in chunks, stored
//! as they came in `photo_chunk`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "photo")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub record_id: String,
    pub worker_id: i64,
    pub content_type: String,
    pub size: i64,
    /// Bytes received so far.
    pub received: i64,
    pub taken_at: DateTimeUtc,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub completed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
