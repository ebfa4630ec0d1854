//! The image workers: `concurrency` long-lived threads that take renders
//! from one FIFO queue, so a thread that finishes an image starts the next
//! queued one at once, on the core it already runs on.
//!
//! Renders used to go to Tokio's blocking pool behind a semaphore: each one
//! woke a parked thread, and on two cores the scheduler often queued that
//! thread behind the other busy core while the freed core sat idle for 3-7
//! ms; 4-7% of the machine was idle under a cache-miss load that kept six
//! renders waiting (BENCHMARKS.md, "Image workers").
//!
//! A job whose request has gone (its deadline passed while it waited) is
//! skipped when its turn comes; one already running finishes, and the memory
//! permit it carries counts until then.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crossbeam_channel::{Sender, unbounded};
use tokio::sync::oneshot;

use crate::AppError;

type Job = Box<dyn FnOnce() + Send>;

/// The queue in front of the worker threads; dropping it ends them.
pub(crate) struct Workers {
    queue: Sender<Job>,
}

impl Workers {
    /// Start `count` worker threads (at least one). Called once, at start-up:
    /// a machine that cannot start them cannot serve images at all.
    pub(crate) fn new(count: usize) -> Self {
        let (queue, jobs) = unbounded::<Job>();
        for n in 0..count.max(1) {
            let jobs = jobs.clone();
            std::thread::Builder::new()
                .name(format!("edgepix-worker-{n}"))
                .spawn(move || jobs.iter().for_each(|job| job()))
                .expect("the OS refused to start an image worker thread");
        }
        Self { queue }
    }

    /// Run `work` on a worker once the jobs queued before it have started; a
    /// panic in it becomes a 500, and the worker lives on.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            if !done.is_closed() {
                let _ = done.send(catch_unwind(AssertUnwindSafe(work)));
            }
        });
        self.queue.send(job).map_err(|_| AppError::Internal("the image workers have stopped".into()))?;
        match result.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(panic)) => Err(AppError::Internal(format!("image worker failed: {}", message(&*panic)))),
            Err(_) => Err(AppError::Internal("an image worker dropped its job".into())),
        }
    }
}

fn message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("panic")
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Barrier};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn runs_work_and_survives_a_panic() {
        let workers = Workers::new(1);
        assert_eq!(workers.run(|| 6 * 7).await.unwrap(), 42);
        let failed = workers.run(|| -> u8 { panic!("codec bug") }).await.unwrap_err();
        assert!(matches!(&failed, AppError::Internal(m) if m.contains("codec bug")), "{failed:?}");
        assert_eq!(workers.run(|| "still here").await.unwrap(), "still here", "the one thread lives on");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn runs_exactly_count_at_once() {
        let workers = Arc::new(Workers::new(2));
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..6)
            .map(|_| {
                let (workers, running, peak) = (workers.clone(), running.clone(), peak.clone());
                tokio::spawn(async move {
                    workers
                        .run(move || {
                            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                            peak.fetch_max(now, Ordering::SeqCst);
                            std::thread::sleep(Duration::from_millis(20));
                            running.fetch_sub(1, Ordering::SeqCst);
                        })
                        .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2, "two workers, six jobs");
    }

    #[tokio::test]
    async fn skips_a_job_whose_request_is_gone() {
        let workers = Arc::new(Workers::new(1));
        // Hold the only worker until the second job's caller has given up.
        let (started, is_running) = std::sync::mpsc::channel();
        let gate = Arc::new(Barrier::new(2));
        let (held, queued) = (gate.clone(), workers.clone());
        let first = tokio::spawn(async move {
            queued
                .run(move || {
                    started.send(()).unwrap();
                    held.wait();
                })
                .await
        });
        tokio::task::spawn_blocking(move || is_running.recv().unwrap()).await.unwrap();
        let ran = Arc::new(AtomicUsize::new(0));
        let counter = ran.clone();
        let second = workers.run(move || counter.fetch_add(1, Ordering::SeqCst));
        assert!(tokio::time::timeout(Duration::from_millis(20), second).await.is_err(), "it waits");
        gate.wait();
        first.await.unwrap().unwrap();
        workers.run(|| ()).await.unwrap(); // queued after the abandoned job
        assert_eq!(ran.load(Ordering::SeqCst), 0, "the abandoned job never ran");
    }
}
