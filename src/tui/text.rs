//! Every string the screens show: the keys here, their Chinese and English text in one child
//! module per screen (`workers`, `stats`, `batches` …; `common` for what all share). `{0}`,
//! `{1}` … are filled in by `fill`. Field labels shared with validation messages come from
//! `domain::Field::label`.

use crate::text::Lang;

mod aid;
mod batches;
mod common;
mod conflicts;
mod corrections;
mod detail;
mod drafts;
mod events;
mod files;
mod help;
mod roster_import;
mod services;
mod stats;
mod workers;

macro_rules! keys {
    ($($key:ident),* $(,)?) => {
        /// A UI string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum T { $($key),* }
        impl T {
            pub const ALL: &'static [T] = &[$(T::$key),*];
        }
    };
}

keys! {
    AppName, TooSmall, Pending, BackupAge, BackupNotSet, RestoreHint, NoOfficerYet, Loading, Saved, SaveFailed, FixFields, Error,
    OfficerTitle, OfficerIntro, OfficerSaved, SettingsTitle, SettingsSaved, BackupFolderHint,
    BackupIntro,
    WorkersTitle, SearchLabel, SearchHint, Count, CountMore, ColName, ColIdNumber, ColSexAge,
    ColPhone, ColEmployer, ColLastService, NoMatches, NoWorkersYet, Male, Female, SexAge,
    WorkerNewTitle, WorkerEditTitle, Derived, DerivedTianjin, DuplicateId, SameNamePhone,
    TradeSuggest, MemberMember, MemberJoinedHere, MemberNotMember, NotChosen, HardshipLabel,
    DiscardQuestion, DraftOffer, Registered, Updated, PickerFilter, PickerEmpty, Required,
    DetailTitle, BirthLabel, AgeLabel, GenderLabel, HometownLabel, RegisteredLabel,
    ServicesHeading, NoServices, ColDate, ColKind, ColPlace, ColDetails, ColOfficer,
    DeleteQuestion, Deleted, Yes, No, Years,
    BloodPressureShort, GlucoseShort, NeedsReferral, FollowUpShort, Claimed, Recovered,
    FollowsShort, QuantityShort,
    HealthTitle, LegalTitle, ServiceTitle, ReferralLabel, ConsentHint, NewCase, Logged,
    DateHint, YuanHint, FollowUpHint, FollowsHint, KindHint, ChoiceHint, CheckHint,
    HelpTitle, HelpContext, HelpGlobal, HelpTyping, HelpTypingKeys, HelpUnbound,
    CtxGlobal, CtxList, CtxForm, CtxDetail, CtxPicker, CtxConfirm, CtxRepeat, CtxHelp,
    WorkerGone,
    CtxStats, StatsTitle, PeriodMonth, PeriodQuarter, PeriodYear, PeriodCustom, PeriodPick,
    AllDistricts, DistrictFilter, DistrictPick, AsOf, TabOverview, TabServices, TabHardship,
    ColTotal, ColNew, LblWorkers, LblMembers, LblJoinedHere, LblHardship,
    ReachHeading, ReachLine, UnservedLine, HealthHeading, HealthChecksLine, FollowUpsLine,
    LegalHeading, LegalOpenLine, LegalPeriodLine, RegByMonth, SvcByKind, SvcByMonth,
    UnservedHeading, NoneUnserved, ColDistrict, Never, CustomTitle, FromLabel, ToLabel,
    CustomHint, BadDate, FromAfterTo, ClaimedLine, RecoveredLine,
    TabMoney, MoneyByKind, MoneyByMonth, MoneyEvents, MoneyEventLine, MoneyNone, MoneyLegal,
    MoneyMoreEvents,
    FilesTitle, FilesDrives, FilesParent, FilesThisFolder, FilesKeys, FilesUnreadable,
    FilesPartial, FilesNoDrives, FilesEmpty, FilesHint, FilesFieldHint,
    CtxBatches, BatchesTitle, WaitingHeading, WaitingLine, WaitingTotal, NothingWaiting,
    OptionsLine, AsFolder, AsZip, CopiesNone, ExportHint, StepStarting, StepRecords,
    StepReview, StepPacking, StepMarking, ExportRunning, ExportBusy, ExportDone, NothingNew,
    ExportFailed, RecoveredNote, HistoryHeading, NoBatches, ColTime, ColDirection, ColStatus,
    ColWorkers, ColEvents, ColServices, ColBatch, DirExported, DirImported, StatusComplete,
    StatusWriting, StatusGap, PathLine, OptionsTitle, OutDirLabel, ZipLabel, CsvLabel,
    XlsxLabel, OptionsHint, VerifyTitle, Verifying, VerifyOk, VerifyProblems, VerifyMore, VerifyFailed,
    LoadFailed,
    ImportBatchTitle, ImportBatchLabel, ImportBatchHint, ImportBatchNoPath, ImportBatchRunning,
    ImportBatchResult, ColCity, CitySent, CityReceived, CityHeld, CityReturned, StaleReceipts,
    ImportReceiptTitle, ImportReceiptLabel, ImportReceiptHint, ImportReceiptNoPath,
    ImportReceiptRunning, ImportReceiptResult, ReturnedByCity, ReturnedWorker, ReturnedService,
    ConflictsTitle, ConflictsCount, NoConflicts, ConflictsHint, ConflictShown,
    ConflictOther, ConflictChosen, ConflictResolved, ConflictNotHere, ConflictsFailed, ColField,
    ConflictSamePerson, ConflictDiverged, ConflictLocalEdit, ConflictIdNumber,
    ConflictWorkerHeld, ConflictDiffers, ConflictsMore,
    CtxEvents, CtxQuickEntry, CtxAttendees, CtxImport,
    EventsTitle, EventsCount, ColEventName, ColServed, NoEventsYet, EventNewTitle, EventNameHint,
    PerPersonQuantity, PerPersonAmount, EventCreated, PerPerson, AtEvent,
    QuickTitle, QuickLabel, QuickTally, QuickSessionCount, QuickSession, QuickRecorded,
    QuickUndone, QuickNothingToUndo, QuickDuplicate, QuickNotTwice, QuickNoMatch, QuickMatches, QuickServedLegend,
    QuickChooseFirst, QuickHintId, QuickHintName, QuickHintNew, QuickHintKeys, QuickNeedsForm,
    QuickUndoExported, QuickUndoGone, QuickRedone, QuickNothingToRedo, QuickRedoExported,
    QuickRedoServedAgain,
    RegisteredNotRecorded,
    AttendeesTitle, AttendeesCount, AttendeesNone, ColRecordedAt,
    ImportTitle, ImportIntro, ImportStartHint, ImportFile, ImportForEvent,
    ImportForEventHint, ImportDryRun, ImportDryRunHint, ImportIsFolder, ImportNoFile, ImportDone,
    ImportRoster, ImportRosterRead, ImportCounts, ImportChangedFields, ImportEventLine, ImportIgnored,
    ImportRejectsWritten, ImportRejectsWouldGo, ImportRejectsFailed, ImportDryRunNote,
    ImportReasonsHeading, ImportRowReason, ImportMoreReasons, ImportNextAfterDryRun,
    ImportNextAfterRun, ImportNextAfterFailure, ImportWait, ImportStopped, JobStopped, ImportRunningDry,
    ImportRunning, ImportReading, ImportFailed,
    ImportRenamesHeading, ImportRenameRow, ImportRenamesAccepted, ImportChangesHeading,
    ImportChangesWouldHeading, ImportChangesWritten, ImportChangesWouldGo, ImportChangesFailed,
    // Corrections: edit and withdraw, legal-aid cases.
    WithdrawServiceQuestion, WithdrawWorkerQuestion, WithdrawEventQuestion, ReasonLabel,
    ReasonKeys, Withdrawn, WithdrawAttendeesQuestion, EventWithdrawn, EventNotWithdrawn,
    EditingRecord, EventEditTitle, EventUpdated, NothingSelected, LegalCasesLine, CaseClosedAs,
    // Erasure on request (PIPL art. 47).
    EraseWorkerQuestion, EraseReasonLabel, EraseKeys, Erased,
    // Sheets printed from the events and attendee lists (issue 15).
    SheetKindTitle, SheetSignIn, SheetPayout, SheetPathLabel, SheetPathKeys, SheetNotXlsx,
    SheetExists, SheetBusy, SheetWriting, SheetWrittenPayout, SheetWrittenSignIn, SheetFailed,
    SheetNoAttendees,
    FooterStart, FooterExport, FooterImport, KeyTaken, KeyUnbound, HelpTypingClear, HelpTypingWord,
    BloodPressureHint, StatusCheckFailed, CheckFailedLine, CheckUnreadableLine, CtxDrafts, DraftsTitle, DraftsCount, DraftsNone, ColDraftSaved, ColDraftForm, DraftEditWorker, DraftEditEvent, DraftEditService, DraftDiscarded, DraftGone, DraftsWaiting, DraftWaiting, YearNone, YearByKind, OpenCasesCount, FollowUpsNone, FollowUpsDue, FocusKind, FocusOpenCases, FocusFollowUps, FocusHeading, FocusEmpty, EventsCountOne, HelpSchemeHeading, HelpScheme,
    FooterKeepSide, HelpTakenHeading,
    // Needs (诉求) and mutual-aid claims (互助保障), issue 20.
    NeedsLine, ClaimsLine, NeedsTitle, NeedsHint, NeedOpenMark, NeedsSaved, NeedsNone,
    ClaimTitle, ClaimStepTitle, ClaimLogged, ClaimUpdated, NoOpenClaim, ClaimDatesHint,
    ProtectionHint, ClaimAmountHint, DocumentHint,
    // Needs in fast entry, closing and withdrawing.
    ImportNeedsLine, AidRecordsTitle, AidRecordsNone, AidRecordsHint, CloseNeedQuestion,
    NeedClosedSaid, WithdrawNeedQuestion, WithdrawClaimQuestion, QuickNeedsLine, QuickNeedsRaised,
    QuickNeedsTakenBack, QuickNeedsPutBack,
    QuickNeedsHint, CloseNeedKeys, QuickNeedsOffer,
}

/// The text of `key` in `lang`.
pub fn t(lang: Lang, key: T) -> &'static str {
    match lang {
        Lang::Zh => zh(key),
        Lang::En => en(key),
    }
}

/// The text of `key` with `{0}`, `{1}` … replaced by `args`.
pub fn tf(lang: Lang, key: T, args: &[&str]) -> String {
    fill(t(lang, key), args)
}

/// `template` with `{0}`, `{1}` … replaced by `args`. The arguments are often stored text (a
/// worker's or an event's name), so each is made terminal-safe first.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = template.to_string();
    for (i, arg) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), &crate::tui::widgets::shown(arg));
    }
    out
}

/// One table per screen, each as (Chinese, English). A key has its text in exactly one of them,
/// in both languages (the test below checks it, as a single `match` used to).
type Table = fn(T) -> Option<&'static str>;
const TABLES: &[(Table, Table)] = &[
    (common::zh, common::en),
    (help::zh, help::en),
    (workers::zh, workers::en),
    (detail::zh, detail::en),
    (services::zh, services::en),
    (corrections::zh, corrections::en),
    (aid::zh, aid::en),
    (drafts::zh, drafts::en),
    (events::zh, events::en),
    (roster_import::zh, roster_import::en),
    (stats::zh, stats::en),
    (batches::zh, batches::en),
    (files::zh, files::en),
    (conflicts::zh, conflicts::en),
];

fn zh(key: T) -> &'static str {
    TABLES
        .iter()
        .find_map(|(zh, _)| zh(key))
        .unwrap_or_default()
}

fn en(key: T) -> &'static str {
    TABLES
        .iter()
        .find_map(|(_, en)| en(key))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(s: &str) -> Vec<usize> {
        (0..10)
            .filter(|i| s.contains(&format!("{{{i}}}")))
            .collect()
    }

    #[test]
    fn both_languages_have_every_key_with_the_same_placeholders() {
        for &key in T::ALL {
            let (z, e) = (zh(key), en(key));
            assert!(!z.trim().is_empty(), "{key:?} has no Chinese text");
            assert!(!e.trim().is_empty(), "{key:?} has no English text");
            assert_eq!(placeholders(z), placeholders(e), "{key:?}");
        }
    }

    #[test]
    fn every_key_is_in_one_screen_table_in_both_languages() {
        for &key in T::ALL {
            let holding = |lang: fn(&(Table, Table)) -> Table| -> Vec<usize> {
                (0..TABLES.len())
                    .filter(|&i| lang(&TABLES[i])(key).is_some())
                    .collect()
            };
            let in_zh = holding(|tables| tables.0);
            let in_en = holding(|tables| tables.1);
            assert_eq!(in_zh.len(), 1, "{key:?} is in the Chinese tables {in_zh:?}");
            assert_eq!(
                in_zh, in_en,
                "{key:?}: Chinese and English in different tables"
            );
        }
    }
}
