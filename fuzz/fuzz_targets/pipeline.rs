//! Probe + memory estimate + decode + resize + encode on arbitrary bytes:
//! errors are fine, panics, hangs and runaway allocations are not. The
//! request is derived from the input's length so that the seeds (real
//! images from ../shared/corpus, used as they are) cover many geometries.
#![no_main]

use edgepix_core::{EncoderSettings, Limits, Params, Plan, memory_estimate, probe, process, verify};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Smaller than the server's defaults, so one input stays fast and small.
    let limits = Limits { max_source_pixels: 4_000_000, max_source_bytes: 8 << 20, max_output_side: 1024, ..Limits::default() };
    let Ok(probed) = probe(data, &limits) else { return };
    let n = data.len();
    let format = ["jpeg", "png", ""][n % 3];
    let fit = ["cover", "contain", "inside", "fill"][(n / 3) % 4];
    let width = 1 + (n / 12) % 300;
    let query = match (n / 3600) % 3 {
        0 => format!("w={width}&f={format}"),
        1 => format!("w={width}&h={}&fit={fit}&f={format}", 1 + (n / 7) % 200),
        _ => String::new(),
    };
    let params = Params::parse(query.trim_end_matches("&f="), &limits).expect("query built above");
    let Ok(plan) = Plan::new(&probed, &params, &EncoderSettings::default()) else { return };
    let _ = memory_estimate(&plan, n as u64);
    if plan.is_passthrough() {
        let _ = verify(data, &probed, &limits);
    } else {
        let _ = process(data, &plan, &limits);
    }
});
