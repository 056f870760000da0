//! The one way work leaves the UI thread. Everything that happens elsewhere (a key typed, a
//! search answered, a job's progress or end) arrives as one `AppMsg` on one channel, so the
//! loop sleeps in a single `recv` until something happens instead of polling.
//!
//! A job is a closure run on a thread of its own (`Jobs::spawn`); it gets a `Progress` handle
//! to report steps, and its return value is sent as the job's last message. Messages carry the
//! job's id, so only the screen that started a job takes them in (`Screen::on_msg`).

use super::search::Reply;
use ratatui::crossterm::event::{self as term_event, Event};
use std::any::Any;
use std::marker::PhantomData;
use std::sync::mpsc::{self, Receiver, Sender};

/// Something that happened off the UI thread.
pub enum AppMsg {
    /// A terminal event, forwarded by the input thread.
    Terminal(Event),
    /// Reading the terminal failed: the loop ends with this error.
    TerminalFailed(std::io::Error),
    /// The search thread answered.
    Search(Reply),
    /// A job reported a step or its end.
    Job(JobMsg),
}

/// Names one job, so its messages reach the screen that started it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct JobId(u64);

/// One message of a job: a step it reported, or its end with the job's result.
pub struct JobMsg {
    job: JobId,
    end: bool,
    /// Taken out by the screen the job belongs to; `None` at the end of a job that panicked.
    content: Option<Box<dyn Any + Send>>,
}

impl JobMsg {
    pub fn job(&self) -> JobId {
        self.job
    }

    /// True for the job's last message.
    pub fn is_end(&self) -> bool {
        self.end
    }

    /// The message's content when it is a `T`; it is taken out, so a second call gives `None`.
    pub fn take<T: 'static>(&mut self) -> Option<T> {
        let content = self.content.take()?;
        match content.downcast::<T>() {
            Ok(value) => Some(*value),
            Err(other) => {
                self.content = Some(other);
                None
            }
        }
    }
}

/// What a running job reports its steps through.
pub struct Progress<P> {
    job: JobId,
    sender: Sender<AppMsg>,
    step: PhantomData<fn(P)>,
}

impl<P: Send + 'static> Progress<P> {
    /// Sends one step to the app; false once the app has gone (the job may then stop early).
    pub fn report(&self, step: P) -> bool {
        self.sender
            .send(AppMsg::Job(JobMsg {
                job: self.job,
                end: false,
                content: Some(Box::new(step)),
            }))
            .is_ok()
    }
}

/// Sends the end of a job even when its closure panicked, so no screen waits for ever.
struct EndGuard {
    job: JobId,
    sender: Sender<AppMsg>,
    result: Option<Box<dyn Any + Send>>,
}

impl Drop for EndGuard {
    fn drop(&mut self) {
        let _ = self.sender.send(AppMsg::Job(JobMsg {
            job: self.job,
            end: true,
            content: self.result.take(),
        }));
    }
}

/// Starts jobs and counts the ones whose end the app has not taken in yet.
pub struct Jobs {
    sender: Sender<AppMsg>,
    next: u64,
    running: usize,
}

impl Jobs {
    /// The app's channel: `Jobs` for the senders, the receiver for the loop.
    pub fn channel() -> (Jobs, Receiver<AppMsg>) {
        let (sender, receiver) = mpsc::channel();
        let jobs = Jobs {
            sender,
            next: 1,
            running: 0,
        };
        (jobs, receiver)
    }

    /// Another sender into the app's channel (the search and input threads).
    pub fn sender(&self) -> Sender<AppMsg> {
        self.sender.clone()
    }

    /// Runs `work` on a thread named `name`; its steps and its result come back as
    /// `AppMsg::Job` messages with the returned id. Fails only when no thread can be started.
    pub fn spawn<P, R>(
        &mut self,
        name: &str,
        work: impl FnOnce(&Progress<P>) -> R + Send + 'static,
    ) -> std::io::Result<JobId>
    where
        P: Send + 'static,
        R: Send + 'static,
    {
        let job = JobId(self.next);
        self.next += 1;
        let sender = self.sender.clone();
        std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                let mut end = EndGuard {
                    job,
                    sender: sender.clone(),
                    result: None,
                };
                let progress = Progress {
                    job,
                    sender,
                    step: PhantomData,
                };
                end.result = Some(Box::new(work(&progress)));
            })?;
        self.running += 1;
        Ok(job)
    }

    /// Jobs started whose last message the app has not taken in.
    pub fn running(&self) -> usize {
        self.running
    }

    /// The app took in a job's last message.
    pub fn ended(&mut self) {
        self.running = self.running.saturating_sub(1);
    }
}

/// Forwards terminal events into the app's channel from a thread of its own, so the loop
/// waits on input and on background work in the same `recv`. The thread ends when the app's
/// receiver is gone (at the next event) or reading fails.
pub fn forward_terminal(sender: Sender<AppMsg>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("jingong-input".into())
        .spawn(move || {
            loop {
                let msg = match term_event::read() {
                    Ok(event) => AppMsg::Terminal(event),
                    Err(e) => AppMsg::TerminalFailed(e),
                };
                let failed = matches!(msg, AppMsg::TerminalFailed(_));
                if sender.send(msg).is_err() || failed {
                    return;
                }
            }
        })
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn next_job_msg(inbox: &Receiver<AppMsg>) -> JobMsg {
        match inbox.recv_timeout(Duration::from_secs(10)) {
            Ok(AppMsg::Job(msg)) => msg,
            Ok(_) => panic!("not a job message"),
            Err(e) => panic!("no message: {e}"),
        }
    }

    #[test]
    fn steps_then_the_result_arrive_in_order_with_the_job_id() {
        let (mut jobs, inbox) = Jobs::channel();
        let id = jobs
            .spawn("test-job", |progress: &Progress<u32>| {
                progress.report(1);
                progress.report(2);
                "done".to_string()
            })
            .unwrap();
        assert_eq!(jobs.running(), 1);
        let mut steps = Vec::new();
        let mut end = loop {
            let mut msg = next_job_msg(&inbox);
            assert_eq!(msg.job(), id);
            if msg.is_end() {
                break msg;
            }
            // The wrong type leaves the content for the right one.
            assert_eq!(msg.take::<String>(), None);
            steps.push(msg.take::<u32>().unwrap());
        };
        assert_eq!(steps, vec![1, 2]);
        assert_eq!(end.take::<String>().as_deref(), Some("done"));
        assert_eq!(end.take::<String>(), None);
        jobs.ended();
        assert_eq!(jobs.running(), 0);
    }

    #[test]
    fn a_job_that_panics_still_ends_without_a_result() {
        let (mut jobs, inbox) = Jobs::channel();
        let id = jobs
            .spawn("test-panic", |_: &Progress<()>| -> u8 {
                panic!("the job failed");
            })
            .unwrap();
        let mut end = next_job_msg(&inbox);
        assert_eq!(end.job(), id);
        assert!(end.is_end());
        assert_eq!(end.take::<u8>(), None);
    }

    #[test]
    fn each_job_gets_its_own_id() {
        let (mut jobs, _inbox) = Jobs::channel();
        let a = jobs.spawn("a", |_: &Progress<()>| ()).unwrap();
        let b = jobs.spawn("b", |_: &Progress<()>| ()).unwrap();
        assert_ne!(a, b);
    }
}
