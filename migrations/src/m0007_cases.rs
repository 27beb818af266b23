//! The service loop (issue 13): cases (事项) — a demand or a finding handled to the end —
//! with every transition as an event, the time limits managers edit, and the official
//! working-day calendar.
//!
//! Existing demands become cases at the first stage (登记), owned by the worker who heard them
//! (首问负责), each with its registration event.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The product's default limits in working days, per handling mode (5.4.3), until a manager
/// changes them: `*` is any category.
const LIMITS: [(&str, &str, &str, i32); 2] = [("demand", "*", "promised", 5), ("demand", "*", "escalated", 10)];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        m.create_table(
            Table::create()
                .table(ServiceCase::Table)
                .col(ColumnDef::new(ServiceCase::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(ServiceCase::ParkId).big_integer().not_null())
                .col(ColumnDef::new(ServiceCase::EnterpriseId).big_integer().null())
                .col(ColumnDef::new(ServiceCase::Source).string_len(16).not_null())
                .col(ColumnDef::new(ServiceCase::SourceRecord).string_len(64).null().unique_key())
                .col(ColumnDef::new(ServiceCase::Kind).string_len(16).not_null())
                .col(ColumnDef::new(ServiceCase::Category).string_len(32).not_null())
                .col(ColumnDef::new(ServiceCase::Description).text().not_null())
                .col(ColumnDef::new(ServiceCase::Stage).string_len(24).not_null())
                .col(ColumnDef::new(ServiceCase::Mode).string_len(16).null())
                .col(ColumnDef::new(ServiceCase::DepartmentId).big_integer().null())
                .col(ColumnDef::new(ServiceCase::OwnerId).big_integer().null())
                .col(ColumnDef::new(ServiceCase::DeadlineAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(ServiceCase::PausedAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(ServiceCase::PendingExtension).integer().null())
                .col(ColumnDef::new(ServiceCase::RepliedBy).big_integer().null())
                .col(ColumnDef::new(ServiceCase::Rating).string_len(16).null())
                .col(ColumnDef::new(ServiceCase::RatedSolved).boolean().null())
                .col(ColumnDef::new(ServiceCase::Flagged).boolean().not_null().default(false))
                .col(ColumnDef::new(ServiceCase::RepeatOf).big_integer().null())
                .col(ColumnDef::new(ServiceCase::RegisteredAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(ServiceCase::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(ForeignKey::create().from(ServiceCase::Table, ServiceCase::ParkId).to(Park::Table, Park::Id).on_delete(ForeignKeyAction::Restrict))
                .foreign_key(
                    ForeignKey::create()
                        .from(ServiceCase::Table, ServiceCase::EnterpriseId)
                        .to(Enterprise::Table, Enterprise::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ServiceCase::Table, ServiceCase::DepartmentId)
                        .to(Department::Table, Department::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create().from(ServiceCase::Table, ServiceCase::OwnerId).to(AppUser::Table, AppUser::Id).on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_case_park_stage").table(ServiceCase::Table).col(ServiceCase::ParkId).col(ServiceCase::Stage).to_owned())
            .await?;
        m.create_index(
            Index::create().name("ix_case_department_stage").table(ServiceCase::Table).col(ServiceCase::DepartmentId).col(ServiceCase::Stage).to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_case_enterprise_category")
                .table(ServiceCase::Table)
                .col(ServiceCase::EnterpriseId)
                .col(ServiceCase::Category)
                .col(ServiceCase::RegisteredAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CaseEvent::Table)
                .col(ColumnDef::new(CaseEvent::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(CaseEvent::CaseId).big_integer().not_null())
                .col(ColumnDef::new(CaseEvent::At).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(CaseEvent::ActorId).big_integer().null())
                .col(ColumnDef::new(CaseEvent::ActorKind).string_len(16).not_null())
                .col(ColumnDef::new(CaseEvent::Action).string_len(24).not_null())
                .col(ColumnDef::new(CaseEvent::FromStage).string_len(24).null())
                .col(ColumnDef::new(CaseEvent::ToStage).string_len(24).not_null())
                .col(ColumnDef::new(CaseEvent::Detail).text().null())
                // The field record it came from (a phone's id), so that a resent one counts once.
                .col(ColumnDef::new(CaseEvent::RecordId).string_len(64).null().unique_key())
                .foreign_key(
                    ForeignKey::create()
                        .from(CaseEvent::Table, CaseEvent::CaseId)
                        .to(ServiceCase::Table, ServiceCase::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_case_event_case").table(CaseEvent::Table).col(CaseEvent::CaseId).col(CaseEvent::Id).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(CaseTimeLimit::Table)
                .col(ColumnDef::new(CaseTimeLimit::Kind).string_len(16).not_null())
                .col(ColumnDef::new(CaseTimeLimit::Category).string_len(32).not_null())
                .col(ColumnDef::new(CaseTimeLimit::Mode).string_len(16).not_null())
                .col(ColumnDef::new(CaseTimeLimit::WorkingDays).integer().not_null())
                .primary_key(Index::create().col(CaseTimeLimit::Kind).col(CaseTimeLimit::Category).col(CaseTimeLimit::Mode))
                .to_owned(),
        )
        .await?;
        for (kind, category, mode, days) in LIMITS {
            let insert = Query::insert()
                .into_table(CaseTimeLimit::Table)
                .columns([CaseTimeLimit::Kind, CaseTimeLimit::Category, CaseTimeLimit::Mode, CaseTimeLimit::WorkingDays])
                .values_panic([kind.into(), category.into(), mode.into(), days.into()])
                .to_owned();
            m.exec_stmt(insert).await?;
        }
        m.create_table(
            Table::create()
                .table(CalendarDay::Table)
                .col(ColumnDef::new(CalendarDay::Day).string_len(10).not_null().primary_key())
                .col(ColumnDef::new(CalendarDay::Off).boolean().not_null())
                .col(ColumnDef::new(CalendarDay::Name).string_len(64).not_null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CalendarYear::Table)
                .col(ColumnDef::new(CalendarYear::Year).integer().not_null().primary_key())
                .col(ColumnDef::new(CalendarYear::Source).text().not_null())
                .col(ColumnDef::new(CalendarYear::LoadedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        // The enterprise's own link (no account): the hash of an unguessable token, one per
        // enterprise; issuing a new one revokes the old.
        m.create_table(
            Table::create()
                .table(EnterpriseLink::Table)
                .col(ColumnDef::new(EnterpriseLink::EnterpriseId).big_integer().not_null().primary_key())
                .col(ColumnDef::new(EnterpriseLink::TokenHash).string_len(64).not_null().unique_key())
                .col(ColumnDef::new(EnterpriseLink::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(EnterpriseLink::CreatedBy).big_integer().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(EnterpriseLink::Table, EnterpriseLink::EnterpriseId)
                        .to(Enterprise::Table, Enterprise::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        // The demands heard so far: cases at 登记, owned by the worker who heard them.
        db.execute_unprepared(
            "INSERT INTO service_case (park_id, enterprise_id, source, source_record, kind, category, description, stage, owner_id, flagged, registered_at, updated_at) \
             SELECT e.park_id, d.enterprise_id, 'visit', d.id, 'demand', d.category, d.description, 'registered', d.worker_id, FALSE, d.raised_at, d.received_at \
             FROM demand d JOIN enterprise e ON e.id = d.enterprise_id ORDER BY d.raised_at",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO case_event (case_id, at, actor_id, actor_kind, action, from_stage, to_stage) \
             SELECT id, registered_at, owner_id, 'user', 'register', NULL, 'registered' FROM service_case ORDER BY id",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("m0007 (cases) cannot be undone: restore a backup taken before it".into()))
    }
}

#[derive(DeriveIden)]
enum ServiceCase {
    Table,
    Id,
    ParkId,
    EnterpriseId,
    Source,
    SourceRecord,
    Kind,
    Category,
    Description,
    Stage,
    Mode,
    DepartmentId,
    OwnerId,
    DeadlineAt,
    PausedAt,
    PendingExtension,
    RepliedBy,
    Rating,
    RatedSolved,
    Flagged,
    RepeatOf,
    RegisteredAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CaseEvent {
    Table,
    Id,
    CaseId,
    At,
    ActorId,
    ActorKind,
    Action,
    FromStage,
    ToStage,
    Detail,
    RecordId,
}

#[derive(DeriveIden)]
enum CaseTimeLimit {
    Table,
    Kind,
    Category,
    Mode,
    WorkingDays,
}

#[derive(DeriveIden)]
enum CalendarDay {
    Table,
    Day,
    Off,
    Name,
}

#[derive(DeriveIden)]
enum CalendarYear {
    Table,
    Year,
    Source,
    LoadedAt,
}

#[derive(DeriveIden)]
enum EnterpriseLink {
    Table,
    EnterpriseId,
    TokenHash,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum Park {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Enterprise {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Department {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}
