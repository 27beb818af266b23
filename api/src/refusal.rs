//! Why the server refused an input (a taken login, a position outside the park, a case's
//! transition its rules forbid): one code per reason, the same on the JSON API and in the
//! server functions' errors, translated by the pages with an exhaustive match — a new reason
//! does not compile until it has its text.

use serde::{Deserialize, Serialize};

/// The reason an input was refused. Stable: clients match on it (snake_case on the wire).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefusalCode {
    // Accounts and passwords.
    LoginTaken,
    ShortPassword,
    BadLogin,
    NameNeeded,
    WrongPassword,
    SamePassword,
    NotYourself,
    Deactivated,
    AllParksAdminOnly,
    // Parks, departments, workers.
    ParkNeeded,
    NoSuchPark,
    NotInPark,
    BadCode,
    CodeTaken,
    BadBoundary,
    DepartmentNeeded,
    NoSuchDepartment,
    DepartmentNotApplicable,
    DepartmentInUse,
    NoSafetyDepartment,
    NotAWorker,
    NoSuchWorker,
    NoSuchGrid,
    // The registry.
    BadPosition,
    BadWeight,
    OutsidePark,
    // Periods of the figures and reports.
    BadPeriod,
    BadMonth,
    // Cases and the service loop.
    BadAction,
    BadDescription,
    TooManyToday,
    TextNeeded,
    TextTooLong,
    ImmediateIsSolveAtOnce,
    NotOursIsAnswer,
    OnlyEscalatedDispatched,
    EscalatedAnsweredByDepartment,
    VerifierIsNotAnswerer,
    ExtensionRange,
    ExtensionAfterDeadline,
    ExtensionPending,
    NoExtensionPending,
    FindingClosesByVerification,
    PlanNeeded,
    PlanOnlyForMajorHazard,
    AfterPhotoNeeded,
    PlanDeadline,
    OnlyProxyHasTasks,
    TaskExists,
    ProxyAnsweredByTasks,
    LimitMode,
    LimitCategory,
    LimitDays,
    LimitStage,
    LimitHours,
    AttachmentSize,
    AttachmentType,
    TooManyAttachments,
    BadCalendar,
    RateLimited,
    // What the park publishes (the public page).
    PubName,
    PubTitle,
    PubBody,
    PubLimit,
    PubDepartment,
    PubPhone,
    PubHotline,
    PubWithdrawn,
    PubTooManyServices,
}

/// A refused input as it crosses the wire: why, and the part of the input it names (a login,
/// a position, a limit; empty when there is nothing to name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Refused {
    pub code: RefusalCode,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

impl From<domain::case::Why> for RefusalCode {
    fn from(why: domain::case::Why) -> Self {
        use domain::case::Why;
        match why {
            Why::TextNeeded => RefusalCode::TextNeeded,
            Why::TextTooLong => RefusalCode::TextTooLong,
            Why::ImmediateIsSolveAtOnce => RefusalCode::ImmediateIsSolveAtOnce,
            Why::NotOursIsAnswer => RefusalCode::NotOursIsAnswer,
            Why::OnlyEscalatedDispatched => RefusalCode::OnlyEscalatedDispatched,
            Why::EscalatedAnsweredByDepartment => RefusalCode::EscalatedAnsweredByDepartment,
            Why::VerifierIsNotAnswerer => RefusalCode::VerifierIsNotAnswerer,
            Why::ExtensionRange => RefusalCode::ExtensionRange,
            Why::ExtensionAfterDeadline => RefusalCode::ExtensionAfterDeadline,
            Why::ExtensionPending => RefusalCode::ExtensionPending,
            Why::NoExtensionPending => RefusalCode::NoExtensionPending,
            Why::FindingClosesByVerification => RefusalCode::FindingClosesByVerification,
            Why::PlanNeeded => RefusalCode::PlanNeeded,
            Why::PlanOnlyForMajorHazard => RefusalCode::PlanOnlyForMajorHazard,
            Why::AfterPhotoNeeded => RefusalCode::AfterPhotoNeeded,
            Why::OnlyProxyHasTasks => RefusalCode::OnlyProxyHasTasks,
            Why::TaskExists => RefusalCode::TaskExists,
            Why::ProxyAnsweredByTasks => RefusalCode::ProxyAnsweredByTasks,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_crosses_the_wire_as_its_snake_case_code_and_detail() {
        let r = Refused { code: RefusalCode::LoginTaken, detail: "chen".into() };
        let text = serde_json::to_string(&r).expect("json");
        assert_eq!(text, r#"{"code":"login_taken","detail":"chen"}"#);
        assert_eq!(serde_json::from_str::<Refused>(&text).expect("back"), r);
        assert_eq!(serde_json::from_str::<Refused>(r#"{"code":"pub_phone"}"#).expect("no detail").detail, "");
    }

    #[test]
    fn every_reason_of_a_case_transition_has_the_same_code_on_the_wire_as_in_the_rules() {
        use domain::case::Why;
        let all = [
            Why::TextNeeded,
            Why::TextTooLong,
            Why::ImmediateIsSolveAtOnce,
            Why::NotOursIsAnswer,
            Why::OnlyEscalatedDispatched,
            Why::EscalatedAnsweredByDepartment,
            Why::VerifierIsNotAnswerer,
            Why::ExtensionRange,
            Why::ExtensionAfterDeadline,
            Why::ExtensionPending,
            Why::NoExtensionPending,
            Why::FindingClosesByVerification,
            Why::PlanNeeded,
            Why::PlanOnlyForMajorHazard,
            Why::AfterPhotoNeeded,
            Why::OnlyProxyHasTasks,
            Why::TaskExists,
            Why::ProxyAnsweredByTasks,
        ];
        for why in all {
            let wire = serde_json::to_value(RefusalCode::from(why)).expect("json");
            assert_eq!(wire, why.as_str(), "{why:?}");
        }
    }
}
