//! Helper for `benches/auto_quality.py` (`q=auto` against fixed qualities):
//!
//!     auto_quality IMAGE WIDTH FORMAT score
//!     auto_quality IMAGE WIDTH FORMAT time ITERS Q
//!
//! IMAGE resized to WIDTH as FORMAT (jpeg, webp, avif); one JSON line.
//! - `score`: bytes at every `q` of a 5-step grid (20 to 100) and the
//!   lowest grid `q` whose output scores at least 70 (`pass_q`, by binary
//!   search, so it assumes scores rise with `q`); what `q=auto` chose, its
//!   bytes and its score.
//! - `time`: median pipeline time of `q=auto` and of `q=Q`, ITERS runs
//!   each, interleaved.
//!
//! Scores come from the `ssimulacra2` crate (the golden tests' scorer, not
//! the search's own implementation), against the pipeline's own lossless
//! (PNG) output at the same size: the reference the search itself uses.

use std::time::Instant;

use edgepix_core::{EncoderSettings, Limits, Params, Plan, probe, process};
use image::RgbImage;
use ssimulacra2::{ColorPrimaries, Rgb, TransferCharacteristic, compute_frame_ssimulacra2};

/// The fixed-quality grid, in fives.
const GRID: std::ops::RangeInclusive<u8> = 4..=20;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bytes = |path: &str| std::fs::read(path).expect("read image");
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [image, width, format, "score"] => scores(image, &bytes(image), width, format),
        [image, width, format, "time", iters, q] => {
            times(image, &bytes(image), width, format, iters.parse().expect("ITERS"), q)
        }
        _ => {
            eprintln!("usage: auto_quality IMAGE WIDTH FORMAT score | IMAGE WIDTH FORMAT time ITERS Q");
            std::process::exit(2);
        }
    }
}

fn scores(image: &str, bytes: &[u8], width: &str, format: &str) {
    let run = |query: &str| render(bytes, query);
    let reference = decode(&run(&format!("w={width}&f=png")).0);
    let score = |b: &[u8]| score(&reference, &decode(b));
    let at = |q: u8| run(&format!("w={width}&f={format}&q={q}")).0;
    let grid: Vec<(u8, usize)> = GRID.map(|s| s * 5).map(|q| (q, at(q).len())).collect();
    let (mut lo, mut hi) = (0, grid.len()); // the first passing index is in lo..=hi
    while lo < hi {
        let mid = (lo + hi) / 2;
        if score(&at(grid[mid].0)) >= 70.0 { hi = mid } else { lo = mid + 1 }
    }
    let pass_q = grid.get(lo).map_or("null".into(), |g| g.0.to_string());
    let (auto_bytes, auto_q) = run(&format!("w={width}&f={format}&q=auto"));
    let auto_score = score(&auto_bytes);
    let grid: Vec<String> = grid.iter().map(|(q, b)| format!("[{q}, {b}]")).collect();
    println!(
        "{{\"image\": \"{image}\", \"width\": {width}, \"format\": \"{format}\", \"grid\": [{}], \"pass_q\": {pass_q}, \
         \"auto\": {{\"q\": {}, \"bytes\": {}, \"score\": {auto_score:.3}}}}}",
        grid.join(", "),
        auto_q.map_or("null".into(), |q| q.to_string()),
        auto_bytes.len(),
    );
}

fn times(image: &str, bytes: &[u8], width: &str, format: &str, iters: usize, q: &str) {
    let queries = [format!("w={width}&f={format}&q=auto"), format!("w={width}&f={format}&q={q}")];
    let mut times = [Vec::new(), Vec::new()];
    for _ in 0..iters {
        for (query, times) in queries.iter().zip(&mut times) {
            let start = Instant::now();
            render(bytes, query);
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let [auto, fixed] = times.map(|mut t| {
        t.sort_by(f64::total_cmp);
        t.get(t.len() / 2).copied().unwrap_or(f64::NAN)
    });
    println!(
        "{{\"image\": \"{image}\", \"width\": {width}, \"format\": \"{format}\", \"q\": {q}, \"auto_ms\": {auto:.2}, \"fixed_ms\": {fixed:.2}}}"
    );
}

/// Run the pipeline: the output's bytes and, for `q=auto`, the chosen `q`.
fn render(bytes: &[u8], query: &str) -> (Vec<u8>, Option<u8>) {
    let limits = Limits::default();
    let probe = probe(bytes, &limits).expect("probe");
    let params = Params::parse(query, &limits).expect("query");
    let plan = Plan::new(&probe, &params, &EncoderSettings::default()).expect("plan");
    let out = process(bytes, &plan, &limits).expect("process");
    (out.bytes, out.auto_quality.map(|a| a.quality))
}

fn decode(bytes: &[u8]) -> RgbImage {
    image::load_from_memory(bytes).map(|i| i.to_rgb8()).unwrap_or_else(|_| {
        // AVIF: image has no AVIF decoder here; go through the pipeline as PNG.
        let png = render(bytes, "f=png").0;
        image::load_from_memory(&png).expect("decode").to_rgb8()
    })
}

fn score(reference: &RgbImage, distorted: &RgbImage) -> f64 {
    let frame = |img: &RgbImage| {
        let px = img.pixels().map(|p| p.0.map(|v| f32::from(v) / 255.0)).collect();
        Rgb::new(
            px,
            img.width() as usize,
            img.height() as usize,
            TransferCharacteristic::SRGB,
            ColorPrimaries::BT709,
        )
        .expect("frame")
    };
    compute_frame_ssimulacra2(frame(reference), frame(distorted)).expect("score")
}
