//! What the managers publish (issue 15; DB33/T 2320-2021, 4.5 and 5.5.1): the park's service
//! list (服务清单), its policies and news with their files, which of a grid worker's details the
//! public sees (their name, a work phone), and the park's public settings (the hotline, whether
//! the quarterly figures per department are shown). [`crate::public`] reads it for the page.
//!
//! Every write is the service center's — a manager or administrator of the park it is about
//! (checked through [`Access`]; anything named by an id is looked up first and its park
//! checked) —, is written with its audit event, and refuses bad input with a
//! [`StoreError::Refused`] whose code names the field (`pub_title`, `pub_phone`, …).

use crate::access::Access;
use crate::entities::{app_user, department, grid, grid_assignment, notice, notice_attachment, park, service_item, user_park};
use crate::{StoreError, audit};
use api::public::{
    DemandCategory, Mode, NoticeDraft, NoticeKind, NoticeRow, ParkPublic, PublicAttachment, PublishOverview, ServiceItem, ServiceItemDraft, WorkerPublish,
};
use chrono::{DateTime, Utc};
use domain::Role;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use std::collections::HashMap;

/// The longest name of a service, title of a notice (characters).
pub const MAX_NAME: usize = 200;
/// The longest body of a notice (characters).
pub const MAX_BODY: usize = 20_000;
/// The most working days a service's promised limit may be.
pub const MAX_LIMIT_DAYS: u32 = 60;
/// The most files one notice takes.
pub const MAX_NOTICE_FILES: u64 = 10;
/// The most lines of a service list.
pub const MAX_SERVICES: u64 = 200;

/// A file to publish with a notice: a PDF or a picture, checked by its bytes.
#[derive(Clone, Copy, Debug)]
pub struct NewFile<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// Refuses anyone but the service center (a manager or administrator) of park `park_id`.
fn center(access: &Access, park_id: i64) -> Result<(), StoreError> {
    if !matches!(access.role, Some(Role::Manager | Role::Admin)) {
        return Err(StoreError::Forbidden("park"));
    }
    access.check_park(park_id)
}

fn audit_event<'a>(
    access: &Access,
    action: &'a str,
    entity: &'a str,
    id: i64,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> audit::Event<'a> {
    audit::Event { actor: Some(access.user.id), action, entity, entity_id: Some(id.to_string()), before, after }
}

/// A text of 1 to `max` characters (trimmed), or refused with `code`, naming `field`.
fn checked_text(code: api::RefusalCode, field: &str, text: &str, max: usize) -> Result<String, StoreError> {
    let text = text.trim();
    let n = text.chars().count();
    if n == 0 || n > max {
        return Err(StoreError::refused(code, n.to_string(), format!("{field}: 1 to {max} characters, not {n}")));
    }
    Ok(text.to_owned())
}

/// A phone number as the public page shows it: digits, spaces, `+` and `-`, 5 to 20
/// characters with a digit among them; empty is none. Refused with `code`, naming `field`.
pub fn checked_phone(code: api::RefusalCode, field: &str, raw: &str) -> Result<Option<String>, StoreError> {
    let phone = raw.trim();
    if phone.is_empty() {
        return Ok(None);
    }
    let n = phone.chars().count();
    let allowed = phone.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-'));
    if !allowed || !(5..=20).contains(&n) || !phone.chars().any(|c| c.is_ascii_digit()) {
        return Err(StoreError::refused(code, phone.chars().take(24).collect::<String>(), format!("{field}: 5 to 20 digits, spaces, + or -")));
    }
    Ok(Some(phone.to_owned()))
}

// ---------------------------------------------------------------------------------------
// The page's overview.

/// What the `/publish` page shows of park `park_id`: its settings, service list, notices
/// (withdrawn ones too), workers with what is published of them, and the departments.
pub async fn overview<C: ConnectionTrait>(db: &C, access: &Access, park_id: i64) -> Result<PublishOverview, StoreError> {
    center(access, park_id)?;
    let p = park::Entity::find_by_id(park_id).one(db).await?.ok_or(StoreError::NotFound("park"))?;
    let departments: Vec<(i64, String)> = department::Entity::find()
        .filter(department::Column::Active.eq(true))
        .order_by_asc(department::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    Ok(PublishOverview {
        park: ParkPublic { code: p.code, name: p.name, hotline: p.public_hotline, publish_figures: p.publish_figures },
        services: services(db, park_id).await?,
        notices: notices(db, park_id).await?,
        workers: workers(db, park_id).await?,
        departments,
    })
}

/// Department names by id.
pub(crate) async fn department_names<C: ConnectionTrait>(db: &C) -> Result<HashMap<i64, String>, StoreError> {
    Ok(department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.name)).collect())
}

/// The park's service list in its order.
pub async fn services<C: ConnectionTrait>(db: &C, park_id: i64) -> Result<Vec<ServiceItem>, StoreError> {
    let names = department_names(db).await?;
    let rows = service_item::Entity::find()
        .filter(service_item::Column::ParkId.eq(park_id))
        .order_by_asc(service_item::Column::Position)
        .order_by_asc(service_item::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(ServiceItem {
                id: r.id,
                category: DemandCategory::parse(&r.category)?,
                mode: Mode::parse(&r.mode)?,
                limit_days: r.limit_days.and_then(|d| u32::try_from(d).ok()),
                department: r.department_id.and_then(|d| names.get(&d).cloned()),
                department_id: r.department_id,
                name: r.name,
            })
        })
        .collect())
}

/// The files of these notices, without their bytes, by notice.
pub(crate) async fn attachments_of<C: ConnectionTrait>(db: &C, notices: Vec<i64>) -> Result<HashMap<i64, Vec<PublicAttachment>>, StoreError> {
    let rows: Vec<(i64, i64, String, String, i64)> = notice_attachment::Entity::find()
        .select_only()
        .columns([
            notice_attachment::Column::Id,
            notice_attachment::Column::NoticeId,
            notice_attachment::Column::Name,
            notice_attachment::Column::ContentType,
            notice_attachment::Column::Size,
        ])
        .filter(notice_attachment::Column::NoticeId.is_in(notices))
        .order_by_asc(notice_attachment::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<i64, Vec<PublicAttachment>> = HashMap::new();
    for (id, notice, name, content_type, size) in rows {
        out.entry(notice).or_default().push(PublicAttachment { id, name, content_type, size: u64::try_from(size).unwrap_or(0) });
    }
    Ok(out)
}

/// Every notice of the park, newest first, withdrawn ones too.
async fn notices<C: ConnectionTrait>(db: &C, park_id: i64) -> Result<Vec<NoticeRow>, StoreError> {
    type Row = (i64, String, String, DateTime<Utc>, Option<DateTime<Utc>>);
    let rows: Vec<Row> = notice::Entity::find()
        .select_only()
        .columns([notice::Column::Id, notice::Column::Kind, notice::Column::Title, notice::Column::PublishedAt, notice::Column::WithdrawnAt])
        .filter(notice::Column::ParkId.eq(park_id))
        .order_by_desc(notice::Column::PublishedAt)
        .order_by_desc(notice::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut files = attachments_of(db, rows.iter().map(|r| r.0).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, title, at, withdrawn)| NoticeRow {
            id,
            kind: NoticeKind::parse(&kind).unwrap_or(NoticeKind::News),
            title,
            published_at: at.to_rfc3339(),
            withdrawn_at: withdrawn.map(|w| w.to_rfc3339()),
            attachments: files.remove(&id).unwrap_or_default(),
        })
        .collect())
}

/// The park's active workers by name, with their grids of the active plan and what is
/// published of them.
async fn workers<C: ConnectionTrait>(db: &C, park_id: i64) -> Result<Vec<WorkerPublish>, StoreError> {
    let members: Vec<i64> = user_park::Entity::find().filter(user_park::Column::ParkId.eq(park_id)).all(db).await?.into_iter().map(|m| m.user_id).collect();
    let users = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(members))
        .filter(app_user::Column::Role.eq(Role::Worker.as_str()))
        .filter(app_user::Column::Active.eq(true))
        .order_by_asc(app_user::Column::DisplayName)
        .all(db)
        .await?;
    let grids = match crate::plans::active_plan(db, park_id).await? {
        Some(plan) => grid::Entity::find().filter(grid::Column::PlanId.eq(plan.id)).all(db).await?,
        None => vec![],
    };
    let code_of: HashMap<i64, String> = grids.into_iter().map(|g| (g.id, g.code)).collect();
    let mut held: HashMap<i64, Vec<String>> = HashMap::new();
    for a in grid_assignment::Entity::find_current().filter(grid_assignment::Column::GridId.is_in(code_of.keys().copied().collect::<Vec<_>>())).all(db).await? {
        if let Some(code) = code_of.get(&a.grid_id) {
            held.entry(a.user_id).or_default().push(code.clone());
        }
    }
    Ok(users
        .into_iter()
        .map(|u| {
            let mut grids = held.remove(&u.id).unwrap_or_default();
            grids.sort();
            WorkerPublish { user_id: u.id, display_name: u.display_name, grids, publish_name: u.publish_name, public_phone: u.public_phone }
        })
        .collect())
}

// ---------------------------------------------------------------------------------------
// The service list.

/// A draft's fields checked: name, limit, department (an active one).
async fn checked_item<C: ConnectionTrait>(db: &C, d: &ServiceItemDraft) -> Result<(String, Option<i32>, Option<i64>), StoreError> {
    let name = checked_text(api::RefusalCode::PubName, "name", &d.name, MAX_NAME)?;
    let limit = match d.limit_days {
        None => None,
        Some(days) if (1..=MAX_LIMIT_DAYS).contains(&days) => Some(days as i32),
        Some(days) => {
            return Err(StoreError::refused(
                api::RefusalCode::PubLimit,
                days.to_string(),
                format!("limit_days: 1 to {MAX_LIMIT_DAYS} working days, not {days}"),
            ));
        }
    };
    if let Some(id) = d.department_id {
        let ok = department::Entity::find_by_id(id).one(db).await?.is_some_and(|d| d.active);
        if !ok {
            return Err(StoreError::refused(api::RefusalCode::PubDepartment, id.to_string(), format!("department_id: no active department {id}")));
        }
    }
    Ok((name, limit, d.department_id))
}

fn item_snapshot(r: &service_item::Model) -> serde_json::Value {
    serde_json::json!({ "name": r.name, "category": r.category, "mode": r.mode, "limit_days": r.limit_days, "department_id": r.department_id, "position": r.position })
}

/// Adds a line at the end of park `park_id`'s service list: its id.
pub async fn add_service_item<C: ConnectionTrait>(db: &C, access: &Access, park_id: i64, d: &ServiceItemDraft) -> Result<i64, StoreError> {
    center(access, park_id)?;
    insert_service_item(db, Some(access.user.id), park_id, d).await
}

/// Adds a line (the demo's too, which has no session).
pub(crate) async fn insert_service_item<C: ConnectionTrait>(db: &C, actor: Option<i64>, park_id: i64, d: &ServiceItemDraft) -> Result<i64, StoreError> {
    let (name, limit, dept) = checked_item(db, d).await?;
    let existing = service_item::Entity::find().filter(service_item::Column::ParkId.eq(park_id)).count(db).await?;
    if existing >= MAX_SERVICES {
        return Err(StoreError::refused(
            api::RefusalCode::PubTooManyServices,
            MAX_SERVICES.to_string(),
            format!("a service list has at most {MAX_SERVICES} lines"),
        ));
    }
    let last: Option<i32> = service_item::Entity::find()
        .select_only()
        .column_as(service_item::Column::Position.max(), "p")
        .filter(service_item::Column::ParkId.eq(park_id))
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten();
    let row = service_item::ActiveModel {
        park_id: Set(park_id),
        name: Set(name),
        category: Set(d.category.as_str().to_owned()),
        mode: Set(d.mode.as_str().to_owned()),
        limit_days: Set(limit),
        department_id: Set(dept),
        position: Set(last.map_or(0, |p| p.saturating_add(1))),
        updated_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        audit::Event {
            actor,
            action: "service_item.add",
            entity: "service_item",
            entity_id: Some(row.id.to_string()),
            before: None,
            after: Some(item_snapshot(&row)),
        },
    )
    .await?;
    Ok(row.id)
}

/// A line of a service list the user's park holds.
async fn own_item<C: ConnectionTrait>(db: &C, access: &Access, id: i64) -> Result<service_item::Model, StoreError> {
    let row = service_item::Entity::find_by_id(id).one(db).await?.ok_or(StoreError::NotFound("service item"))?;
    center(access, row.park_id)?;
    Ok(row)
}

/// Changes a line of the service list.
pub async fn update_service_item<C: ConnectionTrait>(db: &C, access: &Access, id: i64, d: &ServiceItemDraft) -> Result<(), StoreError> {
    let row = own_item(db, access, id).await?;
    let (name, limit, dept) = checked_item(db, d).await?;
    let before = item_snapshot(&row);
    let mut am: service_item::ActiveModel = row.into();
    am.name = Set(name);
    am.category = Set(d.category.as_str().to_owned());
    am.mode = Set(d.mode.as_str().to_owned());
    am.limit_days = Set(limit);
    am.department_id = Set(dept);
    am.updated_at = Set(crate::now());
    let after = am.update(db).await?;
    audit::record(db, audit_event(access, "service_item.update", "service_item", id, Some(before), Some(item_snapshot(&after)))).await?;
    Ok(())
}

/// Takes a line off the service list.
pub async fn delete_service_item<C: ConnectionTrait>(db: &C, access: &Access, id: i64) -> Result<(), StoreError> {
    let row = own_item(db, access, id).await?;
    let before = item_snapshot(&row);
    service_item::Entity::delete_by_id(id).exec(db).await?;
    audit::record(db, audit_event(access, "service_item.delete", "service_item", id, Some(before), None)).await?;
    Ok(())
}

/// Moves a line one place up (or down) the list: it swaps places with its neighbour.
pub async fn move_service_item<D>(db: &D, access: &Access, id: i64, up: bool) -> Result<(), StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    let txn = crate::db::write(db).await?;
    let row = service_item::Entity::find_by_id(id).lock_exclusive().one(&txn).await?.ok_or(StoreError::NotFound("service item"))?;
    center(access, row.park_id)?;
    let list = service_item::Entity::find()
        .filter(service_item::Column::ParkId.eq(row.park_id))
        .order_by_asc(service_item::Column::Position)
        .order_by_asc(service_item::Column::Id)
        .all(&txn)
        .await?;
    let Some(at) = list.iter().position(|r| r.id == id) else { return Err(StoreError::NotFound("service item")) };
    let to = if up { at.checked_sub(1) } else { Some(at + 1).filter(|&i| i < list.len()) };
    let Some(to) = to else { return Ok(()) };
    // Positions renumbered 0, 1, 2… in the new order (equal positions are then told apart).
    let mut order: Vec<i64> = list.iter().map(|r| r.id).collect();
    order.swap(at, to);
    for (i, rid) in order.iter().enumerate() {
        service_item::Entity::update_many()
            .col_expr(service_item::Column::Position, Expr::value(i as i32))
            .filter(service_item::Column::Id.eq(*rid))
            .exec(&txn)
            .await?;
    }
    audit::record(&txn, audit_event(access, if up { "service_item.up" } else { "service_item.down" }, "service_item", id, None, None)).await?;
    txn.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Policies and news.

/// A file's bytes checked as a case's are: a PDF or a picture, 1 byte to 1.4 MB.
fn checked_file(f: &NewFile<'_>) -> Result<(), StoreError> {
    if f.bytes.is_empty() || f.bytes.len() > crate::cases::MAX_ATTACHMENT_BYTES {
        return Err(StoreError::refused(api::RefusalCode::AttachmentSize, f.bytes.len().to_string(), "file: a file of 1 byte to 1.4 MB"));
    }
    if !crate::cases::document_ok(f.content_type, f.bytes) {
        return Err(StoreError::refused(
            api::RefusalCode::AttachmentType,
            f.content_type.to_owned(),
            "file: a PDF, JPEG, PNG or WebP file whose bytes are what it says",
        ));
    }
    Ok(())
}

async fn insert_file<C: ConnectionTrait>(db: &C, notice_id: i64, f: &NewFile<'_>, at: DateTime<Utc>) -> Result<notice_attachment::Model, StoreError> {
    Ok(notice_attachment::ActiveModel {
        notice_id: Set(notice_id),
        name: Set(crate::cases::file_name(f.name)),
        content_type: Set(f.content_type.to_owned()),
        size: Set(i64::try_from(f.bytes.len()).unwrap_or(i64::MAX)),
        data: Set(f.bytes.to_vec()),
        uploaded_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Publishes a policy or a piece of news in park `park_id` with its files, in one
/// transaction: its id.
pub async fn publish_notice<D>(db: &D, access: &Access, park_id: i64, draft: &NoticeDraft, files: &[NewFile<'_>]) -> Result<i64, StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    center(access, park_id)?;
    let txn = crate::db::write(db).await?;
    let id = insert_notice(&txn, Some(access.user.id), park_id, draft, files, crate::now()).await?;
    txn.commit().await?;
    Ok(id)
}

/// Writes a notice with its files (the caller's transaction; the demo's too).
pub(crate) async fn insert_notice<C: ConnectionTrait>(
    db: &C,
    actor: Option<i64>,
    park_id: i64,
    draft: &NoticeDraft,
    files: &[NewFile<'_>],
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let title = checked_text(api::RefusalCode::PubTitle, "title", &draft.title, MAX_NAME)?;
    let body = checked_text(api::RefusalCode::PubBody, "body", &draft.body, MAX_BODY)?;
    if files.len() as u64 > MAX_NOTICE_FILES {
        return Err(StoreError::refused(
            api::RefusalCode::TooManyAttachments,
            MAX_NOTICE_FILES.to_string(),
            format!("file: a notice takes at most {MAX_NOTICE_FILES} files"),
        ));
    }
    files.iter().try_for_each(checked_file)?;
    let row = notice::ActiveModel {
        park_id: Set(park_id),
        kind: Set(draft.kind.as_str().to_owned()),
        title: Set(title.clone()),
        body: Set(body),
        published_at: Set(at),
        author_id: Set(actor),
        withdrawn_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut names = Vec::new();
    for f in files {
        names.push(insert_file(db, row.id, f, at).await?.name);
    }
    audit::record(
        db,
        audit::Event {
            actor,
            action: "notice.publish",
            entity: "notice",
            entity_id: Some(row.id.to_string()),
            before: None,
            after: Some(serde_json::json!({ "kind": draft.kind.as_str(), "title": title, "files": names })),
        },
    )
    .await?;
    Ok(row.id)
}

/// A notice of the user's park, its row locked.
async fn own_notice(txn: &DatabaseTransaction, access: &Access, id: i64) -> Result<notice::Model, StoreError> {
    let n = notice::Entity::find_by_id(id).lock_exclusive().one(txn).await?.ok_or(StoreError::NotFound("notice"))?;
    center(access, n.park_id)?;
    Ok(n)
}

/// Adds a file to a published notice (one per request: the request's size limit).
pub async fn attach_to_notice<D>(db: &D, access: &Access, id: i64, file: &NewFile<'_>) -> Result<i64, StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    checked_file(file)?;
    let txn = crate::db::write(db).await?;
    let n = own_notice(&txn, access, id).await?;
    if n.withdrawn_at.is_some() {
        return Err(StoreError::refused(api::RefusalCode::PubWithdrawn, n.id.to_string(), "notice: withdrawn notices take no files"));
    }
    if notice_attachment::Entity::find().filter(notice_attachment::Column::NoticeId.eq(id)).count(&txn).await? >= MAX_NOTICE_FILES {
        return Err(StoreError::refused(
            api::RefusalCode::TooManyAttachments,
            MAX_NOTICE_FILES.to_string(),
            format!("file: a notice takes at most {MAX_NOTICE_FILES} files"),
        ));
    }
    let row = insert_file(&txn, id, file, crate::now()).await?;
    audit::record(
        &txn,
        audit_event(access, "notice.attach", "notice", id, None, Some(serde_json::json!({ "attachment": row.id, "name": row.name, "size": row.size }))),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Takes a notice down: no longer shown, its files no longer served. Withdrawing it twice
/// changes nothing.
pub async fn withdraw_notice<D>(db: &D, access: &Access, id: i64) -> Result<(), StoreError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    let txn = crate::db::write(db).await?;
    let n = own_notice(&txn, access, id).await?;
    if n.withdrawn_at.is_some() {
        return Ok(());
    }
    let title = n.title.clone();
    let mut am: notice::ActiveModel = n.into();
    am.withdrawn_at = Set(Some(crate::now()));
    am.update(&txn).await?;
    audit::record(&txn, audit_event(access, "notice.withdraw", "notice", id, Some(serde_json::json!({ "title": title })), None)).await?;
    txn.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Workers and the park.

/// What the public sees of grid worker `user_id` of park `park_id`: their name or not, a
/// work phone or none (empty).
pub async fn set_worker_publish<C: ConnectionTrait>(
    db: &C,
    access: &Access,
    park_id: i64,
    user_id: i64,
    publish_name: bool,
    phone: &str,
) -> Result<(), StoreError> {
    center(access, park_id)?;
    let phone = checked_phone(api::RefusalCode::PubPhone, "public_phone", phone)?;
    let u = app_user::Entity::find_by_id(user_id).one(db).await?.ok_or(StoreError::NotFound("worker"))?;
    if user_park::Entity::find_by_id((user_id, park_id)).one(db).await?.is_none() {
        // Not a worker of this park: as if it did not exist for this manager.
        return Err(StoreError::Forbidden("user"));
    }
    if u.role != Role::Worker.as_str() {
        return Err(StoreError::refused(api::RefusalCode::NotAWorker, u.login.clone(), format!("{} is not a grid worker's account", u.login)));
    }
    // What is published is the account's, shown on the page of every park the worker serves:
    // only a manager of all of them decides it.
    let parks: Vec<i64> = user_park::Entity::find().filter(user_park::Column::UserId.eq(user_id)).all(db).await?.into_iter().map(|p| p.park_id).collect();
    if u.all_parks || !parks.iter().all(|p| access.reaches(*p)) {
        return Err(StoreError::Forbidden("worker of another park"));
    }
    write_worker_publish(db, Some(access.user.id), u, publish_name, phone).await
}

pub(crate) async fn write_worker_publish<C: ConnectionTrait>(
    db: &C,
    actor: Option<i64>,
    u: app_user::Model,
    publish_name: bool,
    phone: Option<String>,
) -> Result<(), StoreError> {
    let id = u.id;
    let before = serde_json::json!({ "publish_name": u.publish_name, "public_phone": u.public_phone });
    let mut am: app_user::ActiveModel = u.into();
    am.publish_name = Set(publish_name);
    am.public_phone = Set(phone.clone());
    am.update(db).await?;
    audit::record(
        db,
        audit::Event {
            actor,
            action: "worker.publish",
            entity: "user",
            entity_id: Some(id.to_string()),
            before: Some(before),
            after: Some(serde_json::json!({ "publish_name": publish_name, "public_phone": phone })),
        },
    )
    .await?;
    Ok(())
}

/// The park's public settings: the hotline (empty: none) and whether the quarterly figures
/// per department are published.
pub async fn set_park_public<C: ConnectionTrait>(db: &C, access: &Access, park_id: i64, hotline: &str, publish_figures: bool) -> Result<(), StoreError> {
    center(access, park_id)?;
    let hotline = checked_phone(api::RefusalCode::PubHotline, "hotline", hotline)?;
    let p = park::Entity::find_by_id(park_id).one(db).await?.ok_or(StoreError::NotFound("park"))?;
    write_park_public(db, Some(access.user.id), p, hotline, publish_figures).await
}

pub(crate) async fn write_park_public<C: ConnectionTrait>(
    db: &C,
    actor: Option<i64>,
    p: park::Model,
    hotline: Option<String>,
    publish_figures: bool,
) -> Result<(), StoreError> {
    let id = p.id;
    let before = serde_json::json!({ "hotline": p.public_hotline, "publish_figures": p.publish_figures });
    let mut am: park::ActiveModel = p.into();
    am.public_hotline = Set(hotline.clone());
    am.publish_figures = Set(publish_figures);
    am.update(db).await?;
    audit::record(
        db,
        audit::Event {
            actor,
            action: "park.public",
            entity: "park",
            entity_id: Some(id.to_string()),
            before: Some(before),
            after: Some(serde_json::json!({ "hotline": hotline, "publish_figures": publish_figures })),
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: Result<Option<String>, StoreError>) -> Option<api::RefusalCode> {
        match r {
            Err(StoreError::Refused(r)) => Some(r.code),
            _ => None,
        }
    }

    #[test]
    fn a_phone_is_digits_spaces_plus_and_dashes_of_5_to_20_characters() {
        assert_eq!(checked_phone(api::RefusalCode::PubPhone, "p", " 0571-8765 4321 ").ok().flatten().as_deref(), Some("0571-8765 4321"));
        assert_eq!(checked_phone(api::RefusalCode::PubPhone, "p", "+86 138 0000 0000").ok().flatten().as_deref(), Some("+86 138 0000 0000"));
        assert_eq!(checked_phone(api::RefusalCode::PubPhone, "p", "  ").ok().flatten(), None);
        for bad in ["1234", "call me maybe", "0571-1234-5678-9012-3", "-----", "12345<b>"] {
            assert_eq!(code(checked_phone(api::RefusalCode::PubPhone, "p", bad)), Some(api::RefusalCode::PubPhone), "{bad}");
        }
    }
}
