//! The AVIF (our HEIF box parser + rav1d), JPEG XL (jxl-oxide) and, where
//! built, HEIC decoders on arbitrary bytes: probe, then a complete decode.
//! Seeded only with AVIF/JPEG XL/HEIC files (the corpus's and the generated
//! golden originals), so its time goes to the container parsers and the
//! decoders rather than to JPEG and PNG, which the pipeline target covers.
#![no_main]

use edgepix_core::{Limits, probe, verify};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_source_pixels: 4_000_000, max_source_bytes: 8 << 20, ..Limits::default() };
    if let Ok(probed) = probe(data, &limits) {
        let _ = verify(data, &probed, &limits);
    }
});
