//! Sign edgepix URLs: what a site's backend does when it renders `<img>` tags
//! for a server running with `EDGEPIX_SIGNING_KEYS`.
//!
//! ```text
//! EDGEPIX_SIGNING_KEYS=… cargo run -p edgepix-server --example sign -- \
//!     [--ttl SECONDS] 'photos/tom.jpg?w=200&f=webp' …
//! ```
//!
//! Prints one `/key?canonical&exp=…&s=…` per argument. The key is given
//! unencoded (as stored); the query in any spelling (it is canonicalised
//! first, so the output is the URL the CloudFront Function would forward).
//! The first configured key signs. Any language can do the same: see the
//! message format in `crates/edgepix-server/src/signing.rs`.

use std::time::{SystemTime, UNIX_EPOCH};

use edgepix_core::{Limits, Params};
use edgepix_server::Signer;
use edgepix_storage::ObjectKey;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let keys = std::env::var("EDGEPIX_SIGNING_KEYS").map_err(|_| "set EDGEPIX_SIGNING_KEYS")?;
    let signer = Signer::new(keys.split(',').map(|k| k.trim().as_bytes().to_vec()).collect());
    let mut args = std::env::args().skip(1).peekable();
    let mut expires = None;
    if args.peek().map(String::as_str) == Some("--ttl") {
        let ttl: u64 = args.nth(1).ok_or("--ttl needs seconds")?.parse()?;
        expires = Some(SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() + ttl);
    }
    for url in args {
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        let key = ObjectKey::parse(path.trim_start_matches('/'))?;
        let params = Params::parse(query, &Limits::default())?;
        println!("/{}?{}", encode(key.as_str()), signer.signed_query(&key, &params, expires));
    }
    Ok(())
}

/// Percent-encode a key for a URL path (unreserved characters and `/` kept).
fn encode(key: &str) -> String {
    key.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
