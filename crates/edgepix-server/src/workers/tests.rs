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
