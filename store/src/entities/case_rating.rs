//! `case_rating` table: every rating an enterprise gave a case (满意 / 基本满意 / 不满意), as it
//! was given: a reopened case loses its current rating, not its history.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "case_rating")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub at: DateTimeUtc,
    /// `domain::case::Satisfaction` as text.
    pub satisfaction: String,
    pub solved: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
