//! The configuration in the words a user reads: the start-up line, the
//! message when the address cannot be bound, sizes in KiB/MiB/GiB rather
//! than bytes, metrics by where they go rather than a struct's Debug.

use std::fmt;
use std::net::SocketAddr;

use super::{Config, MetricsMode};

/// `268435456` → `256 MiB`; sizes that are not whole units stay in bytes.
pub fn size_text(bytes: u64) -> String {
    let units = [(1u64 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    match units.iter().find(|(unit, _)| bytes >= *unit && bytes.is_multiple_of(*unit)) {
        Some((unit, name)) => format!("{} {name}", bytes / unit),
        None => format!("{bytes} bytes"),
    }
}

impl fmt::Display for MetricsMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match (self.prometheus, self.emf) {
            (true, true) => "metrics at /metrics and as EMF log lines",
            (true, false) => "metrics at /metrics",
            (false, true) => "metrics as EMF log lines",
            (false, false) => "metrics off",
        })
    }
}

impl Config {
    /// The dev server's start-up line, once it listens on `addr`.
    pub fn ready_line(&self, addr: SocketAddr) -> String {
        let playground = if self.playground { "the playground at /" } else { "no playground" };
        format!(
            "edgepix listening on http://{addr}: originals from {}, a {} cache, {} image workers, {playground}, {}",
            self.source.name(),
            size_text(self.cache_bytes),
            self.concurrency,
            self.metrics,
        )
    }

    /// Why the listening address could not be bound, naming the setting.
    pub fn bind_error(&self, error: &std::io::Error) -> String {
        let addr = self.listen;
        match error.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "{addr} is already in use (another edgepix?): stop that server, or listen elsewhere with EDGEPIX_LISTEN=127.0.0.1:{} or --listen",
                addr.port().wrapping_add(1)
            ),
            _ => format!("cannot listen on {addr} (EDGEPIX_LISTEN or --listen): {error}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Deployment;

    #[test]
    fn sizes_read_in_whole_units() {
        assert_eq!(size_text(256 << 20), "256 MiB");
        assert_eq!(size_text(2 << 30), "2 GiB");
        assert_eq!(size_text(64 << 10), "64 KiB");
        assert_eq!(size_text(1536), "1536 bytes");
        assert_eq!(size_text(0), "0 bytes");
    }

    #[test]
    fn the_start_up_line_is_a_sentence() {
        let config =
            Config::parse_from(["edgepix", "--cache-bytes=256MiB", "--concurrency=2"], Deployment::DevServer)
                .unwrap();
        let line = config.ready_line("127.0.0.1:3000".parse().unwrap());
        assert!(line.contains("originals from examples/images"), "{line}");
        assert!(line.contains("a 256 MiB cache, 2 image workers"), "{line}");
        assert!(!line.contains("MetricsMode") && !line.contains("bytes"), "{line}");
    }

    #[test]
    fn a_taken_address_names_it_and_the_setting() {
        let config =
            Config::parse_from(["edgepix", "--listen=127.0.0.1:3000"], Deployment::DevServer).unwrap();
        let taken = std::io::Error::from(std::io::ErrorKind::AddrInUse);
        let message = config.bind_error(&taken);
        assert!(message.contains("127.0.0.1:3000 is already in use"), "{message}");
        assert!(message.contains("EDGEPIX_LISTEN=127.0.0.1:3001"), "{message}");
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(config.bind_error(&denied).contains("EDGEPIX_LISTEN"));
    }

    #[test]
    fn metrics_say_where_they_go() {
        let both = MetricsMode { prometheus: true, emf: true };
        assert_eq!(both.to_string(), "metrics at /metrics and as EMF log lines");
        assert_eq!(MetricsMode::default().to_string(), "metrics off");
    }
}
