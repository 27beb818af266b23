//! `visit` table. A walk-through visit (走访).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "visit")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub enterprise_id: i64,
    /// The grid the enterprise lay in, for the worker, when the visit was made.
    pub grid_id: i64,
    pub worker_id: i64,
    pub started_at: DateTimeUtc,
    pub ended_at: DateTimeUtc,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub met: String,
    pub notes: String,
    pub satisfaction: Option<i16>,
    pub received_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
