use super::*;
use std::collections::HashSet;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn today() -> NaiveDate {
    day("2026-11-29")
}

/// A card-holding woman member protected from 2025-07-01 to 2026-06-30.
fn member() -> Member {
    Member {
        membership: Membership::Member,
        card_no: "6217000012345678".into(),
        gender: Gender::Female,
        protection: Some((day("2025-07-01"), day("2026-06-30"))),
    }
}

fn rules(draft: &ClaimDraft, member: &Member) -> Vec<(Field, Rule)> {
    validate_claim(draft, member, today())
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.field, e.rule))
        .collect()
}

fn death(accident: &str, died: &str) -> ClaimDraft {
    ClaimDraft {
        claim_type: "accidental_death".into(),
        accident_on: accident.into(),
        died_on: died.into(),
        ..Default::default()
    }
}

#[test]
fn the_catalog_names_every_type_with_known_documents_and_the_published_sums() {
    let documents: HashSet<&str> = claim_documents().iter().map(|d| d.code.as_str()).collect();
    let mut seen = HashSet::new();
    for t in claim_types() {
        assert!(seen.insert(t.code.as_str()), "duplicate {}", t.code);
        assert!(
            !t.zh.trim().is_empty() && !t.en.trim().is_empty(),
            "{}",
            t.code
        );
        assert!(t.amount_yuan > 0, "{}", t.code);
        assert!(!t.dates.is_empty(), "{}: no date", t.code);
        if let Some(d) = t.in_protection {
            assert!(
                t.dates.contains(&d),
                "{}: protection date not asked",
                t.code
            );
        }
        for d in &t.documents {
            assert!(
                documents.contains(d.as_str()),
                "{}: unknown document {d}",
                t.code
            );
        }
        for common in ["id_card", "member_card", "bank_card"] {
            assert!(
                t.documents.iter().any(|d| d == common),
                "{}: {common}",
                t.code
            );
        }
    }
    let sums: Vec<(&str, AmountRule, i64)> = claim_types()
        .iter()
        .map(|t| (t.code.as_str(), t.amount, t.amount_yuan))
        .collect();
    assert!(sums.contains(&("critical_illness", AmountRule::Fixed, 10_000)));
    assert!(sums.contains(&("accidental_death", AmountRule::Fixed, 20_000)));
    assert!(sums.contains(&("household_fire", AmountRule::Maximum, 10_000)));
    assert!(claim_type("women_health").unwrap().women_only);
    assert!(claim_type("recovery_condolence").is_some());
    assert_eq!(
        claim_type("accidental_death").unwrap().death_within_days,
        Some(180)
    );
}

#[test]
fn a_fixed_type_defaults_to_its_sum_and_keeps_the_given_documents_in_catalog_order() {
    let claim = validate_claim(
        &ClaimDraft {
            claim_type: "critical_illness".into(),
            diagnosed_on: "2026-03-01".into(),
            documents: "bank_card，diagnosis、id_card".into(),
            ..Default::default()
        },
        &member(),
        today(),
    )
    .unwrap();
    assert_eq!(claim.amount_fen, 1_000_000);
    assert_eq!(claim.documents, ["diagnosis", "id_card", "bank_card"]);
    assert_eq!(claim.dates.diagnosed_on, Some(day("2026-03-01")));
    assert_eq!(claim.protection, member().protection);
}

#[test]
fn a_death_on_day_180_after_the_accident_is_paid_and_day_181_is_refused() {
    // 2026-01-01 + 180 days: January 31, February 28, March 31, April 30, May 31 = 151 to
    // 2026-06-01, and 29 more = 2026-06-30.
    assert_eq!(rules(&death("2026-01-01", "2026-06-30"), &member()), []);
    assert_eq!(
        rules(&death("2026-01-01", "2026-07-01"), &member()),
        [(
            Field::DiedOn,
            Rule::DeathTooLate {
                days: 181,
                max: 180
            }
        )]
    );
    assert_eq!(rules(&death("2026-01-01", "2026-01-01"), &member()), []);
    assert_eq!(
        rules(&death("2026-01-02", "2026-01-01"), &member()),
        [(Field::DiedOn, Rule::DeathBeforeAccident)]
    );
    let refused = validate_claim(&death("2026-01-01", "2026-07-01"), &member(), today())
        .unwrap_err()
        .remove(0);
    assert_eq!(
        refused.message(Lang::Zh),
        "身故日期：须在事故后 180 天内，实为第 181 天"
    );
    assert_eq!(
        refused.message(Lang::En),
        "date of death: must be within 180 days of the accident, found 181"
    );
}

#[test]
fn the_amount_may_reach_the_maximum_and_not_a_fen_more() {
    let fire = |amount: &str| ClaimDraft {
        claim_type: "household_fire".into(),
        fire_on: "2026-02-14".into(),
        amount: amount.into(),
        ..Default::default()
    };
    assert_eq!(rules(&fire("10000"), &member()), []);
    assert_eq!(rules(&fire("3500.50"), &member()), []);
    let above = Rule::AmountAboveMaximum {
        max_fen: 1_000_000,
        fixed: false,
    };
    assert_eq!(
        rules(&fire("10000.01"), &member()),
        [(Field::ClaimAmount, above)]
    );
    assert_eq!(
        rules(&fire(""), &member()),
        [(Field::ClaimAmount, Rule::Required)]
    );
    assert_eq!(
        rules(&fire("0"), &member()),
        [(Field::ClaimAmount, Rule::AmountZero)]
    );
    let fixed_above = ClaimDraft {
        amount: "20000.01".into(),
        ..death("2026-01-01", "2026-02-01")
    };
    let refused = validate_claim(&fixed_above, &member(), today()).unwrap_err();
    assert_eq!(
        refused[0].message(Lang::Zh),
        "申请金额：此类型定额给付 20000.00 元，不能超过"
    );
}

#[test]
fn a_non_member_or_a_member_without_a_card_is_refused() {
    let draft = ClaimDraft {
        claim_type: "critical_illness".into(),
        diagnosed_on: "2026-03-01".into(),
        ..Default::default()
    };
    let not_member = Member {
        membership: Membership::NotMember,
        ..member()
    };
    assert_eq!(
        rules(&draft, &not_member),
        [(Field::Membership, Rule::ClaimNeedsMember)]
    );
    let no_card = Member {
        card_no: " ".into(),
        ..member()
    };
    assert_eq!(
        rules(&draft, &no_card),
        [(Field::CardNo, Rule::ClaimNeedsCard)]
    );
    let joined_here = Member {
        membership: Membership::JoinedHere,
        ..member()
    };
    assert_eq!(rules(&draft, &joined_here), []);
    let message = validate_claim(&draft, &not_member, today()).unwrap_err()[0].message(Lang::En);
    assert_eq!(
        message,
        "membership: mutual-aid claims are for union members only (this worker is not a member)"
    );
}

#[test]
fn a_diagnosis_outside_the_protection_period_is_refused() {
    let diagnosed = |on: &str| ClaimDraft {
        claim_type: "critical_illness".into(),
        diagnosed_on: on.into(),
        ..Default::default()
    };
    let outside = Rule::OutsideProtection {
        start: day("2025-07-01"),
        end: day("2026-06-30"),
    };
    assert_eq!(rules(&diagnosed("2025-07-01"), &member()), []);
    assert_eq!(rules(&diagnosed("2026-06-30"), &member()), []);
    assert_eq!(
        rules(&diagnosed("2026-07-01"), &member()),
        [(Field::DiagnosedOn, outside.clone())]
    );
    assert_eq!(
        rules(&diagnosed("2025-06-30"), &member()),
        [(Field::DiagnosedOn, outside)]
    );
    let no_period = Member {
        protection: None,
        ..member()
    };
    assert_eq!(
        rules(&diagnosed("2026-03-01"), &no_period),
        [(Field::ProtectionStart, Rule::ProtectionRequired)]
    );
    // The period typed on the form replaces the recorded one.
    let typed = ClaimDraft {
        protection_start: "2026-07-01".into(),
        protection_end: "2027-06-30".into(),
        ..diagnosed("2026-07-01")
    };
    assert_eq!(rules(&typed, &no_period), []);
    let backwards = ClaimDraft {
        protection_start: "2026-07-01".into(),
        protection_end: "2026-06-30".into(),
        ..diagnosed("2026-07-01")
    };
    assert_eq!(
        rules(&backwards, &member()),
        [(Field::ProtectionEnd, Rule::ProtectionEndBeforeStart)]
    );
}

#[test]
fn dates_the_type_needs_are_required_and_others_refused() {
    let fire = ClaimDraft {
        claim_type: "household_fire".into(),
        amount: "100".into(),
        diagnosed_on: "2026-03-01".into(),
        ..Default::default()
    };
    assert_eq!(
        rules(&fire, &member()),
        [
            (Field::DiagnosedOn, Rule::DateNotForType),
            (Field::FireOn, Rule::Required)
        ]
    );
    let future = ClaimDraft {
        claim_type: "critical_illness".into(),
        diagnosed_on: "2026-11-30".into(),
        ..Default::default()
    };
    assert_eq!(
        rules(&future, &member()),
        [(Field::DiagnosedOn, Rule::DateInFuture)]
    );
}

#[test]
fn women_workers_health_aid_is_for_women_members() {
    let draft = ClaimDraft {
        claim_type: "women_health".into(),
        diagnosed_on: "2026-03-01".into(),
        amount: "12000".into(),
        ..Default::default()
    };
    assert_eq!(rules(&draft, &member()), []);
    let man = Member {
        gender: Gender::Male,
        ..member()
    };
    assert_eq!(rules(&draft, &man), [(Field::ClaimType, Rule::WomenOnly)]);
}

#[test]
fn a_second_claim_of_the_same_type_warns_unless_the_first_was_rejected() {
    let others = vec![
        ("critical_illness".to_string(), ClaimStatus::Paid),
        ("household_fire".to_string(), ClaimStatus::Rejected),
    ];
    let warning = duplicate_warning("critical_illness", &others).unwrap();
    assert_eq!(
        warning,
        ClaimWarning::SameTypeAgain {
            claim_type: "critical_illness".into(),
            count: 1
        }
    );
    assert!(warning.message(Lang::Zh).contains("重大疾病首次确诊"));
    assert!(warning.message(Lang::En).contains("already has 1"));
    assert_eq!(duplicate_warning("household_fire", &others), None);
    assert_eq!(duplicate_warning("accidental_death", &others), None);
}

fn collecting() -> ClaimProgress {
    ClaimProgress {
        status: ClaimStatus::Collecting,
        documents: vec!["diagnosis".into()],
        reason: String::new(),
        paid_fen: 0,
        paid_on: None,
    }
}

fn step(
    current: &ClaimProgress,
    draft: ClaimStepDraft,
) -> Result<ClaimProgress, Vec<(Field, Rule)>> {
    let kind = claim_type("critical_illness").unwrap();
    apply_step(kind, 1_000_000, current, &draft, today())
        .map_err(|es| es.into_iter().map(|e| (e.field, e.rule)).collect())
}

fn to(status: &str) -> ClaimStepDraft {
    ClaimStepDraft {
        status: status.into(),
        ..Default::default()
    }
}

#[test]
fn a_claim_is_submitted_only_with_every_document_ticked() {
    assert_eq!(
        step(&collecting(), to("submitted")),
        Err(vec![(
            Field::Documents,
            Rule::DocumentsMissing {
                missing: vec!["id_card".into(), "member_card".into(), "bank_card".into()]
            }
        )])
    );
    let ticked = step(
        &collecting(),
        ClaimStepDraft {
            documents: Some("diagnosis,id_card,member_card".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        ticked.status,
        ClaimStatus::Collecting,
        "ticking alone keeps the status"
    );
    assert_eq!(ticked.documents.len(), 3);
    let submitted = step(
        &ticked,
        ClaimStepDraft {
            status: "submitted".into(),
            documents: Some("diagnosis,id_card,member_card,bank_card".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(submitted.status, ClaimStatus::Submitted);
    // Once submitted, a document cannot be unticked; going back to collecting can.
    let untick = ClaimStepDraft {
        documents: Some("diagnosis,id_card,member_card".into()),
        ..Default::default()
    };
    assert!(step(&submitted, untick.clone()).is_err());
    let back = step(
        &submitted,
        ClaimStepDraft {
            status: "collecting".into(),
            ..untick
        },
    )
    .unwrap();
    assert_eq!(back.status, ClaimStatus::Collecting);
    let unknown = step(
        &collecting(),
        ClaimStepDraft {
            documents: Some("fire_certificate".into()),
            ..Default::default()
        },
    );
    assert_eq!(
        unknown,
        Err(vec![(
            Field::Documents,
            Rule::UnknownCode {
                code: "fire_certificate".into()
            }
        )])
    );
}

fn with_status(status: ClaimStatus) -> ClaimProgress {
    ClaimProgress {
        status,
        documents: claim_type("critical_illness").unwrap().documents.clone(),
        ..collecting()
    }
}

#[test]
fn every_status_moves_only_forward_along_the_steps() {
    use ClaimStatus::*;
    let allowed = [
        (Collecting, Submitted),
        (Submitted, Collecting),
        (Submitted, Approved),
        (Submitted, Rejected),
        (Approved, Paid),
        (Approved, Rejected),
    ];
    for from in ClaimStatus::ALL {
        for next in ClaimStatus::ALL {
            let expected = from == next || allowed.contains(&(from, next));
            assert_eq!(from.can_move_to(next), expected, "{from:?} -> {next:?}");
        }
    }
    assert_eq!(
        step(&with_status(Collecting), to("approved")),
        Err(vec![(
            Field::ClaimStatus,
            Rule::StatusMove {
                from: "collecting".into(),
                to: "approved".into()
            }
        )])
    );
    assert!(step(&with_status(Submitted), to("approved")).is_ok());
    assert_eq!(
        step(&with_status(Paid), to("collecting")).unwrap_err()[0].0,
        Field::ClaimStatus
    );
    let message = apply_step(
        claim_type("critical_illness").unwrap(),
        1_000_000,
        &with_status(Paid),
        &to("rejected"),
        today(),
    )
    .unwrap_err()[0]
        .message(Lang::Zh);
    assert_eq!(message, "申请状态：不能从「已发放」改为「未通过」");
}

#[test]
fn a_rejection_needs_a_reason() {
    assert_eq!(
        step(&with_status(ClaimStatus::Submitted), to("rejected")),
        Err(vec![(Field::RejectReason, Rule::Required)])
    );
    let rejected = step(
        &with_status(ClaimStatus::Submitted),
        ClaimStepDraft {
            reason: "确诊早于入会".into(),
            ..to("rejected")
        },
    )
    .unwrap();
    assert_eq!(rejected.status, ClaimStatus::Rejected);
    assert_eq!(rejected.reason, "确诊早于入会");
}

#[test]
fn a_payment_needs_its_amount_and_date_within_the_claim() {
    let approved = with_status(ClaimStatus::Approved);
    assert_eq!(
        step(&approved, to("paid")),
        Err(vec![
            (Field::PaidAmount, Rule::Required),
            (Field::PaidOn, Rule::Required)
        ])
    );
    let pay = |paid: &str, on: &str| ClaimStepDraft {
        paid: paid.into(),
        paid_on: on.into(),
        ..to("paid")
    };
    assert_eq!(
        step(&approved, pay("10000.01", "2026-11-20")),
        Err(vec![(Field::PaidAmount, Rule::PaidAboveClaimed)])
    );
    assert_eq!(
        step(&approved, pay("10000", "2026-11-30")),
        Err(vec![(Field::PaidOn, Rule::DateInFuture)])
    );
    let paid = step(&approved, pay("10000", "2026-11-20")).unwrap();
    assert_eq!(paid.status, ClaimStatus::Paid);
    assert_eq!(
        (paid.paid_fen, paid.paid_on),
        (1_000_000, Some(day("2026-11-20")))
    );
    assert_eq!(
        step(
            &with_status(ClaimStatus::Submitted),
            ClaimStepDraft {
                paid: "100".into(),
                ..Default::default()
            }
        ),
        Err(vec![(Field::PaidAmount, Rule::PaidOnlyWhenPaid)])
    );
}
