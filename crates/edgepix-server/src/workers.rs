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
mod tests;
