//! `enterprise` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "enterprise")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub park_id: i64,
    pub external_id: String,
    pub name: String,
    pub credit_code: Option<String>,
    pub address: Option<String>,
    pub lon: f64,
    pub lat: f64,
    pub industry: Option<String>,
    /// Workload weight for the automatic partition (1 = an ordinary enterprise).
    pub workload_weight: f64,
    /// JSON object of the source properties not mapped to columns.
    pub attributes: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
