//! `notice` table: a policy (政策) or a piece of news (动态) a manager published for a park
//! (5.5.1): on the public page and in the field app.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notice")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub park_id: i64,
    /// `policy` or `news`.
    pub kind: String,
    pub title: String,
    pub body: String,
    pub published_at: DateTimeUtc,
    pub author_id: Option<i64>,
    /// Taken down by a manager: no longer shown anywhere.
    pub withdrawn_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
