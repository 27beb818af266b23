//! `case_stage_limit` table: working days a case may wait in a stage (to be taken on, taken by
//! its department, verified).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "case_stage_limit")]
pub struct Model {
    /// `domain::case::Stage` as text.
    #[sea_orm(primary_key, auto_increment = false)]
    pub stage: String,
    pub working_days: i32,
    /// A limit in hours (clock time) instead of working days.
    pub hours: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
