//! `service_case` table: a case (事项) — a demand or a finding handled to the end. Its stage
//! changes only through `store::cases::act`, which writes a `case_event` for each change.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_case")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub park_id: i64,
    pub enterprise_id: Option<i64>,
    /// `visit`, `hall`, `enterprise` or `finding`.
    pub source: String,
    /// The field record it came from (a demand's id), for idempotent creation.
    pub source_record: Option<String>,
    /// `demand` or `finding`.
    pub kind: String,
    /// `domain::field::DemandCategory` (or `FindingKind`) as text.
    pub category: String,
    pub description: String,
    /// `domain::case::Stage` as text.
    pub stage: String,
    /// `domain::case::Mode` as text.
    pub mode: Option<String>,
    pub department_id: Option<i64>,
    /// 首问负责: who took it first.
    pub owner_id: Option<i64>,
    pub deadline_at: Option<DateTimeUtc>,
    /// When the clock stopped (补办), while it is stopped.
    pub paused_at: Option<DateTimeUtc>,
    pub pending_extension: Option<i32>,
    pub replied_by: Option<i64>,
    /// `domain::case::Satisfaction` as text.
    pub rating: Option<String>,
    pub rated_solved: Option<bool>,
    /// Waiting for the manager's attention (returned, extension asked, unsatisfied).
    pub flagged: bool,
    /// The earlier case of the same enterprise and category within 90 days.
    pub repeat_of: Option<i64>,
    pub registered_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// A finding's `domain::field::HazardGrade` as text.
    pub grade: Option<String>,
    /// A finding's place (WGS84), where its after-photo is to be taken.
    pub spot_lon: Option<f64>,
    pub spot_lat: Option<f64>,
    /// A major hazard's `domain::case::RectificationPlan` as JSON.
    pub rectification_plan: Option<String>,
    /// The photo that shows the rectification (a re-inspection's), and how far from the
    /// finding it was taken.
    pub after_photo: Option<String>,
    pub after_distance_m: Option<f64>,
    /// The deadline sweep's marks for the current deadline: reminded, 催办, 督办.
    pub reminded_at: Option<DateTimeUtc>,
    pub urged_at: Option<DateTimeUtc>,
    pub supervised_at: Option<DateTimeUtc>,
    /// When the stage it is in must be left by (a limit of `case_stage_limit`), if any.
    pub stage_deadline_at: Option<DateTimeUtc>,
    /// When it was last closed (办结); none while open (a reopened case loses it).
    pub closed_at: Option<DateTimeUtc>,
    /// Failed verifications (返工) so far.
    pub rework_count: i32,
    /// Extensions granted (延期) so far.
    pub extension_count: i32,
    /// When the enterprise last rated it.
    pub rated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
