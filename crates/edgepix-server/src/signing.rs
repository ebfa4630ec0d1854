//! Signed URLs (opt-in): `s` is an HMAC-SHA256 over the object key and the
//! canonical query, base64url without padding; `exp` (unix seconds), when
//! present, is covered too. Signing the *canonical* query means that any
//! spelling of one request (order, case, `jpg`, `dpr`) carries one
//! signature, and that no parameter can be added, removed or changed
//! without breaking it. The signature is not part of the cache key.
//!
//! The signed message, for an implementation in another language:
//! `"/" + key + "?" + canonical` and, when `exp` is given, `"&exp=" + exp`
//! (e.g. `/photos/tom.jpg?f=webp&w=200&exp=1767225600`). `key` is the
//! percent-decoded path without its leading `/`.
//!
//! Two keys allow rotation: any configured key verifies, the first signs.
//! Comparison is constant-time (`Mac::verify_slice`).
//!
//! `f=auto` and the CloudFront Function: the edge replaces `f=auto` with the
//! negotiated format (or drops `f`), so the origin sees `f=webp`, `f=avif`
//! or no `f` for a URL signed with `f=auto`. Such a request also verifies
//! against the same query with `f=auto`: it grants nothing more, since the
//! client picks the outcome of `f=auto` through its `Accept` header anyway.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use edgepix_core::{OutputFormat, Params, SignatureFields};
use edgepix_storage::ObjectKey;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Why a request's signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// Signing is on and the URL has no `s`.
    #[error("this server only serves signed URLs: `s` is missing")]
    Missing,
    /// `s` does not match the path and parameters (or is not base64url).
    #[error("the signature does not match this URL")]
    Invalid,
    /// `exp` is in the past.
    #[error("the signed URL expired at {0} (unix seconds)")]
    Expired(u64),
    /// `s` or `exp` was given but this server has no signing keys.
    #[error("this server does not check signatures: remove `s` and `exp`")]
    NotConfigured,
}

/// The configured keys (one or two).
#[derive(Clone)]
pub struct Signer {
    keys: Vec<Vec<u8>>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print keys, not even in a debug log of the configuration.
        write!(f, "Signer({} key(s))", self.keys.len())
    }
}

impl Signer {
    /// A signer from one or more keys; the first signs.
    pub fn new(keys: Vec<Vec<u8>>) -> Self {
        assert!(!keys.is_empty(), "a signer needs a key");
        Self { keys }
    }

    /// The signature (`s`) for a key and an already canonical query.
    pub fn sign(&self, key: &ObjectKey, canonical: &str, expires: Option<u64>) -> String {
        let mac = mac(&self.keys[0], &message(key, canonical, expires));
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// The signed query for `params` (canonicalised): `canonical&exp=…&s=…`.
    pub fn signed_query(&self, key: &ObjectKey, params: &Params, expires: Option<u64>) -> String {
        let canonical = params.canonical();
        let s = self.sign(key, &canonical, expires);
        let mut query = canonical;
        if let Some(exp) = expires {
            push(&mut query, &format!("exp={exp}"));
        }
        push(&mut query, &format!("s={s}"));
        query
    }

    /// Check a request's signature against its parsed parameters at `now`
    /// (unix seconds).
    pub fn verify(
        &self,
        key: &ObjectKey,
        params: &Params,
        fields: &SignatureFields,
        now: u64,
    ) -> Result<(), SignatureError> {
        let given = fields.signature.as_deref().ok_or(SignatureError::Missing)?;
        let given = URL_SAFE_NO_PAD.decode(given).map_err(|_| SignatureError::Invalid)?;
        let candidates = candidates(params);
        let valid = candidates.iter().any(|canonical| {
            let message = message(key, canonical, fields.expires);
            self.keys.iter().any(|k| mac(k, &message).verify_slice(&given).is_ok())
        });
        if !valid {
            return Err(SignatureError::Invalid);
        }
        // Checked after the MAC: an attacker cannot learn anything from which
        // error a forged expiry gives.
        match fields.expires {
            Some(exp) if now > exp => Err(SignatureError::Expired(exp)),
            _ => Ok(()),
        }
    }
}

/// The canonical queries a request may have been signed as: its own, and
/// for what the edge makes of `f=auto` (a concrete format, whose default
/// `q` it drops, or no `f`), the query with `f=auto`.
fn candidates(params: &Params) -> Vec<String> {
    let mut candidates = vec![params.canonical()];
    let from_auto = matches!(params.format(), None | Some(OutputFormat::Webp | OutputFormat::Avif));
    if !params.is_auto() && from_auto {
        candidates.push(params.auto().canonical());
        // A numeric default the edge dropped; not `q=auto`, which it keeps.
        if let (Some(format), None, false) = (params.format(), params.quality(), params.is_auto_quality()) {
            let quality = Some(format.default_quality());
            candidates.push(params.with_size(params.width(), params.height(), quality).auto().canonical());
        }
    }
    candidates
}

fn push(query: &mut String, pair: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str(pair);
}

fn message(key: &ObjectKey, canonical: &str, expires: Option<u64>) -> String {
    match expires {
        Some(exp) => format!("/{key}?{canonical}&exp={exp}"),
        None => format!("/{key}?{canonical}"),
    }
}

fn mac(key: &[u8], message: &str) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message.as_bytes());
    mac
}

#[cfg(test)]
mod tests {
    use edgepix_core::Limits;

    use super::*;

    fn parsed(query: &str) -> (Params, SignatureFields) {
        Params::parse_signed(query, &Limits::default()).unwrap()
    }

    #[test]
    fn known_answer() {
        // Independent check: python3 -c "import hmac,hashlib,base64;print(base64.urlsafe_b64encode(
        //   hmac.new(b'secret',b'/a.jpg?w=10&exp=5',hashlib.sha256).digest()).rstrip(b'=').decode())"
        let signer = Signer::new(vec![b"secret".to_vec()]);
        let key = ObjectKey::parse("a.jpg").unwrap();
        assert_eq!(signer.sign(&key, "w=10", Some(5)), KNOWN_ANSWER);
    }

    const KNOWN_ANSWER: &str = "D4kAX3sByFBN04RWjh0j7Cs5gUH8eRBSQnqujcm7Aoc";

    #[test]
    fn any_spelling_of_a_signed_request_verifies() {
        let signer = Signer::new(vec![b"k1".to_vec()]);
        let key = ObjectKey::parse("p/x.png").unwrap();
        let query = signer.signed_query(&key, &parsed("w=100&f=jpg").0, None);
        let s = query.rsplit_once("s=").unwrap().1;
        let (params, fields) = parsed(&format!("F=JPEG&s={s}&w=50&dpr=2"));
        assert_eq!(signer.verify(&key, &params, &fields, 0), Ok(()));
    }

    #[test]
    fn auto_signature_covers_what_the_edge_resolves() {
        let signer = Signer::new(vec![b"k1".to_vec()]);
        let key = ObjectKey::parse("x.jpg").unwrap();
        let s = signer.sign(&key, "f=auto&w=10", None);
        for query in ["f=auto&w=10", "f=webp&w=10", "f=avif&w=10", "w=10"] {
            let (params, fields) = parsed(&format!("{query}&s={s}"));
            assert_eq!(signer.verify(&key, &params, &fields, 0), Ok(()), "{query}");
        }
        let s = signer.sign(&key, "f=auto&q=80&w=10", None);
        let (params, fields) = parsed(&format!("f=webp&w=10&s={s}"));
        assert_eq!(signer.verify(&key, &params, &fields, 0), Ok(()), "edge dropped webp's default q");
        for query in ["f=png&w=10", "f=jpeg&w=10", "f=webp&w=11", "f=webp&q=81&w=10", "f=webp&q=auto&w=10"] {
            let (params, fields) = parsed(&format!("{query}&s={s}"));
            assert_eq!(signer.verify(&key, &params, &fields, 0), Err(SignatureError::Invalid), "{query}");
        }
        let s = signer.sign(&key, "f=auto&q=auto&w=10", None);
        let (params, fields) = parsed(&format!("f=webp&q=auto&w=10&s={s}"));
        assert_eq!(signer.verify(&key, &params, &fields, 0), Ok(()), "q=auto survives the edge");
    }
}
