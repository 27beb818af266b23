//! `photo_chunk` table: a photo's bytes as the chunks they arrived in, appended, never
//! rewritten. The photo is the chunks in `byte_offset` order.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "photo_chunk")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub photo_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub byte_offset: i64,
    pub data: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
