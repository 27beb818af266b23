//! The official working-day calendar in the database: the notices shipped with parkgrid
//! (`data/calendar/`, holiday-cn's transcription of the State Council's notices) are loaded
//! on every migration when their year is missing; an administrator loads a newer notice with
//! [`load_year`] (the notice for the next year usually comes out in November).

use crate::StoreError;
use crate::entities::{calendar_day, calendar_year};
use domain::calendar::{DayKind, SpecialDay, WorkCalendar};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set, TransactionTrait};

/// The notices shipped with parkgrid, by year.
pub const SHIPPED: [(i32, &str); 2] = [(2025, include_str!("../../data/calendar/cn-2025.json")), (2026, include_str!("../../data/calendar/cn-2026.json"))];

/// Loads the shipped notices whose year the database does not have yet.
pub async fn seed_shipped<D>(db: &D) -> Result<(), StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    for (year, json) in SHIPPED {
        if calendar_year::Entity::find_by_id(year).one(db).await?.is_none() {
            let notice = WorkCalendar::from_holiday_cn(json).map_err(|e| StoreError::Conflict(format!("shipped calendar {year}: {e}")))?;
            load_year(db, year, &notice, "holiday-cn (State Council notice), shipped").await?;
        }
    }
    Ok(())
}

/// Replaces `year`'s special days with `notice`'s (the days of that year in it).
pub async fn load_year<D>(db: &D, year: i32, notice: &WorkCalendar, source: &str) -> Result<(), StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    use chrono::Datelike;
    let txn = crate::db::write(db).await?;
    calendar_day::Entity::delete_many().filter(calendar_day::Column::Day.starts_with(format!("{year}-"))).exec(&txn).await?;
    let rows: Vec<calendar_day::ActiveModel> = notice
        .special_days()
        .filter(|d| d.date.year() == year)
        .map(|d| calendar_day::ActiveModel { day: Set(d.date.format("%Y-%m-%d").to_string()), off: Set(d.kind == DayKind::Holiday), name: Set(d.name.clone()) })
        .collect();
    if !rows.is_empty() {
        calendar_day::Entity::insert_many(rows).exec_without_returning(&txn).await?;
    }
    let row = calendar_year::ActiveModel { year: Set(year), source: Set(source.to_owned()), loaded_at: Set(crate::now()) };
    calendar_year::Entity::insert(row)
        .on_conflict(
            OnConflict::column(calendar_year::Column::Year).update_columns([calendar_year::Column::Source, calendar_year::Column::LoadedAt]).to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// The calendar as the database holds it.
pub async fn load<C: ConnectionTrait>(db: &C) -> Result<WorkCalendar, StoreError> {
    let years: Vec<i32> = calendar_year::Entity::find().all(db).await?.into_iter().map(|y| y.year).collect();
    let days = calendar_day::Entity::find().all(db).await?.into_iter().filter_map(|d| {
        let date = chrono::NaiveDate::parse_from_str(&d.day, "%Y-%m-%d").ok()?;
        Some(SpecialDay { date, kind: if d.off { DayKind::Holiday } else { DayKind::MakeUpWorkday }, name: d.name })
    });
    Ok(WorkCalendar::new(days, years))
}

/// The years the database holds, with their counts of holidays and make-up working days.
pub async fn years<C: ConnectionTrait>(db: &C) -> Result<Vec<api::cases::CalendarYear>, StoreError> {
    let cal = load(db).await?;
    let sources: std::collections::HashMap<i32, String> = calendar_year::Entity::find().all(db).await?.into_iter().map(|y| (y.year, y.source)).collect();
    Ok(cal
        .years()
        .map(|year| {
            use chrono::Datelike;
            let of_year = || cal.special_days().filter(move |d| d.date.year() == year);
            api::cases::CalendarYear {
                year,
                source: sources.get(&year).cloned().unwrap_or_default(),
                holidays: of_year().filter(|d| d.kind == DayKind::Holiday).count() as u32,
                workdays: of_year().filter(|d| d.kind == DayKind::MakeUpWorkday).count() as u32,
            }
        })
        .collect())
}

/// Loads a year's notice in holiday-cn's format (the administrator, when the State Council
/// publishes the next year's): refused with the reason — the day it names — and nothing
/// changed, if it is not one.
pub async fn load_notice<D>(db: &D, json: &str, actor: Option<i64>) -> Result<i32, StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    let notice = WorkCalendar::from_holiday_cn(json).map_err(|e| StoreError::refused(api::RefusalCode::BadCalendar, e.to_string(), e.to_string()))?;
    let Some(year) = notice.years().next() else {
        return Err(StoreError::refused(api::RefusalCode::BadCalendar, "", "the file names no year"));
    };
    load_year(db, year, &notice, "holiday-cn file loaded by the administrator").await?;
    crate::audit::record(
        db,
        crate::audit::Event { actor, action: "calendar.load", entity: "calendar", entity_id: Some(year.to_string()), before: None, after: None },
    )
    .await?;
    Ok(year)
}
