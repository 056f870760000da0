//! Searches run on their own thread with a read-only connection, so typing never waits for
//! a query. Each request carries a sequence number; the list keeps only the reply to its
//! latest request, and the thread skips requests that newer ones have already replaced.
//! Replies go into the app's one channel (`jobs::AppMsg::Search`).

use super::jobs::AppMsg;
use crate::store::search::{QueryClass, classify};
use crate::store::stats::{OpenNeedPage, UnservedPage};
use crate::store::{Clock, Opener, SearchPage, Statistics, StatsQuery};
use crate::text::Lang;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    pub seq: u64,
    pub query: String,
    pub offset: usize,
    pub limit: usize,
    /// The match count the list already has for this query: a further page of the whole
    /// list is then read without counting every worker again.
    pub known_total: Option<usize>,
}

#[derive(Debug, Clone)]
pub enum Reply {
    Search {
        request: SearchRequest,
        result: Result<SearchPage, String>,
        elapsed: Duration,
    },
    /// Records not yet exported (counted here because it reads whole tables).
    Pending(Result<i64, String>),
    /// The figures of the statistics screen.
    Statistics {
        seq: u64,
        result: Result<Box<Statistics>, String>,
    },
    /// A further page of the hardship workers not served.
    Unserved {
        seq: u64,
        offset: usize,
        result: Result<UnservedPage, String>,
    },
    /// A further page of the hardship workers' open needs.
    OpenNeeds {
        seq: u64,
        offset: usize,
        result: Result<OpenNeedPage, String>,
    },
}

/// What the statistics screen asks the background thread for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatsRequest {
    Figures(StatsQuery),
    Unserved {
        query: StatsQuery,
        offset: usize,
        limit: usize,
    },
    OpenNeeds {
        query: StatsQuery,
        offset: usize,
        limit: usize,
    },
}

enum Job {
    Search(SearchRequest),
    Pending,
    Stats { seq: u64, request: StatsRequest },
}

pub struct SearchClient {
    jobs: Sender<Job>,
    /// The app's channel: where a request the thread can no longer take is answered.
    replies: Sender<AppMsg>,
    next_seq: u64,
    /// The latest search asked for, until its reply arrives.
    awaited: Option<u64>,
    pending_asked: bool,
    /// The latest statistics request, until its reply arrives.
    stats_awaited: Option<u64>,
}

impl SearchClient {
    /// Starts the search thread, which opens its own read-only connection to the database
    /// file (with its key, when encrypted); replies go to `replies`. When the connection
    /// cannot be opened, every request is answered with that error. The thread's figures
    /// ("this month", the statistics' months) read `clock`, the app's own.
    pub fn start(opener: Opener, clock: Clock, replies: Sender<AppMsg>) -> SearchClient {
        let (jobs_tx, jobs_rx) = mpsc::channel::<Job>();
        let thread_replies = replies.clone();
        let started = thread::Builder::new()
            .name("jingong-search".into())
            .spawn(move || serve(opener, clock, jobs_rx, thread_replies));
        if let Err(e) = started {
            // The requests then fail to send and are answered at once (see `send`).
            tracing::warn!(error = %e, "search thread not started");
        }
        SearchClient {
            jobs: jobs_tx,
            replies,
            next_seq: 1,
            awaited: None,
            pending_asked: false,
            stats_awaited: None,
        }
    }

    /// Hands `job` to the thread; when the thread is gone, answers it here with an error so
    /// that nothing waits for a reply that cannot come.
    fn send(&self, job: Job) {
        let Err(mpsc::SendError(job)) = self.jobs.send(job) else {
            return;
        };
        let reply = answer_with_error(job, "the search thread has stopped");
        let _ = self.replies.send(AppMsg::Search(reply));
    }

    /// Asks for one page; returns the request's sequence number.
    pub fn search(
        &mut self,
        query: &str,
        offset: usize,
        limit: usize,
        known_total: Option<usize>,
    ) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.awaited = Some(seq);
        self.send(Job::Search(SearchRequest {
            seq,
            query: query.to_string(),
            offset,
            limit,
            known_total,
        }));
        seq
    }

    /// Asks for statistics; returns the request's sequence number.
    pub fn statistics(&mut self, request: StatsRequest) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.stats_awaited = Some(seq);
        self.send(Job::Stats { seq, request });
        seq
    }

    pub fn count_pending(&mut self) {
        self.pending_asked = true;
        self.send(Job::Pending);
    }

    /// True while a reply the app is waiting for has not come.
    pub fn busy(&self) -> bool {
        self.awaited.is_some() || self.pending_asked || self.stats_awaited.is_some()
    }

    /// The app took in `reply`: it is no longer awaited.
    pub fn note(&mut self, reply: &Reply) {
        match reply {
            Reply::Search { request, .. } if Some(request.seq) == self.awaited => {
                self.awaited = None;
            }
            Reply::Pending(_) => self.pending_asked = false,
            Reply::Statistics { seq, .. }
            | Reply::Unserved { seq, .. }
            | Reply::OpenNeeds { seq, .. }
                if Some(*seq) == self.stats_awaited =>
            {
                self.stats_awaited = None;
            }
            Reply::Search { .. }
            | Reply::Statistics { .. }
            | Reply::Unserved { .. }
            | Reply::OpenNeeds { .. } => {}
        }
    }
}

fn run_search(
    reader: &crate::store::Store,
    request: &SearchRequest,
) -> crate::store::Result<SearchPage> {
    let whole_list = classify(&request.query).0 == QueryClass::All;
    match request.known_total {
        Some(total) if whole_list => Ok(SearchPage {
            hits: reader.browse_page(request.offset, request.limit, total)?,
            total,
            more: false,
        }),
        _ => reader.search(&request.query, request.offset, request.limit),
    }
}

fn serve(opener: Opener, clock: Clock, jobs: Receiver<Job>, replies: Sender<AppMsg>) {
    let reader = opener
        .open(crate::store::Access::ReadOnly)
        .map(|mut reader| {
            reader.set_clock(clock);
            reader
        });
    if let Err(e) = &reader {
        tracing::warn!(error = %e, "search connection not opened");
    }
    let reader = match reader {
        Ok(reader) => reader,
        Err(e) => return refuse_all(&e.message(Lang::En), jobs, replies),
    };
    while let Ok(first) = jobs.recv() {
        // Take everything queued: only the newest search is worth running.
        let mut latest: Option<SearchRequest> = None;
        let mut count_pending = false;
        let mut latest_stats: Option<(u64, StatsRequest)> = None;
        for job in std::iter::once(first).chain(jobs.try_iter()) {
            match job {
                Job::Search(request) => latest = Some(request),
                Job::Pending => count_pending = true,
                Job::Stats { seq, request } => latest_stats = Some((seq, request)),
            }
        }
        if let Some(request) = latest {
            let started = Instant::now();
            let result =
                run_search(&reader, &request).map_err(|e| e.message(crate::text::Lang::En));
            let elapsed = started.elapsed();
            tracing::debug!(
                micros = elapsed.as_micros() as u64,
                offset = request.offset,
                "search answered"
            );
            if replies
                .send(AppMsg::Search(Reply::Search {
                    request,
                    result,
                    elapsed,
                }))
                .is_err()
            {
                return;
            }
        }
        if let Some((seq, request)) = latest_stats {
            let message = |e: crate::store::StoreError| e.message(crate::text::Lang::En);
            let reply = match request {
                StatsRequest::Figures(query) => {
                    let started = Instant::now();
                    let result = reader.statistics(&query).map(Box::new).map_err(message);
                    tracing::debug!(
                        micros = started.elapsed().as_micros() as u64,
                        "statistics answered"
                    );
                    Reply::Statistics { seq, result }
                }
                StatsRequest::Unserved {
                    query,
                    offset,
                    limit,
                } => Reply::Unserved {
                    seq,
                    offset,
                    result: reader
                        .hardship_unserved(&query, offset, limit)
                        .map_err(message),
                },
                StatsRequest::OpenNeeds {
                    query,
                    offset,
                    limit,
                } => Reply::OpenNeeds {
                    seq,
                    offset,
                    result: reader
                        .hardship_open_needs(&query, offset, limit)
                        .map_err(message),
                },
            };
            if replies.send(AppMsg::Search(reply)).is_err() {
                return;
            }
        }
        if count_pending {
            let result = reader
                .pending_counts()
                .map(|p| p.total())
                .map_err(|e| e.message(crate::text::Lang::En));
            if replies
                .send(AppMsg::Search(Reply::Pending(result)))
                .is_err()
            {
                return;
            }
        }
    }
}

/// The reply to `job` when it cannot be run at all.
fn answer_with_error(job: Job, message: &str) -> Reply {
    match job {
        Job::Search(request) => Reply::Search {
            request,
            result: Err(message.to_string()),
            elapsed: Duration::ZERO,
        },
        Job::Pending => Reply::Pending(Err(message.to_string())),
        Job::Stats {
            seq,
            request: StatsRequest::Figures(_),
        } => Reply::Statistics {
            seq,
            result: Err(message.to_string()),
        },
        Job::Stats {
            seq,
            request: StatsRequest::Unserved { offset, .. },
        } => Reply::Unserved {
            seq,
            offset,
            result: Err(message.to_string()),
        },
        Job::Stats {
            seq,
            request: StatsRequest::OpenNeeds { offset, .. },
        } => Reply::OpenNeeds {
            seq,
            offset,
            result: Err(message.to_string()),
        },
    }
}

/// Without a connection, every request is answered with why, until the app closes.
fn refuse_all(message: &str, jobs: Receiver<Job>, replies: Sender<AppMsg>) {
    while let Ok(job) = jobs.recv() {
        if replies
            .send(AppMsg::Search(answer_with_error(job, message)))
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn next_reply(inbox: &Receiver<AppMsg>) -> Reply {
        match inbox.recv_timeout(Duration::from_secs(10)) {
            Ok(AppMsg::Search(reply)) => reply,
            Ok(_) => panic!("not a search reply"),
            Err(e) => panic!("no reply: {e}"),
        }
    }

    #[test]
    fn a_search_is_answered_into_the_app_channel_and_then_no_longer_awaited() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("jingong.db")).unwrap();
        let (sender, inbox) = mpsc::channel();
        let mut client = SearchClient::start(store.opener(), store.clock(), sender);
        let seq = client.search("王", 0, 10, None);
        assert!(client.busy());
        let reply = next_reply(&inbox);
        let Reply::Search {
            request, result, ..
        } = &reply
        else {
            panic!("{reply:?}");
        };
        assert_eq!(request.seq, seq);
        assert_eq!(result.as_ref().map(|page| page.total), Ok(0));
        client.note(&reply);
        assert!(!client.busy());
    }

    #[test]
    fn without_a_connection_every_request_is_answered_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("jingong.db");
        let opener = Store::open(&db).unwrap().opener();
        // The file is gone by the time the thread opens its read-only connection.
        std::fs::remove_file(&db).unwrap();
        let (sender, inbox) = mpsc::channel();
        let mut client = SearchClient::start(opener, Clock::default(), sender);
        client.search("王", 0, 10, None);
        client.count_pending();
        let first = next_reply(&inbox);
        let second = next_reply(&inbox);
        assert!(
            matches!(&first, Reply::Search { result: Err(m), .. } if !m.is_empty()),
            "{first:?}"
        );
        assert!(
            matches!(&second, Reply::Pending(Err(m)) if !m.is_empty()),
            "{second:?}"
        );
        client.note(&first);
        client.note(&second);
        assert!(!client.busy());
    }
}
