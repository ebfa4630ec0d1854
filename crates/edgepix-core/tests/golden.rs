//! Golden tests: edgepix's output for each corpus category against a
//! reference rendered by a pipeline that shares no code with it (Pillow +
//! LittleCMS, `tests/golden/make_refs.py`), compared with SSIMULACRA2; the
//! cases and thresholds are in `tests/golden/cases.json`. Output is PNG so
//! that the pipeline, not an encoder, is judged.
//!
//! Thresholds: SSIMULACRA2 >= 80 ("very high quality": what remains is the
//! difference between two Lanczos implementations and shrink-on-load).
//! For colour-managed cases the same test also runs the pipeline on the
//! original with its ICC profile stripped (what an unmanaged converter
//! produces) and asserts that it FAILS the threshold, so the test can tell.
//!
//! References come from `EDGEPIX_GOLDEN_REFS` (a folder made by the script),
//! else the script is run into the target folder. The tests are ignored by
//! default (they need the corpus and Pillow; `-- --include-ignored` runs
//! them, as CI does) and fail, saying why, when run without them.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use edgepix_core::EncoderSettings;

#[derive(serde::Deserialize)]
struct Cases {
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    file: String,
    w: u32,
    metric: String,
    min: Option<f64>,
    max: Option<u8>,
    #[serde(default)]
    unmanaged_below: bool,
    #[serde(default)]
    unmanaged_above: bool,
    /// The cargo feature the input format needs (`heic`), if any.
    #[serde(default)]
    feature: Option<String>,
}

fn references(corpus: &Path) -> PathBuf {
    if let Ok(dir) = std::env::var("EDGEPIX_GOLDEN_REFS") {
        return common::workspace().join(dir);
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("golden");
    let script = common::workspace().join("tests/golden/make_refs.py");
    let made =
        Command::new("python3").arg(script).arg("--corpus").arg(corpus).arg("--out").arg(&out).output();
    let made = made.unwrap_or_else(|e| panic!("cannot run python3: {e}"));
    assert!(
        made.status.success(),
        "make_refs.py failed (Pillow missing?): {}",
        String::from_utf8_lossy(&made.stderr)
    );
    out
}

#[test]
#[ignore = "needs the test corpus (EDGEPIX_CORPUS, default ../shared/corpus) and Pillow: cargo test -- --include-ignored"]
fn corpus_matches_colour_managed_references() {
    let corpus = common::corpus();
    let refs = references(&corpus);
    let cases: Cases = serde_json::from_str(
        &std::fs::read_to_string(common::workspace().join("tests/golden/cases.json")).unwrap(),
    )
    .unwrap();
    let settings = EncoderSettings::default();
    let mut failures = Vec::new();
    for case in &cases.cases {
        if !in_this_build(case) {
            continue;
        }
        let bytes = std::fs::read(corpus.join(&case.file)).unwrap();
        let reference = image::open(refs.join(format!("{}.w{}.png", case.file, case.w))).unwrap();
        let query = format!("w={}&f=png", case.w);
        let (ours, _) = common::render(&bytes, &query, &settings);
        let (score, pass) = judge(case, &reference, &ours);
        let mut line = format!("{:38} {} {score:7.2}", case.file, case.metric);
        if !pass {
            failures.push(format!("{}: {} {score:.2}", case.file, case.metric));
        }
        if case.unmanaged_below || case.unmanaged_above {
            let (unmanaged, _) = common::render(&strip_icc(&bytes), &query, &settings);
            let (score, pass) = judge(case, &reference, &unmanaged);
            line += &format!("   unmanaged {score:7.2}");
            if pass {
                failures.push(format!("{}: the unmanaged output passes too ({score:.2})", case.file));
            }
        }
        eprintln!("{line}");
    }
    assert!(failures.is_empty(), "golden failures:\n{}", failures.join("\n"));
}

/// The generated originals (`tests/golden/generated.py`: AVIF bit depths,
/// chroma layouts, alpha, rotation, mirroring, clean aperture, grid, P3,
/// PQ and HLG; JPEG XL; HEIC with the `heic` feature) against references
/// computed from the pictures they were made from.
#[test]
#[ignore = "needs the test corpus, Pillow, avifenc, cjxl and heif-enc: cargo test -- --include-ignored"]
fn generated_originals_match_their_sources() {
    let corpus = common::corpus();
    let refs = references(&corpus);
    let listed = refs.join("generated/cases.json");
    let text = std::fs::read_to_string(&listed)
        .unwrap_or_else(|e| panic!("no {} (avifenc, cjxl, heif-enc missing?): {e}", listed.display()));
    let cases: Cases = serde_json::from_str(&text).unwrap();
    let mut failures = Vec::new();
    for case in &cases.cases {
        if !in_this_build(case) {
            continue;
        }
        let bytes = std::fs::read(refs.join("generated").join(&case.file)).unwrap();
        let reference = image::open(refs.join(format!("{}.w{}.png", case.file, case.w))).unwrap();
        let (ours, _) = common::render(&bytes, &format!("w={}&f=png", case.w), &EncoderSettings::default());
        let (score, pass) = judge(case, &reference, &ours);
        eprintln!("{:38} {} {score:7.2}", case.file, case.metric);
        if !pass {
            failures.push(format!("{}: {} {score:.2}", case.file, case.metric));
        }
    }
    assert!(failures.is_empty(), "generated failures:\n{}", failures.join("\n"));
}

/// Whether this build has the cargo feature a case needs (only `heic` so
/// far; an unknown name is off); a case it lacks is skipped, saying so.
fn in_this_build(case: &Case) -> bool {
    let Some(feature) = case.feature.as_deref() else { return true };
    let on = feature == "heic" && cfg!(feature = "heic");
    if !on {
        eprintln!("{:38} needs the `{feature}` feature: not in this build", case.file);
    }
    on
}

/// The score and whether it meets the case's threshold.
fn judge(case: &Case, reference: &image::DynamicImage, ours: &image::DynamicImage) -> (f64, bool) {
    match case.metric.as_str() {
        "ssimulacra2" => {
            let score = common::ssimulacra2(reference, ours);
            (score, score >= case.min.expect("min"))
        }
        "max_error" => {
            let error = common::max_error(reference, ours);
            (f64::from(error), error <= case.max.expect("max"))
        }
        other => panic!("unknown metric {other}"),
    }
}

/// The same file without its ICC profile (JPEG APP2 `ICC_PROFILE` segments,
/// PNG `iCCP`, TIFF tag 34675 is left: TIFF cases are stripped by zeroing the
/// tag's type, which makes decoders skip it).
fn strip_icc(bytes: &[u8]) -> Vec<u8> {
    match bytes {
        [0xFF, 0xD8, ..] => strip_jpeg(bytes),
        [0x89, b'P', b'N', b'G', ..] => strip_png(bytes),
        [b'M', b'M', ..] | [b'I', b'I', ..] => strip_tiff(bytes),
        _ => panic!("no ICC stripping for this format"),
    }
}

fn strip_jpeg(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes[..2].to_vec();
    let mut at = 2;
    while bytes[at] == 0xFF && bytes[at + 1] != 0xDA {
        let end = at + 2 + usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        if !(bytes[at + 1] == 0xE2 && bytes[at + 4..].starts_with(b"ICC_PROFILE")) {
            out.extend_from_slice(&bytes[at..end]);
        }
        at = end;
    }
    out.extend_from_slice(&bytes[at..]);
    out
}

fn strip_png(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes[..8].to_vec();
    let mut at = 8;
    while at < bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let end = at + 12 + len;
        if &bytes[at + 4..at + 8] != b"iCCP" {
            out.extend_from_slice(&bytes[at..end]);
        }
        at = end;
    }
    out
}

fn strip_tiff(bytes: &[u8]) -> Vec<u8> {
    let big = bytes[0] == b'M';
    let u16_at = |b: &[u8], i: usize| {
        let v = [b[i], b[i + 1]];
        if big { u16::from_be_bytes(v) } else { u16::from_le_bytes(v) }
    };
    let ifd = {
        let v = [bytes[4], bytes[5], bytes[6], bytes[7]];
        (if big { u32::from_be_bytes(v) } else { u32::from_le_bytes(v) }) as usize
    };
    let mut out = bytes.to_vec();
    for i in 0..usize::from(u16_at(bytes, ifd)) {
        let entry = ifd + 2 + 12 * i;
        if u16_at(bytes, entry) == 34675 {
            // Retag as an unknown private tag: the profile is no longer found.
            let unknown: [u8; 2] = if big { 65000u16.to_be_bytes() } else { 65000u16.to_le_bytes() };
            out[entry..entry + 2].copy_from_slice(&unknown);
        }
    }
    out
}
