//! Settings against abuse and overload (signed URLs, allowed sizes, the
//! memory budget, the request deadline), validated beside the rest of the
//! configuration but kept in their own struct.

use std::time::Duration;

use super::reader::Reader;
use super::vars;
use crate::signing::Signer;
use crate::sizes::AllowedSizes;

/// Validated abuse and overload settings.
#[derive(Debug, Clone)]
pub struct Protection {
    /// Signed URLs, if keys are configured.
    pub signer: Option<Signer>,
    /// Allowed widths, heights and qualities.
    pub sizes: AllowedSizes,
    /// Memory budget in bytes for work in flight.
    pub memory_budget: u64,
    /// How long a request may wait for the memory budget.
    pub admission_wait: Duration,
    /// The whole request's deadline.
    pub request_timeout: Duration,
}

impl Protection {
    pub(super) fn read(r: &mut Reader<'_>) -> Option<Self> {
        let signer = r.read(&vars::SIGNING_KEYS);
        let widths = r.read(&vars::ALLOWED_WIDTHS);
        let heights = r.read(&vars::ALLOWED_HEIGHTS);
        let qualities = r.read(&vars::ALLOWED_QUALITIES);
        let policy = r.read(&vars::SIZE_POLICY);
        let memory_budget = r.read(&vars::MEMORY_BUDGET);
        let admission_wait = r.read(&vars::ADMISSION_WAIT_MS);
        let request_timeout = r.read(&vars::REQUEST_TIMEOUT_MS);
        Some(Self {
            signer: signer?,
            sizes: AllowedSizes::new(widths?, heights?, qualities?, policy?),
            memory_budget: memory_budget?,
            admission_wait: admission_wait?,
            request_timeout: request_timeout?,
        })
    }
}
