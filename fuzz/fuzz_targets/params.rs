//! The query parser: any bytes either fail with an error or give parameters
//! whose canonical query is a fixed point (parsing it gives it back, with no
//! signature fields), the property the cache key and the CloudFront Function
//! rely on.
#![no_main]

use edgepix_core::{Limits, Params};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else { return };
    let limits = Limits::default();
    if let Ok((params, _)) = Params::parse_signed(query, &limits) {
        let canonical = params.canonical();
        let again = Params::parse(&canonical, &limits).expect("the canonical query is rejected");
        assert_eq!(again.canonical(), canonical, "canonical query is not a fixed point");
    }
});
