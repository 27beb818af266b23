//! Field work (issue 4): visits with their demands, findings with their re-inspections, and
//! photos. Every record's primary key is the UUID the phone generated, so a record sent twice
//! is stored once (the second insert finds the key taken). Also: when a plan was retired (to
//! tell which worker was assigned to an enterprise when a record was made), and each park's
//! visit interval.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn uuid_pk<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).string_len(36).not_null().primary_key().to_owned()
}

fn fk<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().to_owned()
}

fn at<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().not_null().to_owned()
}

fn at_null<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().null().to_owned()
}

fn double_null<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).double().null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(GridPlan::Table).add_column(at_null(GridPlan::RetiredAt)).to_owned()).await?;
        m.alter_table(Table::alter().table(Park::Table).add_column(ColumnDef::new(Park::VisitIntervalDays).integer().not_null().default(30)).to_owned())
            .await?;

        m.create_table(
            Table::create()
                .table(Visit::Table)
                .col(uuid_pk(Visit::Id))
                .col(fk(Visit::EnterpriseId))
                .col(fk(Visit::GridId))
                .col(fk(Visit::WorkerId))
                .col(at(Visit::StartedAt))
                .col(at(Visit::EndedAt))
                .col(double_null(Visit::Lon))
                .col(double_null(Visit::Lat))
                .col(double_null(Visit::AccuracyM))
                .col(ColumnDef::new(Visit::Met).text().not_null())
                .col(ColumnDef::new(Visit::Notes).text().not_null())
                .col(ColumnDef::new(Visit::Satisfaction).small_integer().null())
                .col(at(Visit::ReceivedAt))
                .foreign_key(
                    ForeignKey::create().from(Visit::Table, Visit::EnterpriseId).to(Enterprise::Table, Enterprise::Id).on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(ForeignKey::create().from(Visit::Table, Visit::GridId).to(Grid::Table, Grid::Id).on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().from(Visit::Table, Visit::WorkerId).to(AppUser::Table, AppUser::Id).on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_visit_enterprise").table(Visit::Table).col(Visit::EnterpriseId).col(Visit::StartedAt).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(Demand::Table)
                .col(uuid_pk(Demand::Id))
                .col(ColumnDef::new(Demand::VisitId).string_len(36).null())
                .col(fk(Demand::EnterpriseId))
                .col(fk(Demand::GridId))
                .col(fk(Demand::WorkerId))
                .col(ColumnDef::new(Demand::Category).string_len(32).not_null())
                .col(ColumnDef::new(Demand::Description).text().not_null())
                .col(ColumnDef::new(Demand::Status).string_len(16).not_null())
                .col(at(Demand::RaisedAt))
                .col(at(Demand::ReceivedAt))
                .foreign_key(ForeignKey::create().from(Demand::Table, Demand::VisitId).to(Visit::Table, Visit::Id).on_delete(ForeignKeyAction::Cascade))
                .foreign_key(
                    ForeignKey::create().from(Demand::Table, Demand::EnterpriseId).to(Enterprise::Table, Enterprise::Id).on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_demand_enterprise").table(Demand::Table).col(Demand::EnterpriseId).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(Finding::Table)
                .col(uuid_pk(Finding::Id))
                .col(ColumnDef::new(Finding::EnterpriseId).big_integer().null())
                .col(ColumnDef::new(Finding::VisitId).string_len(36).null())
                .col(fk(Finding::GridId))
                .col(fk(Finding::WorkerId))
                .col(ColumnDef::new(Finding::Kind).string_len(32).not_null())
                .col(ColumnDef::new(Finding::Grade).string_len(16).null())
                .col(ColumnDef::new(Finding::Description).text().not_null())
                .col(ColumnDef::new(Finding::Lon).double().not_null())
                .col(ColumnDef::new(Finding::Lat).double().not_null())
                .col(double_null(Finding::AccuracyM))
                .col(at(Finding::FoundAt))
                .col(at(Finding::Deadline))
                .col(ColumnDef::new(Finding::Status).string_len(16).not_null())
                .col(at_null(Finding::ClosedAt))
                .col(at(Finding::ReceivedAt))
                .foreign_key(
                    ForeignKey::create().from(Finding::Table, Finding::EnterpriseId).to(Enterprise::Table, Enterprise::Id).on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(ForeignKey::create().from(Finding::Table, Finding::GridId).to(Grid::Table, Grid::Id).on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_finding_grid_status").table(Finding::Table).col(Finding::GridId).col(Finding::Status).to_owned()).await?;
        m.create_index(Index::create().name("ix_finding_enterprise").table(Finding::Table).col(Finding::EnterpriseId).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(Reinspection::Table)
                .col(uuid_pk(Reinspection::Id))
                .col(ColumnDef::new(Reinspection::FindingId).string_len(36).not_null())
                .col(fk(Reinspection::WorkerId))
                .col(ColumnDef::new(Reinspection::Result).string_len(16).not_null())
                .col(ColumnDef::new(Reinspection::Notes).text().not_null())
                .col(at_null(Reinspection::NewDeadline))
                .col(double_null(Reinspection::Lon))
                .col(double_null(Reinspection::Lat))
                .col(at(Reinspection::InspectedAt))
                .col(at(Reinspection::ReceivedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Reinspection::Table, Reinspection::FindingId)
                        .to(Finding::Table, Finding::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_reinspection_finding").table(Reinspection::Table).col(Reinspection::FindingId).to_owned()).await?;

        // A photo is announced by its record (finding or re-inspection) and its bytes arrive
        // later, in chunks: `received` counts them; complete when it reaches `size`.
        m.create_table(
            Table::create()
                .table(Photo::Table)
                .col(uuid_pk(Photo::Id))
                .col(ColumnDef::new(Photo::RecordId).string_len(36).not_null())
                .col(fk(Photo::WorkerId))
                .col(ColumnDef::new(Photo::ContentType).string_len(32).not_null())
                .col(ColumnDef::new(Photo::Size).big_integer().not_null())
                .col(ColumnDef::new(Photo::Received).big_integer().not_null())
                .col(ColumnDef::new(Photo::Data).binary().not_null())
                .col(at(Photo::TakenAt))
                .col(double_null(Photo::Lon))
                .col(double_null(Photo::Lat))
                .col(at_null(Photo::CompletedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_photo_record").table(Photo::Table).col(Photo::RecordId).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [Photo::Table.into_iden(), Reinspection::Table.into_iden(), Finding::Table.into_iden(), Demand::Table.into_iden(), Visit::Table.into_iden()] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(Park::Table).drop_column(Park::VisitIntervalDays).to_owned()).await?;
        m.alter_table(Table::alter().table(GridPlan::Table).drop_column(GridPlan::RetiredAt).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum GridPlan {
    Table,
    RetiredAt,
}

#[derive(DeriveIden)]
enum Park {
    Table,
    VisitIntervalDays,
}

#[derive(DeriveIden)]
enum Enterprise {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Grid {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Visit {
    Table,
    Id,
    EnterpriseId,
    GridId,
    WorkerId,
    StartedAt,
    EndedAt,
    Lon,
    Lat,
    AccuracyM,
    Met,
    Notes,
    Satisfaction,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum Demand {
    Table,
    Id,
    VisitId,
    EnterpriseId,
    GridId,
    WorkerId,
    Category,
    Description,
    Status,
    RaisedAt,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum Finding {
    Table,
    Id,
    EnterpriseId,
    VisitId,
    GridId,
    WorkerId,
    Kind,
    Grade,
    Description,
    Lon,
    Lat,
    AccuracyM,
    FoundAt,
    Deadline,
    Status,
    ClosedAt,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum Reinspection {
    Table,
    Id,
    FindingId,
    WorkerId,
    Result,
    Notes,
    NewDeadline,
    Lon,
    Lat,
    InspectedAt,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum Photo {
    Table,
    Id,
    RecordId,
    WorkerId,
    ContentType,
    Size,
    Received,
    Data,
    TakenAt,
    Lon,
    Lat,
    CompletedAt,
}
