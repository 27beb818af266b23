//! Field work: what a grid worker records on a visit (走访, clause 6.1.2) or a patrol
//! (7.3) — visits, demands (诉求), findings (hazards 7.1, environment 7.2, public order 7.3) and
//! re-inspections of their rectification (整改) — and the rules those records obey.
//!
//! Records are made on a phone, often offline, each with an id the phone generated (a UUID,
//! [`RecordId`], parsed as the record is read) and the phone's clock. The server checks them
//! with [`Visit::check`], [`Finding::check`] and [`Reinspection::check`] before storing
//! anything.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The service areas of clauses 8.1 (production) and 8.2 (life) a demand is classified by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DemandCategory {
    /// 8.1.1 政策资源对接
    Policy,
    /// 8.1.2 人力资源发展
    HumanResources,
    /// 8.1.3 技术平台搭建
    Technology,
    /// 8.1.4 专业服务链接
    ProfessionalServices,
    /// 8.1.5 创业孵化支持
    Incubation,
    /// 8.1.6 经营要素互通 (financing, materials, logistics)
    Resources,
    /// 8.2.1 社会保障服务
    SocialSecurity,
    /// 8.2.2 职业服务
    Jobs,
    /// 8.2.3 文化服务
    Culture,
    /// 8.2.4 生活服务
    Living,
    Other,
}

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// 7.1 hidden safety hazard (隐患); has a [`HazardGrade`].
    SafetyHazard,
    /// 7.2.2 air pollutants
    Air,
    /// 7.2.2 solid waste
    SolidWaste,
    /// 7.2.2 wastewater
    Wastewater,
    /// 7.2.2 noise
    Noise,
    /// 7.2.1 hygiene
    Hygiene,
    /// 7.3 public order, traffic, parking
    PublicOrder,
}

/// The grade of a safety hazard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HazardGrade {
    /// 一般隐患
    General,
    /// 重大隐患: a rectification deadline must be set explicitly.
    Major,
}

/// The outcome of a re-inspection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RectificationResult {
    /// Closes the finding.
    Fixed,
    /// Stays open, with a new deadline.
    PartlyFixed,
    /// Stays open, with a new deadline.
    NotFixed,
}

macro_rules! names {
    ($t:ty { $($v:ident = $s:literal),* $(,)? }) => {
        impl $t {
            pub const ALL: &'static [$t] = &[$(<$t>::$v),*];
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
            pub fn parse(s: &str) -> Option<$t> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

names!(DemandCategory {
    Policy = "policy",
    HumanResources = "human_resources",
    Technology = "technology",
    ProfessionalServices = "professional_services",
    Incubation = "incubation",
    Resources = "resources",
    SocialSecurity = "social_security",
    Jobs = "jobs",
    Culture = "culture",
    Living = "living",
    Other = "other",
});
names!(FindingKind {
    SafetyHazard = "safety_hazard",
    Air = "air",
    SolidWaste = "solid_waste",
    Wastewater = "wastewater",
    Noise = "noise",
    Hygiene = "hygiene",
    PublicOrder = "public_order",
});
names!(HazardGrade { General = "general", Major = "major" });
names!(RectificationResult { Fixed = "fixed", PartlyFixed = "partly_fixed", NotFixed = "not_fixed" });
names!(RecordStatus { Open = "open", Closed = "closed" });

/// Where a demand or a finding stands: open until its case is closed (`store::cases` keeps
/// the two in step), stored as `as_str`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    Open,
    Closed,
}

/// Days to rectify when the worker sets no deadline. The standard sets none; these are the
/// product's defaults (a general hazard within a month, an emission within a fortnight,
/// hygiene and public order within a week). A major hazard has no default.
pub fn default_deadline_days(kind: FindingKind, grade: Option<HazardGrade>) -> Option<i64> {
    match (kind, grade) {
        (FindingKind::SafetyHazard, Some(HazardGrade::Major)) => None,
        (FindingKind::SafetyHazard, _) => Some(30),
        (FindingKind::Air | FindingKind::SolidWaste | FindingKind::Wastewater | FindingKind::Noise, _) => Some(15),
        (FindingKind::Hygiene | FindingKind::PublicOrder, _) => Some(7),
    }
}

/// A position from the phone's GPS.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fix {
    pub lon: f64,
    pub lat: f64,
    /// Metres, as the phone reports it.
    #[serde(default)]
    pub accuracy_m: Option<f64>,
}

/// A demand heard on a visit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Demand {
    pub id: RecordId,
    pub category: DemandCategory,
    pub description: String,
}

/// A walk-through visit of one enterprise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Visit {
    pub id: RecordId,
    pub enterprise_id: i64,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    #[serde(default)]
    pub fix: Option<Fix>,
    /// Who was met (name, role).
    #[serde(default)]
    pub met: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub demands: Vec<Demand>,
    /// The enterprise's satisfaction, 1–5, where given.
    #[serde(default)]
    pub satisfaction: Option<u8>,
}

/// A photo announced by a record; its bytes are uploaded separately.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoMeta {
    pub id: RecordId,
    /// `image/jpeg`, `image/png` or `image/webp`.
    pub content_type: String,
    /// Bytes.
    pub size: u64,
    pub taken_at: DateTime<Utc>,
    #[serde(default)]
    pub fix: Option<Fix>,
}

/// A hazard, environmental or public-order finding, at an enterprise or on a patrol.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    pub id: RecordId,
    /// None on a patrol of a public area (7.3).
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    /// The visit it was found on, if any.
    #[serde(default)]
    pub visit_id: Option<RecordId>,
    pub kind: FindingKind,
    #[serde(default)]
    pub grade: Option<HazardGrade>,
    pub description: String,
    pub found_at: DateTime<Utc>,
    pub fix: Fix,
    /// Rectification deadline; defaults by kind and grade ([`default_deadline_days`]).
    #[serde(default)]
    pub deadline: Option<DateTime<Utc>>,
    #[serde(default)]
    pub photos: Vec<PhotoMeta>,
}

/// A re-inspection of an open finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reinspection {
    pub id: RecordId,
    pub finding_id: RecordId,
    pub result: RectificationResult,
    pub inspected_at: DateTime<Utc>,
    #[serde(default)]
    pub notes: String,
    /// Required unless the result is `fixed`.
    #[serde(default)]
    pub new_deadline: Option<DateTime<Utc>>,
    #[serde(default)]
    pub fix: Option<Fix>,
    #[serde(default)]
    pub photos: Vec<PhotoMeta>,
}

/// What a worker records about a case in the field, often offline (issue 13): its
/// verification with the enterprise (核查) or the enterprise's rating given at the visit. Synced
/// like a visit, with an id the phone made, so that a resent one counts once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseWork {
    pub id: RecordId,
    pub case_id: i64,
    pub work: CaseWorkKind,
    /// When, by the phone's clock.
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CaseWorkKind {
    /// 核查: the result checked with the enterprise; not solved needs the note (返工).
    Verify {
        solved: bool,
        #[serde(default)]
        note: String,
    },
    /// The enterprise's rating of a closed case, given at the visit.
    Rate {
        satisfaction: crate::case::Satisfaction,
        solved: bool,
        #[serde(default)]
        comment: String,
    },
}

impl CaseWork {
    pub fn check(&self, now: DateTime<Utc>) -> Result<(), RecordError> {
        not_future("the time", self.at, now)?;
        match &self.work {
            CaseWorkKind::Verify { solved, note } => text("the note", note, !solved),
            CaseWorkKind::Rate { comment, .. } => text("the comment", comment, false),
        }
    }

    /// The case's action it records.
    pub fn action(&self) -> crate::case::Action {
        match &self.work {
            CaseWorkKind::Verify { solved, note } => crate::case::Action::Verify { solved: *solved, note: note.clone() },
            CaseWorkKind::Rate { satisfaction, solved, comment } => {
                crate::case::Action::Rate { satisfaction: *satisfaction, solved: *solved, comment: comment.clone() }
            }
        }
    }
}

/// An after-photo taken farther than this from its finding is flagged on the case: the
/// rectification may have been photographed elsewhere. (A phone's fix outdoors is good to
/// some 10–30 m; a factory yard is rarely wider than 200 m.)
pub const AFTER_PHOTO_FAR_M: f64 = 100.0;

/// The distance in metres between two fixes on the ground (haversine, WGS84 mean radius).
pub fn distance_m(a: Fix, b: Fix) -> f64 {
    use geo::{Distance, Haversine, Point};
    Haversine.distance(Point::new(a.lon, a.lat), Point::new(b.lon, b.lat))
}

/// Photos larger than this are refused: the phone shrinks them to about 300 KB first.
pub const MAX_PHOTO_BYTES: u64 = 2 * 1024 * 1024;
pub const PHOTO_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];
/// A phone's clock may run ahead a little; a record more than this in the future is refused.
pub const CLOCK_SKEW: Duration = Duration::hours(24);
const MAX_TEXT: usize = 4000;

/// Why a record is refused; the phone shows it next to the record.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RecordError {
    #[error("{0:?} is not a UUID")]
    BadId(String),
    #[error("{field} is {at}, in the future")]
    InTheFuture { field: &'static str, at: DateTime<Utc> },
    #[error("the visit ends ({end}) before it starts ({start})")]
    EndsBeforeStart { start: DateTime<Utc>, end: DateTime<Utc> },
    #[error("satisfaction {0} is not between 1 and 5")]
    Satisfaction(u8),
    #[error("position ({lon}, {lat}) is not a WGS84 longitude/latitude")]
    BadPosition { lon: f64, lat: f64 },
    #[error("{0} is empty")]
    Empty(&'static str),
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("a safety hazard needs a grade (general or major)")]
    GradeMissing,
    #[error("only a safety hazard has a grade")]
    GradeNotApplicable,
    #[error("a major hazard needs a rectification deadline")]
    DeadlineRequired,
    #[error("the deadline {deadline} is before the finding ({found})")]
    DeadlineBeforeFinding { deadline: DateTime<Utc>, found: DateTime<Utc> },
    #[error("a finding that is not fixed needs a new deadline")]
    NewDeadlineRequired,
    #[error("photo {id}: {content_type:?} is not a JPEG, PNG or WebP image")]
    PhotoType { id: RecordId, content_type: String },
    #[error("photo {id}: {size} bytes is more than {max}")]
    PhotoTooLarge { id: RecordId, size: u64, max: u64 },
    #[error("photo {id}: empty")]
    PhotoEmpty { id: RecordId },
}

/// A record's id: a UUID the phone made (version 7), in its canonical lower-case form.
///
/// Parsed once, where a record is read (`serde` goes through [`RecordId::parse`]): a visit,
/// demand, finding, re-inspection, photo or case work with a malformed id does not
/// deserialize, so code that holds one never checks its id again.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "01936f4e-8c2a-7b3c-9d4e-5f6a7b8c9d0e"))]
#[serde(try_from = "String", into = "String")]
pub struct RecordId(String);

impl RecordId {
    /// The id in its canonical form, or why `id` is none.
    pub fn parse(id: &str) -> Result<Self, RecordError> {
        let hyphen = |i| matches!(i, 8 | 13 | 18 | 23);
        let canonical = id.len() == 36 && id.bytes().enumerate().all(|(i, b)| if hyphen(i) { b == b'-' } else { b.is_ascii_hexdigit() });
        if !canonical {
            return Err(RecordError::BadId(id.to_owned()));
        }
        Ok(RecordId(id.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for RecordId {
    type Error = RecordError;
    fn try_from(id: String) -> Result<Self, RecordError> {
        RecordId::parse(&id)
    }
}

impl From<RecordId> for String {
    fn from(id: RecordId) -> String {
        id.0
    }
}

impl std::fmt::Display for RecordId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for RecordId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

fn not_future(field: &'static str, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), RecordError> {
    if at > now + CLOCK_SKEW {
        return Err(RecordError::InTheFuture { field, at });
    }
    Ok(())
}

fn text(field: &'static str, s: &str, required: bool) -> Result<(), RecordError> {
    if required && s.trim().is_empty() {
        return Err(RecordError::Empty(field));
    }
    if s.chars().count() > MAX_TEXT {
        return Err(RecordError::TooLong { field, max: MAX_TEXT });
    }
    Ok(())
}

impl Fix {
    fn check(&self) -> Result<(), RecordError> {
        if !crate::geometry::valid_lon_lat(self.lon, self.lat) || self.accuracy_m.is_some_and(|a| !(a.is_finite() && a >= 0.0)) {
            return Err(RecordError::BadPosition { lon: self.lon, lat: self.lat });
        }
        Ok(())
    }
}

fn check_photos(photos: &[PhotoMeta], now: DateTime<Utc>) -> Result<(), RecordError> {
    for p in photos {
        if !PHOTO_TYPES.contains(&p.content_type.as_str()) {
            return Err(RecordError::PhotoType { id: p.id.clone(), content_type: p.content_type.clone() });
        }
        if p.size == 0 {
            return Err(RecordError::PhotoEmpty { id: p.id.clone() });
        }
        if p.size > MAX_PHOTO_BYTES {
            return Err(RecordError::PhotoTooLarge { id: p.id.clone(), size: p.size, max: MAX_PHOTO_BYTES });
        }
        not_future("the photo's time", p.taken_at, now)?;
        p.fix.as_ref().map(Fix::check).transpose()?;
    }
    Ok(())
}

impl Visit {
    pub fn check(&self, now: DateTime<Utc>) -> Result<(), RecordError> {
        not_future("the visit's start", self.started_at, now)?;
        not_future("the visit's end", self.ended_at, now)?;
        if self.ended_at < self.started_at {
            return Err(RecordError::EndsBeforeStart { start: self.started_at, end: self.ended_at });
        }
        if let Some(s) = self.satisfaction.filter(|s| !(1..=5).contains(s)) {
            return Err(RecordError::Satisfaction(s));
        }
        self.fix.as_ref().map(Fix::check).transpose()?;
        text("who was met", &self.met, false)?;
        text("the notes", &self.notes, false)?;
        for d in &self.demands {
            text("a demand's description", &d.description, true)?;
        }
        Ok(())
    }
}

impl Finding {
    pub fn check(&self, now: DateTime<Utc>) -> Result<(), RecordError> {
        not_future("the finding's time", self.found_at, now)?;
        self.fix.check()?;
        text("the description", &self.description, true)?;
        match (self.kind, self.grade) {
            (FindingKind::SafetyHazard, None) => return Err(RecordError::GradeMissing),
            (FindingKind::SafetyHazard, Some(_)) | (_, None) => {}
            (_, Some(_)) => return Err(RecordError::GradeNotApplicable),
        }
        match self.deadline {
            None if default_deadline_days(self.kind, self.grade).is_none() => return Err(RecordError::DeadlineRequired),
            Some(d) if d < self.found_at => return Err(RecordError::DeadlineBeforeFinding { deadline: d, found: self.found_at }),
            _ => {}
        }
        check_photos(&self.photos, now)
    }

    /// The deadline given, or the default for the kind and grade.
    pub fn effective_deadline(&self) -> Option<DateTime<Utc>> {
        self.deadline.or_else(|| default_deadline_days(self.kind, self.grade).map(|d| self.found_at + Duration::days(d)))
    }
}

impl Reinspection {
    pub fn check(&self, now: DateTime<Utc>) -> Result<(), RecordError> {
        not_future("the re-inspection's time", self.inspected_at, now)?;
        if self.result != RectificationResult::Fixed && self.new_deadline.is_none() {
            return Err(RecordError::NewDeadlineRequired);
        }
        self.fix.as_ref().map(Fix::check).transpose()?;
        text("the notes", &self.notes, false)?;
        check_photos(&self.photos, now)
    }
}

/// Where an enterprise stands in the visiting round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum VisitStatus {
    NeverVisited,
    /// Visited within the interval, and not due within the next week.
    Visited,
    /// The interval ends within a week.
    Due,
    /// Past the interval by `days`.
    Overdue {
        days: i64,
    },
}

/// Where an enterprise last visited at `last` stands at `now`, with visits due every
/// `interval_days` (the park's setting, e.g. 30).
pub fn visit_status(last: Option<DateTime<Utc>>, now: DateTime<Utc>, interval_days: i64) -> VisitStatus {
    let Some(last) = last else { return VisitStatus::NeverVisited };
    let due = last + Duration::days(interval_days);
    if now >= due {
        VisitStatus::Overdue { days: (now - due).num_days() }
    } else if now >= due - Duration::days(7) {
        VisitStatus::Due
    } else {
        VisitStatus::Visited
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().expect("an RFC 3339 time")
    }

    const ID: &str = "01936f4e-8c2a-7b3c-9d4e-5f6a7b8c9d0e";

    fn id() -> RecordId {
        RecordId::parse(ID).expect("a UUID")
    }

    fn hazard(grade: Option<HazardGrade>, deadline: Option<DateTime<Utc>>) -> Finding {
        Finding {
            id: id(),
            enterprise_id: Some(1),
            visit_id: None,
            kind: FindingKind::SafetyHazard,
            grade,
            description: "灭火器过期".into(),
            found_at: t("2026-11-20T08:00:00Z"),
            fix: Fix { lon: 121.23, lat: 24.97, accuracy_m: Some(8.0) },
            deadline,
            photos: vec![],
        }
    }

    #[test]
    fn a_general_hazard_gets_thirty_days_and_a_major_one_needs_an_explicit_deadline() {
        let now = t("2026-11-26T00:00:00Z");
        let general = hazard(Some(HazardGrade::General), None);
        assert_eq!(general.check(now), Ok(()));
        assert_eq!(general.effective_deadline(), Some(t("2026-12-20T08:00:00Z")));
        assert_eq!(hazard(Some(HazardGrade::Major), None).check(now), Err(RecordError::DeadlineRequired));
        assert_eq!(hazard(Some(HazardGrade::Major), Some(t("2026-11-23T00:00:00Z"))).check(now), Ok(()));
        assert_eq!(hazard(None, None).check(now), Err(RecordError::GradeMissing));
    }

    #[test]
    fn records_from_a_clock_far_ahead_and_malformed_ids_are_refused_with_the_reason() {
        let now = t("2026-11-19T00:00:00Z");
        let err = hazard(Some(HazardGrade::General), None).check(now).unwrap_err();
        assert_eq!(err.to_string(), "the finding's time is 2026-11-20 08:00:00 UTC, in the future");
        let mut bad = serde_json::to_value(hazard(Some(HazardGrade::General), None)).expect("json");
        bad["id"] = "visit-1".into();
        let err = serde_json::from_value::<Finding>(bad).expect_err("a malformed id is not a finding");
        assert_eq!(err.to_string(), "\"visit-1\" is not a UUID");
    }

    #[test]
    fn a_record_id_is_a_uuid_kept_in_lower_case() {
        assert_eq!(RecordId::parse(&ID.to_uppercase()), Ok(id()));
        assert_eq!(serde_json::to_value(id()).expect("json"), serde_json::json!(ID));
        for bad in ["", "visit-1", "01936f4e8c2a7b3c9d4e5f6a7b8c9d0e", "01936f4e-8c2a-7b3c-9d4e-5f6a7b8c9d0g", "01936f4e-8c2a-7b3c-9d4e+5f6a7b8c9d0e"] {
            assert_eq!(RecordId::parse(bad), Err(RecordError::BadId(bad.to_owned())), "{bad:?}");
        }
    }

    #[test]
    fn photos_must_be_small_images() {
        let mut f = hazard(Some(HazardGrade::General), None);
        let photo = PhotoMeta { id: id(), content_type: "image/jpeg".into(), size: 250_000, taken_at: f.found_at, fix: None };
        f.photos = vec![photo.clone()];
        let now = t("2026-11-26T00:00:00Z");
        assert_eq!(f.check(now), Ok(()));
        f.photos = vec![PhotoMeta { content_type: "application/pdf".into(), ..photo.clone() }];
        assert!(matches!(f.check(now), Err(RecordError::PhotoType { .. })));
        f.photos = vec![PhotoMeta { size: MAX_PHOTO_BYTES + 1, ..photo }];
        assert!(matches!(f.check(now), Err(RecordError::PhotoTooLarge { .. })));
    }

    #[test]
    fn a_visit_cannot_end_before_it_starts_or_rate_satisfaction_six() {
        let now = t("2026-11-26T00:00:00Z");
        let v = Visit {
            id: id(),
            enterprise_id: 1,
            started_at: t("2026-11-25T09:00:00Z"),
            ended_at: t("2026-11-25T09:30:00Z"),
            fix: None,
            met: "王经理".into(),
            notes: String::new(),
            demands: vec![Demand { id: id(), category: DemandCategory::Jobs, description: "招工难".into() }],
            satisfaction: Some(5),
        };
        assert_eq!(v.check(now), Ok(()));
        assert_eq!(Visit { satisfaction: Some(6), ..v.clone() }.check(now), Err(RecordError::Satisfaction(6)));
        assert!(matches!(Visit { ended_at: t("2026-11-25T08:00:00Z"), ..v }.check(now), Err(RecordError::EndsBeforeStart { .. })));
    }

    #[test]
    fn the_visiting_round_says_never_visited_visited_due_and_overdue_by_days() {
        let now = t("2026-11-26T12:00:00Z");
        assert_eq!(visit_status(None, now, 30), VisitStatus::NeverVisited);
        assert_eq!(visit_status(Some(t("2026-11-20T12:00:00Z")), now, 30), VisitStatus::Visited);
        assert_eq!(visit_status(Some(t("2026-11-01T12:00:00Z")), now, 30), VisitStatus::Due);
        assert_eq!(visit_status(Some(t("2026-10-16T12:00:00Z")), now, 30), VisitStatus::Overdue { days: 11 });
    }

    #[test]
    fn the_distance_between_two_fixes_is_in_metres_on_the_ground() {
        let gate = Fix { lon: 120.2000, lat: 30.3000, accuracy_m: None };
        // 0.001° of latitude is some 111 m anywhere; of longitude at 30° N some 96 m.
        let north = Fix { lat: 30.3010, ..gate };
        let east = Fix { lon: 120.2010, ..gate };
        assert!((distance_m(gate, north) - 111.2).abs() < 0.5, "{}", distance_m(gate, north));
        assert!((distance_m(gate, east) - 96.2).abs() < 0.5, "{}", distance_m(gate, east));
        assert_eq!(distance_m(gate, gate), 0.0);
    }
}
