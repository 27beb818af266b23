//! `notice_attachment` table: a file published with a notice (the policy's text as a PDF, …).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notice_attachment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub notice_id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub data: Vec<u8>,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
