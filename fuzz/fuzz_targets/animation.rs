//! The animation path on arbitrary bytes: frame counting from the headers,
//! compositing (offsets, disposal), per-frame resizing and the animated
//! WebP and GIF encoders. Seeded with the corpus's GIFs and WebPs, an APNG
//! made from one, and the hostile animations of tests/hostile/. Limits are small so that one
//! input stays fast; errors are fine, panics, hangs and runaway
//! allocations are not.
#![no_main]

use edgepix_core::{EncoderSettings, Limits, Params, Plan, memory_estimate, probe, process};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_source_pixels: 1_000_000,
        max_source_bytes: 4 << 20,
        max_output_side: 512,
        max_frames: 64,
        max_animation_pixels: 4_000_000,
        ..Limits::default()
    };
    let Ok(probed) = probe(data, &limits) else { return };
    let n = data.len();
    let query = format!("w={}&f={}", 1 + (n / 5) % 120, ["gif", "webp"][n % 2]);
    let params = Params::parse(&query, &limits).expect("query built above");
    let Ok(plan) = Plan::new(&probed, &params, &EncoderSettings::default()) else { return };
    let _ = memory_estimate(&plan, n as u64);
    let _ = process(data, &plan, &limits);
});
