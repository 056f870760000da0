//! Searches run on their own thread with a read-only connection, so typing never waits for
//! a query. Each request carries a sequence number; the list keeps only the reply to its
//! latest request, and the thread skips requests that newer ones have already replaced.

use crate::store::search::{QueryClass, classify};
use crate::store::stats::UnservedPage;
use crate::store::{SearchPage, Statistics, StatsQuery, Store};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
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
}

enum Job {
    Search(SearchRequest),
    Pending,
    Stats { seq: u64, request: StatsRequest },
}

pub struct SearchClient {
    jobs: Sender<Job>,
    replies: Receiver<Reply>,
    next_seq: u64,
    /// The latest search asked for, until its reply arrives.
    awaited: Option<u64>,
    pending_asked: bool,
    /// The latest statistics request, until its reply arrives.
    stats_awaited: Option<u64>,
}

impl SearchClient {
    /// Starts the search thread on its own read-only connection to the store's file (with
    /// its key, when encrypted).
    pub fn start(store: &Store) -> Result<SearchClient, crate::store::StoreError> {
        let reader = store.open_another_reader()?;
        let (jobs_tx, jobs_rx) = mpsc::channel::<Job>();
        let (replies_tx, replies_rx) = mpsc::channel::<Reply>();
        thread::Builder::new()
            .name("jingong-search".into())
            .spawn(move || serve(reader, jobs_rx, replies_tx))
            .map_err(crate::store::StoreError::Io)?;
        Ok(SearchClient {
            jobs: jobs_tx,
            replies: replies_rx,
            next_seq: 1,
            awaited: None,
            pending_asked: false,
            stats_awaited: None,
        })
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
        let _ = self.jobs.send(Job::Search(SearchRequest {
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
        let _ = self.jobs.send(Job::Stats { seq, request });
        seq
    }

    pub fn count_pending(&mut self) {
        self.pending_asked = true;
        let _ = self.jobs.send(Job::Pending);
    }

    /// True while a reply the app is waiting for has not come.
    pub fn busy(&self) -> bool {
        self.awaited.is_some() || self.pending_asked || self.stats_awaited.is_some()
    }

    /// Replies that have arrived, without waiting.
    pub fn poll(&mut self) -> Vec<Reply> {
        let mut out = Vec::new();
        while let Ok(reply) = self.replies.try_recv() {
            self.note(&reply);
            out.push(reply);
        }
        out
    }

    /// Waits (up to `timeout`) until every awaited reply has arrived: for tests and start-up.
    pub fn wait(&mut self, timeout: Duration) -> Vec<Reply> {
        let deadline = Instant::now() + timeout;
        let mut out = Vec::new();
        while self.busy() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.replies.recv_timeout(left) {
                Ok(reply) => {
                    self.note(&reply);
                    out.push(reply);
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        out
    }

    fn note(&mut self, reply: &Reply) {
        match reply {
            Reply::Search { request, .. } if Some(request.seq) == self.awaited => {
                self.awaited = None;
            }
            Reply::Pending(_) => self.pending_asked = false,
            Reply::Statistics { seq, .. } | Reply::Unserved { seq, .. }
                if Some(*seq) == self.stats_awaited =>
            {
                self.stats_awaited = None;
            }
            Reply::Search { .. } | Reply::Statistics { .. } | Reply::Unserved { .. } => {}
        }
    }
}

fn run_search(reader: &Store, request: &SearchRequest) -> crate::store::Result<SearchPage> {
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

fn serve(reader: Store, jobs: Receiver<Job>, replies: Sender<Reply>) {
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
                .send(Reply::Search {
                    request,
                    result,
                    elapsed,
                })
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
            };
            if replies.send(reply).is_err() {
                return;
            }
        }
        if count_pending {
            let result = reader
                .pending_counts()
                .map(|p| p.total())
                .map_err(|e| e.message(crate::text::Lang::En));
            if replies.send(Reply::Pending(result)).is_err() {
                return;
            }
        }
    }
}
