//! Admission control by memory: every render reserves its estimated peak
//! (`edgepix_core::memory_estimate`, from the probed header, before a pixel
//! is decoded) from a budget, as permits of one MiB on a fair (FIFO)
//! semaphore. A request that cannot get its share within the admission wait
//! is answered 503 with `Retry-After` instead of pushing the process into
//! OOM; one that could never fit the whole budget is a 422.
//!
//! The permit lives as long as the render job, not the request: a request
//! that times out (504) leaves its worker running, and the memory it holds
//! still counts until the worker ends; a job still queued when its request
//! went is skipped when its turn comes, and counts until then.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::AppError;

const MIB: u64 = 1 << 20;

/// The memory budget of work in flight.
pub(crate) struct Admission {
    permits: Arc<Semaphore>,
    budget_mib: u32,
    wait: Duration,
}

impl Admission {
    pub(crate) fn new(budget_bytes: u64, wait: Duration) -> Self {
        let budget_mib =
            u32::try_from(budget_bytes / MIB).unwrap_or(u32::MAX).clamp(1, Semaphore::MAX_PERMITS as u32);
        Self { permits: Arc::new(Semaphore::new(budget_mib as usize)), budget_mib, wait }
    }

    /// Reserve `estimate` bytes, waiting at most the admission wait.
    pub(crate) async fn admit(&self, estimate: u64) -> Result<OwnedSemaphorePermit, AppError> {
        let mib = estimate.div_ceil(MIB).max(1);
        let budget = u64::from(self.budget_mib);
        if mib > budget {
            return Err(AppError::OverBudget { estimate, budget: budget * MIB });
        }
        let acquire = Arc::clone(&self.permits).acquire_many_owned(mib as u32);
        match tokio::time::timeout(self.wait, acquire).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) => Err(AppError::Internal("admission semaphore closed".into())),
            Err(_) => Err(AppError::Overloaded { retry_after: 1 }),
        }
    }

    /// MiB currently reserved.
    #[cfg(test)]
    pub(crate) fn in_use_mib(&self) -> u32 {
        self.budget_mib - self.permits.available_permits() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn admits_by_bytes_then_refuses_then_recovers() {
        let admission = Admission::new(100 * MIB, Duration::from_millis(20));
        let big = admission.admit(60 * MIB).await.unwrap();
        let small = admission.admit(30 * MIB).await.unwrap();
        assert_eq!(admission.in_use_mib(), 90);
        let refused = admission.admit(20 * MIB).await.unwrap_err();
        assert!(matches!(refused, AppError::Overloaded { .. }), "{refused:?}");
        drop(big);
        assert!(admission.admit(20 * MIB).await.is_ok(), "room again once the big one ends");
        drop(small);
        let never = admission.admit(101 * MIB).await.unwrap_err();
        assert!(matches!(never, AppError::OverBudget { .. }), "{never:?}");
    }
}
