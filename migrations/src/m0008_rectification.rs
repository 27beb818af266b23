//! The service loop, second part (issue 13): findings handled as cases — a finding's place
//! and grade on its case, a major hazard's rectification plan, the after-photo that verifies a
//! rectification and its distance from the finding —, the deadline sweep's marks (reminded,
//! 催办, 督办), leases for jobs that must run on one server at a time, and request windows for
//! the enterprise link's per-address limit; 全程代理's sub-tasks, one per department; limits
//! per stage (to be taken on, taken by the department, verified) and each case's deadline for
//! the stage it is in; files attached to a case.
//!
//! Existing findings become cases: an open one is being rectified (办理, due on its deadline)
//! — a major hazard waits at 登记 for its plan —, a closed one is closed.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        let columns = [
            ColumnDef::new(ServiceCase::Grade).string_len(16).null().to_owned(),
            ColumnDef::new(ServiceCase::SpotLon).double().null().to_owned(),
            ColumnDef::new(ServiceCase::SpotLat).double().null().to_owned(),
            ColumnDef::new(ServiceCase::RectificationPlan).text().null().to_owned(),
            ColumnDef::new(ServiceCase::AfterPhoto).string_len(64).null().to_owned(),
            ColumnDef::new(ServiceCase::AfterDistanceM).double().null().to_owned(),
            ColumnDef::new(ServiceCase::RemindedAt).timestamp_with_time_zone().null().to_owned(),
            ColumnDef::new(ServiceCase::UrgedAt).timestamp_with_time_zone().null().to_owned(),
            ColumnDef::new(ServiceCase::SupervisedAt).timestamp_with_time_zone().null().to_owned(),
            ColumnDef::new(ServiceCase::StageDeadlineAt).timestamp_with_time_zone().null().to_owned(),
        ];
        for mut c in columns {
            m.alter_table(Table::alter().table(ServiceCase::Table).add_column(&mut c).to_owned()).await?;
        }
        // A limit may be in hours (clock time) rather than working days.
        m.alter_table(Table::alter().table(CaseTimeLimit::Table).add_column(ColumnDef::new(CaseTimeLimit::Hours).integer().null()).to_owned()).await?;
        m.create_index(Index::create().name("ix_case_deadline").table(ServiceCase::Table).col(ServiceCase::DeadlineAt).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(JobLease::Table)
                .col(ColumnDef::new(JobLease::Name).string_len(32).not_null().primary_key())
                .col(ColumnDef::new(JobLease::Holder).string_len(64).not_null())
                .col(ColumnDef::new(JobLease::Until).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RateWindow::Table)
                .col(ColumnDef::new(RateWindow::Key).string_len(96).not_null().primary_key())
                .col(ColumnDef::new(RateWindow::Hits).integer().not_null())
                .col(ColumnDef::new(RateWindow::StartedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        // 全程代理: one sub-task per department, done with its answer.
        m.create_table(
            Table::create()
                .table(CaseTask::Table)
                .col(ColumnDef::new(CaseTask::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(CaseTask::CaseId).big_integer().not_null())
                .col(ColumnDef::new(CaseTask::DepartmentId).big_integer().not_null())
                .col(ColumnDef::new(CaseTask::Done).boolean().not_null().default(false))
                .col(ColumnDef::new(CaseTask::Reply).text().null())
                .col(ColumnDef::new(CaseTask::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(CaseTask::DoneAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(CaseTask::DoneBy).big_integer().null())
                .foreign_key(
                    ForeignKey::create().from(CaseTask::Table, CaseTask::CaseId).to(ServiceCase::Table, ServiceCase::Id).on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(CaseTask::Table, CaseTask::DepartmentId)
                        .to(Department::Table, Department::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ux_case_task").table(CaseTask::Table).col(CaseTask::CaseId).col(CaseTask::DepartmentId).unique().to_owned())
            .await?;
        m.create_index(Index::create().name("ix_case_task_department").table(CaseTask::Table).col(CaseTask::DepartmentId).col(CaseTask::Done).to_owned())
            .await?;
        // Files a case's handlers attach (a department's reply with its documents).
        m.create_table(
            Table::create()
                .table(CaseAttachment::Table)
                .col(ColumnDef::new(CaseAttachment::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(CaseAttachment::CaseId).big_integer().not_null())
                .col(ColumnDef::new(CaseAttachment::Name).string_len(200).not_null())
                .col(ColumnDef::new(CaseAttachment::ContentType).string_len(100).not_null())
                .col(ColumnDef::new(CaseAttachment::Size).big_integer().not_null())
                .col(ColumnDef::new(CaseAttachment::Data).binary().not_null())
                .col(ColumnDef::new(CaseAttachment::UploadedBy).big_integer().not_null())
                .col(ColumnDef::new(CaseAttachment::UploadedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(CaseAttachment::Table, CaseAttachment::CaseId)
                        .to(ServiceCase::Table, ServiceCase::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_case_attachment_case").table(CaseAttachment::Table).col(CaseAttachment::CaseId).to_owned()).await?;
        // Limits of the stages that wait on someone (to be taken on, taken by the department,
        // verified), in working days, until a manager changes them.
        m.create_table(
            Table::create()
                .table(CaseStageLimit::Table)
                .col(ColumnDef::new(CaseStageLimit::Stage).string_len(24).not_null().primary_key())
                .col(ColumnDef::new(CaseStageLimit::WorkingDays).integer().not_null())
                .col(ColumnDef::new(CaseStageLimit::Hours).integer().null())
                .to_owned(),
        )
        .await?;
        db.execute_unprepared("INSERT INTO case_stage_limit (stage, working_days) VALUES ('registered', 1), ('dispatched', 1), ('verifying', 3)").await?;
        // 全程代理's default limit, in working days, until a manager changes it.
        db.execute_unprepared("INSERT INTO case_time_limit (kind, category, mode, working_days) VALUES ('demand', '*', 'proxy', 15)").await?;
        // The findings so far, as cases owned by the worker who found them.
        db.execute_unprepared(
            "INSERT INTO service_case (park_id, enterprise_id, source, source_record, kind, category, description, stage, mode, owner_id, deadline_at, \
               flagged, grade, spot_lon, spot_lat, registered_at, updated_at) \
             SELECT p.park_id, f.enterprise_id, 'finding', f.id, 'finding', f.kind, f.description, \
               CASE WHEN f.status = 'closed' THEN 'closed' WHEN f.grade = 'major' THEN 'registered' ELSE 'in_progress' END, \
               CASE WHEN f.grade = 'major' AND f.status <> 'closed' THEN NULL ELSE 'promised' END, \
               f.worker_id, f.deadline, \
               CASE WHEN f.grade = 'major' AND f.status <> 'closed' THEN TRUE ELSE FALSE END, \
               f.grade, f.lon, f.lat, f.found_at, f.received_at \
             FROM finding f JOIN grid g ON g.id = f.grid_id JOIN grid_plan p ON p.id = g.plan_id ORDER BY f.found_at",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO case_event (case_id, at, actor_id, actor_kind, action, from_stage, to_stage) \
             SELECT id, registered_at, owner_id, 'user', 'register', NULL, stage FROM service_case WHERE kind = 'finding' ORDER BY id",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("m0008 (rectification) cannot be undone: restore a backup taken before it".into()))
    }
}

#[derive(DeriveIden)]
enum ServiceCase {
    Table,
    Id,
    Grade,
    SpotLon,
    SpotLat,
    RectificationPlan,
    AfterPhoto,
    AfterDistanceM,
    RemindedAt,
    UrgedAt,
    SupervisedAt,
    StageDeadlineAt,
    DeadlineAt,
}

#[derive(DeriveIden)]
enum CaseStageLimit {
    Table,
    Stage,
    WorkingDays,
    Hours,
}

#[derive(DeriveIden)]
enum CaseTimeLimit {
    Table,
    Hours,
}

#[derive(DeriveIden)]
enum JobLease {
    Table,
    Name,
    Holder,
    Until,
}

#[derive(DeriveIden)]
enum RateWindow {
    Table,
    Key,
    Hits,
    StartedAt,
}

#[derive(DeriveIden)]
enum CaseTask {
    Table,
    Id,
    CaseId,
    DepartmentId,
    Done,
    Reply,
    CreatedAt,
    DoneAt,
    DoneBy,
}

#[derive(DeriveIden)]
enum Department {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CaseAttachment {
    Table,
    Id,
    CaseId,
    Name,
    ContentType,
    Size,
    Data,
    UploadedBy,
    UploadedAt,
}
