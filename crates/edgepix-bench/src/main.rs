//! edgepix as a contender in `../shared/peers` (`bench-lib.sh`'s
//! `CONTENDER_CMD`), and the peak-memory probe of `benches/compare.py`:
//!
//!     edgepix-bench IMAGE ITERS WARMUP FORMATS OUTDIR   one JSON line per format
//!     edgepix-bench rss IMAGE WIDTH                     peak RSS (KiB) of one resize
//!     edgepix-bench rss-full IMAGE                      peak RSS (KiB) of a full decode
//!     edgepix-bench query IMAGE QUERY ITERS OUT         any query (an animation, say):
//!                                                       median ms, bytes, peak RSS (KiB);
//!                                                       the last run's stage times on stderr
//!
//! Same workload as the peers: the encoded original already in memory →
//! probe → decode (shrink-on-load) → resize to width 800 → encode, in this
//! thread only; JPEG q80, WebP q80, AVIF q50, PNG. `avif` uses
//! `EDGEPIX_AVIF_SPEED` and `webp` `EDGEPIX_WEBP_METHOD` (default: the server's
//! defaults), `avif-s6` speed 6 (libaom with `simd`, else rav1e). Build with
//! `cargo build --release -p edgepix-bench --features simd` for the fast codecs
//! (`target/release/edgepix-bench`).

use std::time::Instant;

use edgepix_core::{AV1_ENCODER as AV1, EncoderSettings, Limits, Output, Params, Plan, SIMD, probe, process};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["rss", image, width] => {
            let bytes = std::fs::read(image).expect("read image");
            run(&bytes, &format!("w={width}&f=jpeg&q=80"), EncoderSettings::default());
            println!("{}", peak_rss_kib());
        }
        ["rss-full", image] => {
            let bytes = std::fs::read(image).expect("read image");
            let pixels = jpeg_decoder::Decoder::new(&bytes[..]).decode().expect("a JPEG");
            assert!(!pixels.is_empty());
            println!("{}", peak_rss_kib());
        }
        ["query", image, query, iters, out] => {
            let bytes = std::fs::read(image).expect("read image");
            let mut output = run(&bytes, query, EncoderSettings::default());
            let mut samples: Vec<f64> = (0..iters.parse().expect("ITERS"))
                .map(|_| {
                    let t = Instant::now();
                    output = run(&bytes, query, EncoderSettings::default());
                    t.elapsed().as_secs_f64() * 1000.0
                })
                .collect();
            samples.sort_by(f64::total_cmp);
            std::fs::write(out, &output.bytes).expect("write output");
            let median = samples.get(samples.len() / 2).copied().unwrap_or(0.0);
            println!("{median:.1} {} {}", output.bytes.len(), peak_rss_kib());
            let t = output.timings;
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
            eprintln!(
                "last run: decode {:.1} ms, resize {:.1} ms, encode {:.1} ms",
                ms(t.decode),
                ms(t.resize),
                ms(t.encode)
            );
        }
        [image, iters, warmup, formats, outdir] => {
            let (iters, warmup) = (iters.parse().expect("ITERS"), warmup.parse().expect("WARMUP"));
            for format in formats.split(',') {
                contender(image, iters, warmup, format, outdir);
            }
        }
        _ => {
            eprintln!(
                "usage: edgepix-bench IMAGE ITERS WARMUP FORMATS OUTDIR | rss IMAGE WIDTH | rss-full IMAGE | query IMAGE QUERY ITERS OUT"
            );
            std::process::exit(2);
        }
    }
}

fn run(bytes: &[u8], query: &str, settings: EncoderSettings) -> Output {
    let limits = Limits::default();
    let probe = probe(bytes, &limits).expect("probe");
    let params = Params::parse(query, &limits).expect("query");
    process(bytes, &Plan::new(&probe, &params, &settings).expect("plan"), &limits).expect("process")
}

fn contender(image: &str, iters: usize, warmup: usize, format: &str, outdir: &str) {
    let name = std::path::Path::new(image).file_name().expect("a file").to_string_lossy().into_owned();
    let mut settings = edgepix_server::encoder_from_env().unwrap_or_else(|e| panic!("{e}"));
    let (query, setting) = match format {
        "jpeg" => ("w=800&f=jpeg&q=80", "q80 (encoder quality 78), 4:2:0, optimised Huffman".to_string()),
        "webp" => ("w=800&f=webp&q=80", format!("q80 (encoder quality 78), method {}", settings.webp_method)),
        "avif" => ("w=800&f=avif&q=50", format!("q50, {AV1} speed {}, 4:2:0", settings.avif_speed)),
        "avif-s6" => {
            settings.avif_speed = 6;
            ("w=800&f=avif&q=50", format!("q50, {AV1} speed 6, 4:2:0"))
        }
        "png" => ("w=800&f=png", "fast deflate, adaptive filter".to_string()),
        other => {
            let line = serde_json::json!({"peer": "edgepix", "image": name, "format": other, "unsupported": "unknown format"});
            println!("{line}");
            return;
        }
    };
    let bytes = std::fs::read(image).expect("read image");
    for _ in 0..warmup {
        run(&bytes, query, settings);
    }
    let (cpu0, wall0) = (cpu_seconds(), Instant::now());
    let mut samples = Vec::with_capacity(iters);
    let mut out = run(&bytes, query, settings);
    for _ in 0..iters {
        let t = Instant::now();
        out = run(&bytes, query, settings);
        samples.push((t.elapsed().as_secs_f64() * 1e5).round() / 100.0);
    }
    let cpu_over_wall = (cpu_seconds() - cpu0) / wall0.elapsed().as_secs_f64();
    std::fs::create_dir_all(outdir).expect("outdir");
    std::fs::write(format!("{outdir}/{name}.{format}"), &out.bytes).expect("write output");
    let simd = if SIMD { "simd" } else { "pure Rust" };
    let line = serde_json::json!({
        "peer": "edgepix", "image": name, "format": format, "samples_ms": samples,
        "bytes": out.bytes.len(), "out_w": out.width, "out_h": out.height,
        "cpu_over_wall": (cpu_over_wall * 100.0).round() / 100.0, "settings": setting,
        "version": format!("edgepix-core {} ({simd})", env!("CARGO_PKG_VERSION")),
    });
    println!("{line}");
}

/// User + system CPU time of this process (`/proc/self/stat`, ticks of 10 ms).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or_default().split_whitespace().collect();
    let tick = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

/// Peak resident set size of this process (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap_or_default();
    line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).unwrap_or(0)
}
