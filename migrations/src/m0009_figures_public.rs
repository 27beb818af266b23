//! Seeing the park (issue 15): what the figures read from a case without replaying its
//! timeline — when it was closed, how often it was sent back (返工) or extended (延期), when the
//! enterprise rated it — kept by `store::cases::apply` from now on and filled in here from the
//! events of the cases so far; and what the public sees: the service list (服务清单), policies
//! and news with their files, which of a worker's details the manager chose to publish, the
//! park's public hotline and whether its quarterly figures are published.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        let case_columns = [
            ColumnDef::new(ServiceCase::ClosedAt).timestamp_with_time_zone().null().to_owned(),
            ColumnDef::new(ServiceCase::ReworkCount).integer().not_null().default(0).to_owned(),
            ColumnDef::new(ServiceCase::ExtensionCount).integer().not_null().default(0).to_owned(),
            ColumnDef::new(ServiceCase::RatedAt).timestamp_with_time_zone().null().to_owned(),
        ];
        for mut c in case_columns {
            m.alter_table(Table::alter().table(ServiceCase::Table).add_column(&mut c).to_owned()).await?;
        }
        m.create_index(
            Index::create().name("ix_case_park_registered").table(ServiceCase::Table).col(ServiceCase::ParkId).col(ServiceCase::RegisteredAt).to_owned(),
        )
        .await?;
        // The cases so far, from their timelines: the last closing (a rating after it is an event
        // from closed to closed, not a closing), the failed verifications,
        // the granted extensions (the action's JSON as `store::cases` wrote it), the last rating.
        db.execute_unprepared(
            "UPDATE service_case SET \
               closed_at = CASE WHEN stage = 'closed' THEN (SELECT MAX(e.at) FROM case_event e WHERE e.case_id = service_case.id AND e.to_stage = 'closed' AND (e.from_stage IS NULL OR e.from_stage <> 'closed')) END, \
               rework_count = (SELECT COUNT(*) FROM case_event e WHERE e.case_id = service_case.id AND e.action = 'verify' AND e.to_stage <> 'closed'), \
               extension_count = (SELECT COUNT(*) FROM case_event e WHERE e.case_id = service_case.id AND e.action = 'decide_extension' AND e.detail LIKE '%\"grant\":true%'), \
               rated_at = CASE WHEN rating IS NOT NULL THEN (SELECT MAX(e.at) FROM case_event e WHERE e.case_id = service_case.id AND e.action = 'rate') END",
        )
        .await?;
        // A case closed before any event said so (none should be): closed when last changed.
        db.execute_unprepared("UPDATE service_case SET closed_at = updated_at WHERE stage = 'closed' AND closed_at IS NULL").await?;

        // Every rating as it was given, kept when a reopened case loses its current one: 满意率
        // counts ratings in their month, whatever happened to the case later.
        m.create_table(
            Table::create()
                .table(CaseRating::Table)
                .col(ColumnDef::new(CaseRating::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(CaseRating::CaseId).big_integer().not_null())
                .col(ColumnDef::new(CaseRating::At).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(CaseRating::Satisfaction).string_len(16).not_null())
                .col(ColumnDef::new(CaseRating::Solved).boolean().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(CaseRating::Table, CaseRating::CaseId)
                        .to(ServiceCase::Table, ServiceCase::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_case_rating_case").table(CaseRating::Table).col(CaseRating::CaseId).to_owned()).await?;
        m.create_index(Index::create().name("ix_case_rating_at").table(CaseRating::Table).col(CaseRating::At).to_owned()).await?;
        db.execute_unprepared(
            "INSERT INTO case_rating (case_id, at, satisfaction, solved) \
             SELECT id, rated_at, rating, COALESCE(rated_solved, TRUE) FROM service_case WHERE rating IS NOT NULL AND rated_at IS NOT NULL ORDER BY id",
        )
        .await?;

        let park_columns = [
            ColumnDef::new(Park::PublicHotline).string_len(64).null().to_owned(),
            ColumnDef::new(Park::PublishFigures).boolean().not_null().default(false).to_owned(),
        ];
        for mut c in park_columns {
            m.alter_table(Table::alter().table(Park::Table).add_column(&mut c).to_owned()).await?;
        }
        let user_columns = [
            ColumnDef::new(AppUser::PublishName).boolean().not_null().default(false).to_owned(),
            ColumnDef::new(AppUser::PublicPhone).string_len(32).null().to_owned(),
        ];
        for mut c in user_columns {
            m.alter_table(Table::alter().table(AppUser::Table).add_column(&mut c).to_owned()).await?;
        }

        m.create_table(
            Table::create()
                .table(ServiceItem::Table)
                .col(ColumnDef::new(ServiceItem::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(ServiceItem::ParkId).big_integer().not_null())
                .col(ColumnDef::new(ServiceItem::Name).string_len(200).not_null())
                .col(ColumnDef::new(ServiceItem::Category).string_len(32).not_null())
                .col(ColumnDef::new(ServiceItem::Mode).string_len(16).not_null())
                .col(ColumnDef::new(ServiceItem::LimitDays).integer().null())
                .col(ColumnDef::new(ServiceItem::DepartmentId).big_integer().null())
                .col(ColumnDef::new(ServiceItem::Position).integer().not_null().default(0))
                .col(ColumnDef::new(ServiceItem::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(ForeignKey::create().from(ServiceItem::Table, ServiceItem::ParkId).to(Park::Table, Park::Id).on_delete(ForeignKeyAction::Cascade))
                .foreign_key(
                    ForeignKey::create()
                        .from(ServiceItem::Table, ServiceItem::DepartmentId)
                        .to(Department::Table, Department::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_service_item_park").table(ServiceItem::Table).col(ServiceItem::ParkId).col(ServiceItem::Position).to_owned())
            .await?;

        m.create_table(
            Table::create()
                .table(Notice::Table)
                .col(ColumnDef::new(Notice::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Notice::ParkId).big_integer().not_null())
                .col(ColumnDef::new(Notice::Kind).string_len(16).not_null())
                .col(ColumnDef::new(Notice::Title).string_len(200).not_null())
                .col(ColumnDef::new(Notice::Body).text().not_null())
                .col(ColumnDef::new(Notice::PublishedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Notice::AuthorId).big_integer().null())
                .col(ColumnDef::new(Notice::WithdrawnAt).timestamp_with_time_zone().null())
                .foreign_key(ForeignKey::create().from(Notice::Table, Notice::ParkId).to(Park::Table, Park::Id).on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_notice_park").table(Notice::Table).col(Notice::ParkId).col(Notice::PublishedAt).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(NoticeAttachment::Table)
                .col(ColumnDef::new(NoticeAttachment::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(NoticeAttachment::NoticeId).big_integer().not_null())
                .col(ColumnDef::new(NoticeAttachment::Name).string_len(200).not_null())
                .col(ColumnDef::new(NoticeAttachment::ContentType).string_len(100).not_null())
                .col(ColumnDef::new(NoticeAttachment::Size).big_integer().not_null())
                .col(ColumnDef::new(NoticeAttachment::Data).binary().not_null())
                .col(ColumnDef::new(NoticeAttachment::UploadedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(NoticeAttachment::Table, NoticeAttachment::NoticeId)
                        .to(Notice::Table, Notice::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_notice_attachment_notice").table(NoticeAttachment::Table).col(NoticeAttachment::NoticeId).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("m0009 (figures and public) cannot be undone: restore a backup taken before it".into()))
    }
}

#[derive(DeriveIden)]
enum CaseRating {
    Table,
    Id,
    CaseId,
    At,
    Satisfaction,
    Solved,
}

#[derive(DeriveIden)]
enum ServiceCase {
    Table,
    Id,
    ParkId,
    RegisteredAt,
    ClosedAt,
    ReworkCount,
    ExtensionCount,
    RatedAt,
}

#[derive(DeriveIden)]
enum Park {
    Table,
    Id,
    PublicHotline,
    PublishFigures,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    PublishName,
    PublicPhone,
}

#[derive(DeriveIden)]
enum Department {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ServiceItem {
    Table,
    Id,
    ParkId,
    Name,
    Category,
    Mode,
    LimitDays,
    DepartmentId,
    Position,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Notice {
    Table,
    Id,
    ParkId,
    Kind,
    Title,
    Body,
    PublishedAt,
    AuthorId,
    WithdrawnAt,
}

#[derive(DeriveIden)]
enum NoticeAttachment {
    Table,
    Id,
    NoticeId,
    Name,
    ContentType,
    Size,
    Data,
    UploadedAt,
}
