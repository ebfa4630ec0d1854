//! Allowed sizes (opt-in): only listed widths, heights and explicit
//! qualities are rendered, so a client cannot make the service produce (and
//! the CDN store) every one of 8192 widths × 100 qualities of one image.
//! Checked on the values after `dpr` (`w=200&dpr=2` is width 400), which is
//! what is rendered and cached.
//!
//! Others are refused (400) or, with the `redirect` policy, snapped to the
//! nearest allowed value (ties go up) and redirected to that canonical URL,
//! re-signed when signing is on: the client's signature was checked first,
//! so the redirect grants nothing the signed URL did not.

use edgepix_core::Params;

/// What to do with a size that is not allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizePolicy {
    /// 400 naming the parameter and the allowed values.
    Reject,
    /// 302 to the canonical URL with the nearest allowed values.
    Redirect,
}

/// The allowed values; an empty list allows any.
#[derive(Debug, Clone)]
pub struct AllowedSizes {
    widths: Vec<u32>,
    heights: Vec<u32>,
    qualities: Vec<u32>,
    policy: SizePolicy,
}

/// A value outside its list, under the `reject` policy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{name}` = {given} is not served here; allowed values (after dpr): {allowed}")]
pub struct NotAllowed {
    /// `w`, `h` or `q`.
    pub name: &'static str,
    /// The value requested (after `dpr`).
    pub given: u32,
    /// The allowed values, comma-separated.
    pub allowed: String,
}

impl AllowedSizes {
    /// Lists must be sorted (the config sorts them).
    pub fn new(widths: Vec<u32>, heights: Vec<u32>, qualities: Vec<u32>, policy: SizePolicy) -> Self {
        Self { widths, heights, qualities, policy }
    }

    /// `Ok(None)`: allowed as requested. `Ok(Some(p))`: redirect to `p`.
    pub fn check(&self, params: &Params) -> Result<Option<Params>, NotAllowed> {
        let quality = params.quality().map(u32::from);
        let checks = [("w", params.width(), &self.widths), ("h", params.height(), &self.heights)];
        let checks = checks.into_iter().chain([("q", quality, &self.qualities)]);
        let mut snapped = [params.width(), params.height(), quality];
        let mut changed = false;
        for (slot, (name, value, allowed)) in snapped.iter_mut().zip(checks) {
            let Some(value) = value.filter(|v| !allowed.is_empty() && !allowed.contains(v)) else {
                continue;
            };
            if self.policy == SizePolicy::Reject {
                let allowed = allowed.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
                return Err(NotAllowed { name, given: value, allowed });
            }
            *slot = Some(nearest(allowed, value));
            changed = true;
        }
        let [width, height, quality] = snapped;
        Ok(changed.then(|| params.with_size(width, height, quality.map(|q| q as u8))))
    }
}

/// The allowed value nearest to `value` (a tie goes to the larger).
fn nearest(allowed: &[u32], value: u32) -> u32 {
    let at = allowed.partition_point(|&a| a < value);
    match (at.checked_sub(1).map(|i| allowed[i]), allowed.get(at)) {
        (Some(below), Some(&above)) if value - below < above - value => below,
        (_, Some(&above)) => above,
        (Some(below), None) => below,
        (None, None) => value,
    }
}

#[cfg(test)]
mod tests {
    use edgepix_core::Limits;

    use super::*;

    fn params(query: &str) -> Params {
        Params::parse(query, &Limits::default()).unwrap()
    }

    fn sizes(policy: SizePolicy) -> AllowedSizes {
        AllowedSizes::new(vec![320, 640, 1280], vec![], vec![50, 80], policy)
    }

    #[test]
    fn nearest_allowed_values() {
        let allowed = [320, 640, 1280];
        let cases = [(1, 320), (320, 320), (479, 320), (480, 640), (481, 640), (5000, 1280)];
        for (value, want) in cases {
            assert_eq!(nearest(&allowed, value), want, "{value}");
        }
    }

    #[test]
    fn reject_names_the_parameter_after_dpr() {
        let reject = sizes(SizePolicy::Reject);
        assert_eq!(reject.check(&params("w=320&h=77&q=80&f=webp")), Ok(None), "heights unrestricted");
        assert_eq!(reject.check(&params("w=160&dpr=2")), Ok(None), "160 at dpr 2 is 320");
        let error = reject.check(&params("w=320&dpr=1.5")).unwrap_err();
        assert_eq!((error.name, error.given), ("w", 480));
        assert!(error.to_string().contains("320, 640, 1280"), "{error}");
        assert_eq!(reject.check(&params("w=640&q=81")).unwrap_err().name, "q");
    }

    #[test]
    fn redirect_snaps_every_listed_value() {
        let redirect = sizes(SizePolicy::Redirect);
        let snapped = redirect.check(&params("w=500&q=60&f=auto")).unwrap().unwrap();
        assert_eq!(snapped.canonical(), "f=auto&q=50&w=640");
        assert_eq!(redirect.check(&params("w=1280&f=webp")), Ok(None));
    }
}
