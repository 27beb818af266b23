//! Photo uploads in chunks, resumable from where the server stands, and a complete photo read
//! back chunk by chunk.

use super::*;

/// Why a photo chunk is refused.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("no photo {0} was announced by a synced record")]
    Unknown(String),
    #[error("photo {0} belongs to another worker")]
    NotYours(String),
    #[error("photo {id}: the server holds {received} bytes; send from there")]
    WrongOffset { id: String, received: u64 },
    #[error("photo {id}: {end} bytes would exceed its announced size of {size}")]
    TooLong { id: String, end: u64, size: u64 },
    #[error("photo {id}: the bytes are not a {content_type} image")]
    NotAnImage { id: String, content_type: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for PhotoError {
    fn from(e: sea_orm::DbErr) -> Self {
        PhotoError::Store(e.into())
    }
}

/// Whether `bytes` start like an image of `content_type`.
pub(crate) fn looks_like(content_type: &str, bytes: &[u8]) -> bool {
    match content_type {
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/webp" => bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
        _ => false,
    }
}

fn progress(p: &photo::Model) -> api::PhotoProgress {
    api::PhotoProgress { id: p.id.clone(), received: p.received as u64, size: p.size as u64, complete: p.completed_at.is_some() }
}

/// How much of a photo the server holds.
pub async fn photo_progress<C: ConnectionTrait>(db: &C, author: Author, id: &str) -> Result<api::PhotoProgress, PhotoError> {
    Ok(progress(&own_photo(db, author, id).await?))
}

/// The announced photo `id`, if it is the author's.
async fn own_photo<C: ConnectionTrait>(db: &C, author: Author, id: &str) -> Result<photo::Model, PhotoError> {
    let id = field::RecordId::parse(id).map_err(|_| PhotoError::Unknown(id.to_owned()))?.to_string();
    let p = photo::Entity::find_by_id(id.clone()).one(db).await?.ok_or(PhotoError::Unknown(id.clone()))?;
    if p.worker_id != author.user_id {
        return Err(PhotoError::NotYours(id));
    }
    Ok(p)
}

/// Appends `chunk` at `offset` to an announced photo. Resending a chunk the server already
/// holds is harmless: a complete photo answers its progress; a wrong offset is refused with the
/// offset to resume from. The chunk is stored as it came (`photo_chunk`): nothing already
/// received is read or rewritten.
pub async fn put_photo_chunk<D>(db: &D, author: Author, id: &str, offset: u64, chunk: &[u8]) -> Result<api::PhotoProgress, PhotoError>
where
    D: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    let p = own_photo(db, author, id).await?;
    let id = p.id.clone();
    if p.completed_at.is_some() {
        return Ok(progress(&p));
    }
    let (received, size) = (p.received as u64, p.size as u64);
    if offset != received {
        return Err(PhotoError::WrongOffset { id, received });
    }
    let end = offset + chunk.len() as u64;
    if end > size {
        return Err(PhotoError::TooLong { id, end, size });
    }
    // The image's signature is in its first bytes: the first chunk must hold them.
    if offset == 0 && !looks_like(&p.content_type, chunk) {
        return Err(PhotoError::NotAnImage { id, content_type: p.content_type });
    }
    if chunk.is_empty() {
        return Ok(progress(&p));
    }
    let done = end == size;
    let txn = crate::db::write(db).await?;
    // Only if nobody appended meanwhile (two uploads of the same photo racing).
    let r = photo::Entity::update_many()
        .col_expr(photo::Column::Received, Expr::value(end as i64))
        .col_expr(photo::Column::CompletedAt, Expr::value(if done { Some(now()) } else { None }))
        .filter(photo::Column::Id.eq(id.clone()))
        .filter(photo::Column::Received.eq(received as i64))
        .exec(&txn)
        .await?;
    if r.rows_affected == 0 {
        txn.rollback().await?;
        let now_held = photo::Entity::find_by_id(id.clone()).one(db).await?.map_or(0, |p| p.received as u64);
        return Err(PhotoError::WrongOffset { id, received: now_held });
    }
    photo_chunk::ActiveModel { photo_id: Set(id.clone()), byte_offset: Set(offset as i64), data: Set(chunk.to_vec()) }.insert(&txn).await?;
    txn.commit().await?;
    Ok(api::PhotoProgress { id, received: end, size, complete: done })
}

/// A complete photo: its type, its worker, and its bytes as a stream of its chunks, read one
/// at a time.
pub struct PhotoBytes {
    pub content_type: String,
    pub worker_id: i64,
    /// The park of the record the photo belongs to.
    pub park_id: Option<i64>,
    pub size: u64,
    pub chunks: futures::stream::BoxStream<'static, Result<Vec<u8>, StoreError>>,
}

/// The park of a finding, or of the finding a re-inspection inspects.
async fn park_of_record<C: ConnectionTrait>(db: &C, record_id: &str) -> Result<Option<i64>, StoreError> {
    let finding_id = match reinspection::Entity::find_by_id(record_id.to_owned()).one(db).await? {
        Some(r) => r.finding_id,
        None => record_id.to_owned(),
    };
    let Some(f) = finding::Entity::find_by_id(finding_id).one(db).await? else { return Ok(None) };
    let Some(g) = grid::Entity::find_by_id(f.grid_id).one(db).await? else { return Ok(None) };
    Ok(grid_plan::Entity::find_by_id(g.plan_id).one(db).await?.map(|p| p.park_id))
}

/// A complete photo, for its worker or anyone who may see the park.
pub async fn photo_bytes(db: &sea_orm::DatabaseConnection, id: &str) -> Result<Option<PhotoBytes>, StoreError> {
    use futures::StreamExt;
    let Ok(id) = field::RecordId::parse(id).map(String::from) else { return Ok(None) };
    let Some(p) = photo::Entity::find_by_id(id.clone()).one(db).await?.filter(|p| p.completed_at.is_some()) else { return Ok(None) };
    let park_id = park_of_record(db, &p.record_id).await?;
    let offsets: Vec<i64> = photo_chunk::Entity::find()
        .select_only()
        .column(photo_chunk::Column::ByteOffset)
        .filter(photo_chunk::Column::PhotoId.eq(id.clone()))
        .order_by_asc(photo_chunk::Column::ByteOffset)
        .into_tuple()
        .all(db)
        .await?;
    let db = db.clone();
    let chunks = futures::stream::iter(offsets)
        .then(move |offset| {
            let (db, id) = (db.clone(), id.clone());
            async move {
                let c = photo_chunk::Entity::find_by_id((id, offset)).one(&db).await?;
                c.map(|c| c.data).ok_or(StoreError::NotFound("photo chunk"))
            }
        })
        .boxed();
    Ok(Some(PhotoBytes { content_type: p.content_type, worker_id: p.worker_id, park_id, size: p.size as u64, chunks }))
}
