//! A real park, and several (issue 12): departments (职能部门) as units, users who belong to
//! parks (a district administrator to all), a department officer to a department, passwords
//! that must be changed after a reset, and the devices a user has signed in from.
//!
//! Existing installations keep working as before: administrators get every park; every other
//! account gets every park that exists (they all saw "the first park" until now).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The departments a Zhejiang park deals with (DB33/T 2320-2021, 6.4), which the
/// administrator may rename, deactivate or add to.
const DEPARTMENTS: [(&str, &str); 6] = [
    ("safety", "应急管理局（安全生产）"),
    ("environment", "生态环境分局"),
    ("hrss", "人力资源和社会保障局"),
    ("market", "市场监督管理局"),
    ("tax", "税务局"),
    ("fire", "消防救援大队"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        m.create_table(
            Table::create()
                .table(Department::Table)
                .col(ColumnDef::new(Department::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Department::Code).string_len(32).not_null().unique_key())
                .col(ColumnDef::new(Department::Name).string_len(128).not_null())
                .col(ColumnDef::new(Department::Active).boolean().not_null().default(true))
                .col(ColumnDef::new(Department::CreatedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        // A column with a reference, added the same way on both engines.
        db.execute_unprepared("ALTER TABLE app_user ADD COLUMN department_id BIGINT NULL REFERENCES department (id)").await?;
        m.alter_table(
            Table::alter().table(AppUser::Table).add_column(ColumnDef::new(AppUser::MustChangePassword).boolean().not_null().default(false)).to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table(AppUser::Table).add_column(ColumnDef::new(AppUser::AllParks).boolean().not_null().default(false)).to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table(UserPark::Table)
                .col(ColumnDef::new(UserPark::UserId).big_integer().not_null())
                .col(ColumnDef::new(UserPark::ParkId).big_integer().not_null())
                .primary_key(Index::create().col(UserPark::UserId).col(UserPark::ParkId))
                .foreign_key(ForeignKey::create().from(UserPark::Table, UserPark::UserId).to(AppUser::Table, AppUser::Id).on_delete(ForeignKeyAction::Restrict))
                .foreign_key(ForeignKey::create().from(UserPark::Table, UserPark::ParkId).to(Park::Table, Park::Id).on_delete(ForeignKeyAction::Restrict))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_user_park_park").table(UserPark::Table).col(UserPark::ParkId).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(KnownDevice::Table)
                .col(ColumnDef::new(KnownDevice::TokenHash).string_len(64).not_null().primary_key())
                .col(ColumnDef::new(KnownDevice::UserId).big_integer().not_null())
                .col(ColumnDef::new(KnownDevice::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create().from(KnownDevice::Table, KnownDevice::UserId).to(AppUser::Table, AppUser::Id).on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // As before: administrators everywhere, everyone else in every park there is.
        db.execute_unprepared("UPDATE app_user SET all_parks = TRUE WHERE role = 'admin'").await?;
        db.execute_unprepared("INSERT INTO user_park (user_id, park_id) SELECT u.id, p.id FROM app_user u CROSS JOIN park p WHERE u.role <> 'admin'").await?;
        let now = chrono::Utc::now();
        for (code, name) in DEPARTMENTS {
            let insert = Query::insert()
                .into_table(Department::Table)
                .columns([Department::Code, Department::Name, Department::Active, Department::CreatedAt])
                .values_panic([code.into(), name.into(), true.into(), now.into()])
                .to_owned();
            m.exec_stmt(insert).await?;
        }
        // The demo's (and any existing) department officers belong to the safety department.
        db.execute_unprepared("UPDATE app_user SET department_id = (SELECT id FROM department WHERE code = 'safety') WHERE role = 'department'").await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("m0006 (real park) cannot be undone: restore a backup taken before it".into()))
    }
}

#[derive(DeriveIden)]
enum Department {
    Table,
    Id,
    Code,
    Name,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    MustChangePassword,
    AllParks,
}

#[derive(DeriveIden)]
enum UserPark {
    Table,
    UserId,
    ParkId,
}

#[derive(DeriveIden)]
enum Park {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum KnownDevice {
    Table,
    TokenHash,
    UserId,
    CreatedAt,
}
