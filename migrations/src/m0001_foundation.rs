//! The foundation: parks, versioned grid plans, grids, the enterprise registry, users and
//! their grid assignments, sessions, sign-in throttling and the audit log.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn id<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().auto_increment().primary_key().to_owned()
}

fn fk<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().to_owned()
}

fn at<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Park::Table)
                .col(id(Park::Id))
                .col(ColumnDef::new(Park::Code).string_len(16).not_null().unique_key())
                .col(ColumnDef::new(Park::Name).string().not_null())
                .col(ColumnDef::new(Park::Boundary).text().not_null())
                .col(at(Park::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AppUser::Table)
                .col(id(AppUser::Id))
                .col(ColumnDef::new(AppUser::Login).string_len(64).not_null().unique_key())
                .col(ColumnDef::new(AppUser::DisplayName).string().not_null())
                .col(ColumnDef::new(AppUser::PasswordHash).string().not_null())
                .col(ColumnDef::new(AppUser::Role).string_len(16).not_null())
                .col(ColumnDef::new(AppUser::Active).boolean().not_null().default(true))
                .col(at(AppUser::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(GridPlan::Table)
                .col(id(GridPlan::Id))
                .col(fk(GridPlan::ParkId))
                .col(ColumnDef::new(GridPlan::Version).integer().not_null())
                .col(ColumnDef::new(GridPlan::Name).string().not_null())
                .col(ColumnDef::new(GridPlan::Status).string_len(16).not_null())
                .col(ColumnDef::new(GridPlan::CreatedBy).big_integer().null())
                .col(at(GridPlan::CreatedAt))
                .col(ColumnDef::new(GridPlan::ActivatedAt).timestamp_with_time_zone().null())
                .foreign_key(ForeignKey::create().from(GridPlan::Table, GridPlan::ParkId).to(Park::Table, Park::Id).on_delete(ForeignKeyAction::Cascade))
                .foreign_key(
                    ForeignKey::create().from(GridPlan::Table, GridPlan::CreatedBy).to(AppUser::Table, AppUser::Id).on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ux_grid_plan_park_version").table(GridPlan::Table).col(GridPlan::ParkId).col(GridPlan::Version).unique().to_owned(),
        )
        .await?;
        // One active plan per park, even with several server processes: a partial unique index
        // (same syntax on SQLite and PostgreSQL).
        m.get_connection().execute_unprepared("CREATE UNIQUE INDEX ux_grid_plan_one_active ON grid_plan (park_id) WHERE status = 'active'").await?;

        m.create_table(
            Table::create()
                .table(Grid::Table)
                .col(id(Grid::Id))
                .col(fk(Grid::PlanId))
                .col(ColumnDef::new(Grid::Code).string_len(32).not_null())
                .col(ColumnDef::new(Grid::Name).string().not_null())
                .col(ColumnDef::new(Grid::Geometry).text().not_null())
                .foreign_key(ForeignKey::create().from(Grid::Table, Grid::PlanId).to(GridPlan::Table, GridPlan::Id).on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ux_grid_plan_code").table(Grid::Table).col(Grid::PlanId).col(Grid::Code).unique().to_owned()).await?;

        m.create_table(
            Table::create()
                .table(Enterprise::Table)
                .col(id(Enterprise::Id))
                .col(fk(Enterprise::ParkId))
                .col(ColumnDef::new(Enterprise::ExternalId).string_len(64).not_null())
                .col(ColumnDef::new(Enterprise::Name).string().not_null())
                .col(ColumnDef::new(Enterprise::CreditCode).string_len(32).null())
                .col(ColumnDef::new(Enterprise::Address).string().null())
                .col(ColumnDef::new(Enterprise::Lon).double().not_null())
                .col(ColumnDef::new(Enterprise::Lat).double().not_null())
                .col(ColumnDef::new(Enterprise::Industry).text().null())
                .col(ColumnDef::new(Enterprise::Attributes).text().not_null())
                .col(ColumnDef::new(Enterprise::Active).boolean().not_null().default(true))
                .col(at(Enterprise::CreatedAt))
                .col(at(Enterprise::UpdatedAt))
                .foreign_key(ForeignKey::create().from(Enterprise::Table, Enterprise::ParkId).to(Park::Table, Park::Id).on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_enterprise_park_external")
                .table(Enterprise::Table)
                .col(Enterprise::ParkId)
                .col(Enterprise::ExternalId)
                .unique()
                .to_owned(),
        )
        .await?;

        // Which enterprise lies in which grid of a plan. Derived from geometry (membership
        // always follows the grid polygons) and stored so that "my enterprises" is one join.
        m.create_table(
            Table::create()
                .table(GridMember::Table)
                .col(fk(GridMember::GridId))
                .col(fk(GridMember::EnterpriseId))
                .primary_key(Index::create().col(GridMember::GridId).col(GridMember::EnterpriseId))
                .foreign_key(ForeignKey::create().from(GridMember::Table, GridMember::GridId).to(Grid::Table, Grid::Id).on_delete(ForeignKeyAction::Cascade))
                .foreign_key(
                    ForeignKey::create()
                        .from(GridMember::Table, GridMember::EnterpriseId)
                        .to(Enterprise::Table, Enterprise::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_grid_member_enterprise").table(GridMember::Table).col(GridMember::EnterpriseId).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(GridAssignment::Table)
                .col(id(GridAssignment::Id))
                .col(fk(GridAssignment::GridId))
                .col(fk(GridAssignment::UserId))
                .col(at(GridAssignment::AssignedAt))
                .foreign_key(
                    ForeignKey::create().from(GridAssignment::Table, GridAssignment::GridId).to(Grid::Table, Grid::Id).on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(GridAssignment::Table, GridAssignment::UserId)
                        .to(AppUser::Table, AppUser::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ux_grid_assignment").table(GridAssignment::Table).col(GridAssignment::GridId).col(GridAssignment::UserId).unique().to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_grid_assignment_user").table(GridAssignment::Table).col(GridAssignment::UserId).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(Session::Table)
                .col(ColumnDef::new(Session::TokenHash).string_len(64).not_null().primary_key())
                .col(fk(Session::UserId))
                .col(at(Session::CreatedAt))
                .col(at(Session::ExpiresAt))
                .foreign_key(ForeignKey::create().from(Session::Table, Session::UserId).to(AppUser::Table, AppUser::Id).on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LoginThrottle::Table)
                .col(ColumnDef::new(LoginThrottle::Login).string_len(64).not_null().primary_key())
                .col(ColumnDef::new(LoginThrottle::Failures).integer().not_null())
                .col(at(LoginThrottle::LastFailureAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditEvent::Table)
                .col(id(AuditEvent::Id))
                .col(at(AuditEvent::At))
                .col(ColumnDef::new(AuditEvent::ActorId).big_integer().null())
                .col(ColumnDef::new(AuditEvent::Action).string_len(64).not_null())
                .col(ColumnDef::new(AuditEvent::Entity).string_len(64).not_null())
                .col(ColumnDef::new(AuditEvent::EntityId).string_len(64).null())
                .col(ColumnDef::new(AuditEvent::Before).text().null())
                .col(ColumnDef::new(AuditEvent::After).text().null())
                .foreign_key(
                    ForeignKey::create().from(AuditEvent::Table, AuditEvent::ActorId).to(AppUser::Table, AppUser::Id).on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_audit_entity").table(AuditEvent::Table).col(AuditEvent::Entity).col(AuditEvent::EntityId).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            AuditEvent::Table.into_iden(),
            LoginThrottle::Table.into_iden(),
            Session::Table.into_iden(),
            GridAssignment::Table.into_iden(),
            GridMember::Table.into_iden(),
            Enterprise::Table.into_iden(),
            Grid::Table.into_iden(),
            GridPlan::Table.into_iden(),
            AppUser::Table.into_iden(),
            Park::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Park {
    Table,
    Id,
    Code,
    Name,
    Boundary,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    Login,
    DisplayName,
    PasswordHash,
    Role,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum GridPlan {
    Table,
    Id,
    ParkId,
    Version,
    Name,
    Status,
    CreatedBy,
    CreatedAt,
    ActivatedAt,
}

#[derive(DeriveIden)]
enum Grid {
    Table,
    Id,
    PlanId,
    Code,
    Name,
    Geometry,
}

#[derive(DeriveIden)]
enum Enterprise {
    Table,
    Id,
    ParkId,
    ExternalId,
    Name,
    CreditCode,
    Address,
    Lon,
    Lat,
    Industry,
    Attributes,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum GridMember {
    Table,
    GridId,
    EnterpriseId,
}

#[derive(DeriveIden)]
enum GridAssignment {
    Table,
    Id,
    GridId,
    UserId,
    AssignedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    TokenHash,
    UserId,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Login,
    Failures,
    LastFailureAt,
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Id,
    At,
    ActorId,
    Action,
    Entity,
    EntityId,
    Before,
    After,
}
