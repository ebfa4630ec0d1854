//! Criterion benches on corpus photos (`EDGEPIX_CORPUS`, default
//! `../shared/corpus`; skipped with a message when absent):
//!
//! - `pipeline/<image>/<format>`: probe → decode → resize → encode, width 800;
//! - `stage/<image>/{decode,resize,encode-<format>}`: the same runs, timed by
//!   the pipeline's own per-stage clocks (`Output::timings`), so each stage
//!   is measured exactly as it runs in production, shrink-on-load included;
//! - `crop/<pos>`: the resize stage of a 12 MP phone photo (EXIF 6) to a
//!   400×400 cover crop, so `attention` and `entropy` minus `center` is what
//!   the content analysis costs.
//!
//! `cargo bench -p edgepix-core --features simd` for the release codecs.

use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use edgepix_core::{EncoderSettings, Limits, Output, Params, Plan, Timings, probe, process};

const IMAGES: [&str; 3] = ["photo-6mp-2725x2225.jpg", "photo-24mp-4000x6000.jpg", "png-rgba-2048x1536.png"];
/// The most common original there is, for the crop-position benches.
const PHONE: &str = "photo-12mp-exif-orientation-6.jpg";
const FORMATS: [&str; 4] = ["jpeg", "webp", "png", "avif"];

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("EDGEPIX_CORPUS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
        PathBuf::from,
    );
    dir.join("MANIFEST.tsv").exists().then_some(dir)
}

fn run(bytes: &[u8], query: &str) -> Output {
    let limits = Limits::default();
    let probe = probe(bytes, &limits).expect("probe");
    let params = Params::parse(query, &limits).expect("query");
    process(bytes, &Plan::new(&probe, &params, &EncoderSettings::default()).expect("plan"), &limits)
        .expect("process")
}

/// Criterion's `iter_custom` with the time of one stage of each run.
fn stage(bytes: &[u8], query: &str, iters: u64, pick: fn(&Timings) -> Duration) -> Duration {
    (0..iters).map(|_| pick(&run(bytes, query).timings)).sum()
}

fn benches(c: &mut Criterion) {
    let Some(corpus) = corpus() else {
        eprintln!("no corpus (set EDGEPIX_CORPUS): skipping the benches");
        return;
    };
    for image in IMAGES {
        let bytes = std::fs::read(corpus.join(image)).expect("read corpus image");
        let mut group = c.benchmark_group(format!("pipeline/{image}"));
        group.sample_size(10).measurement_time(Duration::from_secs(5));
        for format in FORMATS {
            let query = format!("w=800&f={format}");
            group.bench_function(format, |b| b.iter(|| run(&bytes, &query)));
        }
        group.finish();
        let mut group = c.benchmark_group(format!("stage/{image}"));
        group.sample_size(10).measurement_time(Duration::from_secs(3));
        let png = "w=800&f=png";
        group.bench_function("decode", |b| b.iter_custom(|n| stage(&bytes, png, n, |t| t.decode)));
        group.bench_function("resize", |b| b.iter_custom(|n| stage(&bytes, png, n, |t| t.resize)));
        for format in FORMATS {
            let query = format!("w=800&f={format}");
            group.bench_function(format!("encode-{format}"), |b| {
                b.iter_custom(|n| stage(&bytes, &query, n, |t| t.encode))
            });
        }
        group.finish();
    }
    let bytes = std::fs::read(corpus.join(PHONE)).expect("read corpus image");
    let mut group = c.benchmark_group("crop");
    group.sample_size(20).measurement_time(Duration::from_secs(5));
    for pos in ["center", "attention", "entropy"] {
        let query = format!("w=400&h=400&f=png&pos={pos}");
        group.bench_function(pos, |b| b.iter_custom(|n| stage(&bytes, &query, n, |t| t.resize)));
    }
    group.finish();
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
