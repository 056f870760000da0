//! Where a screen can lead: the whole navigation graph in one place. A screen says where to
//! go next as data (`Effect::Push(Route::…)`); this file is the only one that builds screens,
//! so no screen module imports another.
//!
//! The graph (`→` push, `⇒` replace):
//! - start: Officer when the database has no officer yet, else Workers
//! - Officer ⇒ Workers
//! - Workers → WorkerDetail, NewWorker, Statistics, Batches, Events, Drafts, Settings
//! - Settings: the Officer form again (with the backup folder), back to Workers when saved
//! - Drafts → Draft (the form the draft belongs to, which offers it back)
//! - Statistics → WorkerDetail
//! - Batches → Conflicts
//! - Events → QuickEntry, NewEvent, EditEvent, Attendees, RosterImport
//! - NewEvent ⇒ QuickEntry
//! - QuickEntry → Attendees, NewWorkerAtEvent, ServiceAtEvent
//! - NewWorkerAtEvent ⇒ ServiceAtEvent (kinds with a form of their own)
//! - Attendees → WorkerDetail
//! - WorkerDetail → EditWorker, NewService, EditService, Needs, NewClaim, ClaimStep, AidRecords
//! - NewService (health check, legal aid) ⇒ Needs (the checklist offered after saving)
//! - NewWorker ⇒ WorkerDetail; EditWorker ⇒ WorkerDetail (open the existing holder of a number)
//! - any screen → Help (F1)

use super::keymap::Context;
use super::screens::aid_records::AidRecordsScreen;
use super::screens::attendees::AttendeesScreen;
use super::screens::batches::BatchesScreen;
use super::screens::conflicts::ConflictsScreen;
use super::screens::detail::DetailScreen;
use super::screens::drafts::DraftsScreen;
use super::screens::events::EventsScreen;
use super::screens::help::HelpScreen;
use super::screens::needs_checklist::NeedsScreen;
use super::screens::quick_entry::QuickEntryScreen;
use super::screens::roster_import::ImportScreen;
use super::screens::stats::StatsScreen;
use super::screens::workers::WorkersScreen;
use super::screens::{
    Ctx, Screen, claim_form, event_form, health_check, legal_aid, officer, service_form,
    worker_form,
};
use crate::domain::refdata::{self, KindForm};
use crate::domain::{Event, Service, Worker};
use crate::store::claims::Claim;

/// A screen to open, with what it opens on.
#[derive(Debug, Clone)]
pub enum Route {
    /// The officer profile form (a new database starts here).
    Officer,
    /// The list of workers: the home screen.
    Workers,
    /// The keys of the screen underneath.
    Help(Context),
    /// One worker's record and services, by uid.
    WorkerDetail(String),
    NewWorker,
    /// A worker met at an event who is not registered yet, with what was typed.
    NewWorkerAtEvent {
        id_number: String,
        name: String,
        event: Box<Event>,
    },
    EditWorker(Box<Worker>),
    Statistics,
    Batches,
    Conflicts,
    Events,
    NewEvent,
    EditEvent(Box<Event>),
    QuickEntry(Box<Event>),
    Attendees(Box<Event>),
    /// The roster import, into the given event or one picked on the way.
    RosterImport(Option<Box<Event>>),
    /// A new service for a worker, on the form its kind needs.
    NewService {
        worker: Box<Worker>,
        form: KindForm,
    },
    /// The service of an event whose kind has a form of its own, for one worker.
    ServiceAtEvent {
        worker: Box<Worker>,
        event: Box<Event>,
    },
    /// A recorded service, on the form of its kind.
    EditService {
        worker: Box<Worker>,
        service: Box<Service>,
    },
    /// The unsaved drafts.
    Drafts,
    /// The officer form again, with the backup folder: the laptop's settings.
    Settings,
    /// The form a draft was typed in, by the draft's key; the form offers the draft back.
    Draft(String),
    /// The needs checklist of a worker, by uid.
    Needs(String),
    /// A worker's needs and claims, to close a need or withdraw one recorded by mistake.
    AidRecords(String),
    /// A new mutual-aid claim of a member.
    NewClaim(Box<Worker>),
    /// The next step of a recorded claim.
    ClaimStep {
        worker: Box<Worker>,
        claim: Box<Claim>,
    },
}

/// The first screen: the officer form on a new database, else the workers list.
pub fn start(ctx: &mut Ctx) -> Route {
    if ctx.officer().is_some() {
        Route::Workers
    } else {
        Route::Officer
    }
}

/// Builds the screen `route` names; `None` when what it opens on is gone (a worker withdrawn
/// meanwhile), in which case the screen has said why.
pub fn open(route: Route, ctx: &mut Ctx) -> Option<Box<dyn Screen>> {
    let screen: Box<dyn Screen> = match route {
        Route::Officer => Box::new(officer::open(ctx)),
        Route::Workers => Box::new(WorkersScreen::new(ctx)),
        Route::Help(under) => Box::new(HelpScreen::new(under)),
        Route::WorkerDetail(uid) => Box::new(DetailScreen::open(&uid, ctx)?),
        Route::NewWorker => Box::new(worker_form::open_new(ctx)),
        Route::NewWorkerAtEvent {
            id_number,
            name,
            event,
        } => Box::new(worker_form::open_for_event(&id_number, &name, &event, ctx)),
        Route::EditWorker(worker) => Box::new(worker_form::open_edit(&worker, ctx)),
        Route::Statistics => Box::new(StatsScreen::open(ctx)),
        Route::Batches => Box::new(BatchesScreen::open(ctx)),
        Route::Conflicts => Box::new(ConflictsScreen::open(ctx)),
        Route::Events => Box::new(EventsScreen::open(ctx)),
        Route::Drafts => Box::new(DraftsScreen::open(ctx)),
        Route::Settings => Box::new(officer::open(ctx)),
        Route::Draft(key) => {
            let Some(route) = draft_route(&key, ctx) else {
                ctx.say(ctx.t(crate::tui::text::T::DraftGone));
                return None;
            };
            return open(route, ctx);
        }
        Route::NewEvent => Box::new(event_form::open(ctx)),
        Route::EditEvent(event) => Box::new(event_form::open_edit(&event, ctx)),
        Route::QuickEntry(event) => Box::new(QuickEntryScreen::open(*event, ctx)),
        Route::Attendees(event) => Box::new(AttendeesScreen::open(*event, ctx)),
        Route::RosterImport(event) => Box::new(ImportScreen::open(event.map(|e| *e), ctx)),
        Route::NewService { worker, form } => match form {
            KindForm::HealthCheck => Box::new(health_check::open(&worker, ctx)),
            KindForm::LegalAid => Box::new(legal_aid::open(&worker, ctx)),
            KindForm::Plain => Box::new(service_form::open(&worker, ctx)),
        },
        Route::ServiceAtEvent { worker, event } => match kind_form(&event.input.kind) {
            KindForm::LegalAid => Box::new(legal_aid::open_at_event(&worker, &event, ctx)),
            // Only kinds with a form of their own come here; a plain kind is recorded from
            // the quick-entry line without a form, so the health check is the other case.
            KindForm::HealthCheck | KindForm::Plain => {
                Box::new(health_check::open_at_event(&worker, &event, ctx))
            }
        },
        Route::EditService { worker, service } => match kind_form(&service.kind) {
            KindForm::HealthCheck => Box::new(health_check::open_edit(&worker, &service, ctx)),
            KindForm::LegalAid => Box::new(legal_aid::open_edit(&worker, &service, ctx)),
            KindForm::Plain => Box::new(service_form::open_edit(&worker, &service, ctx)),
        },
        Route::Needs(uid) => Box::new(NeedsScreen::open(&uid, ctx)?),
        Route::AidRecords(uid) => Box::new(AidRecordsScreen::open(&uid, ctx)?),
        Route::NewClaim(worker) => Box::new(claim_form::open_new(&worker, ctx)),
        Route::ClaimStep { worker, claim } => Box::new(claim_form::open_step(&worker, &claim, ctx)),
    };
    Some(screen)
}

/// The form a service kind is entered on; plain for a kind the reference data does not know.
pub fn kind_form(kind: &str) -> KindForm {
    refdata::service_kind(kind)
        .map(|k| k.form)
        .unwrap_or_default()
}

/// The form a draft key (`worker:new`, `service:<worker>:health_check`, `event-edit:<uid>` …)
/// belongs to; `None` when the record it was for is gone or the key is not one of ours.
fn draft_route(key: &str, ctx: &mut Ctx) -> Option<Route> {
    let worker = |uid: &str, ctx: &mut Ctx| {
        ctx.store
            .worker_by_uid(uid)
            .ok()
            .flatten()
            .filter(|w| !w.deleted)
            .map(Box::new)
    };
    let (kind, rest) = key.split_once(':')?;
    Some(match (kind, rest) {
        ("worker", "new") => Route::NewWorker,
        ("worker", uid) => Route::EditWorker(worker(uid, ctx)?),
        ("event", "new") => Route::NewEvent,
        ("event-edit", uid) => Route::EditEvent(Box::new(ctx.store.event_by_uid(uid).ok()??)),
        ("service", rest) => {
            let (uid, form) = rest.split_once(':')?;
            let form = match form {
                "health_check" => KindForm::HealthCheck,
                "legal_aid" => KindForm::LegalAid,
                _ => KindForm::Plain,
            };
            Route::NewService {
                worker: worker(uid, ctx)?,
                form,
            }
        }
        ("service-edit", uid) => {
            let service = ctx.store.service_by_uid(uid).ok()??;
            Route::EditService {
                worker: worker(&service.worker_uid, ctx)?,
                service: Box::new(service),
            }
        }
        _ => return None,
    })
}
