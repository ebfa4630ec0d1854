//! How an image request was answered. The one place that names the
//! outcomes: the `X-Cache` header, the access log's `cache` field and the
//! `edgepix_cache_total` metric's label all take their word from here.

use axum::http::HeaderValue;

/// Where an image response came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// From the variant cache.
    Hit,
    /// Rendered by this request.
    Miss,
    /// Waited for another request's render of the same variant.
    Coalesced,
    /// A 304 from the source's metadata, without fetching the original.
    Revalidated,
}

impl Outcome {
    /// The `X-Cache` word (upper case; the metric's label is its lower case).
    pub fn word(self) -> &'static str {
        match self {
            Self::Hit => "HIT",
            Self::Miss => "MISS",
            Self::Coalesced => "COALESCED",
            Self::Revalidated => "REVALIDATED",
        }
    }

    /// The `X-Cache` header value.
    pub fn header(self) -> HeaderValue {
        HeaderValue::from_static(self.word())
    }

    /// The EMF count metric this outcome adds one to (a 304 adds none).
    pub fn emf_count(self) -> Option<&'static str> {
        match self {
            Self::Hit => Some("CacheHits"),
            Self::Miss => Some("CacheMisses"),
            Self::Coalesced => Some("CacheCoalesced"),
            Self::Revalidated => None,
        }
    }

    /// `Server-Timing` for an answer that rendered nothing itself (a miss
    /// sends its render's stage timings instead).
    pub fn server_timing(self) -> Option<&'static str> {
        match self {
            Self::Hit => Some("cache;desc=\"hit\""),
            Self::Coalesced => Some("cache;desc=\"coalesced\""),
            Self::Miss | Self::Revalidated => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Outcome::*;

    #[test]
    fn words_are_distinct_and_upper_case() {
        let words = [Hit, Miss, Coalesced, Revalidated].map(|o| o.word());
        assert_eq!(words, ["HIT", "MISS", "COALESCED", "REVALIDATED"]);
        assert_eq!(
            [Hit, Miss, Coalesced, Revalidated].map(|o| o.server_timing().is_some()),
            [true, false, true, false]
        );
    }
}
