//! Animated originals resized to `w=200` as animated WebP and GIF, against
//! Pillow's composited frames resized with Lanczos
//! (`tests/golden/anim_refs.py`, run by `make_refs.py`): the loop count and
//! the timeline are the source's, every frame is within a SSIMULACRA2
//! threshold of the reference frame shown at the same moment, and alpha
//! survives in WebP.
//!
//! Both outputs keep every frame: libwebp's animation encoder folds a frame
//! it finds equal to the one before into that frame's duration, and
//! edgepix-webp gives such frames back (`timeline.rs`).
//!
//! Thresholds: the scores sharp 0.35 gets on the same work, less a margin
//! (BENCHMARKS.md, "Animations"). GIF from an alpha WebP scores lower: GIF
//! transparency is one bit.
//!
//! Ignored by default (needs the corpus and the references):
//! `EDGEPIX_CORPUS=../shared/corpus EDGEPIX_GOLDEN_REFS=target/golden cargo test -p edgepix-core --test animation -- --include-ignored`

mod common;

use std::path::PathBuf;

use common::anim::{Animation, decode, reference, scores};
use edgepix_core::EncoderSettings;

/// (original, output format, worst frame's least score)
const CASES: [(&str, &str, f64); 4] = [
    ("gif-animated-44-frames.gif", "webp", 62.0),
    ("gif-animated-44-frames.gif", "gif", 79.0),
    ("webp-animated-14-frames.webp", "webp", 60.0),
    ("webp-animated-14-frames.webp", "gif", 55.0),
];

fn references() -> PathBuf {
    let dir = std::env::var("EDGEPIX_GOLDEN_REFS")
        .expect("EDGEPIX_GOLDEN_REFS (python3 tests/golden/make_refs.py)");
    common::workspace().join(dir)
}

fn has_alpha(a: &Animation) -> bool {
    a.frames.iter().any(|f| f.pixels().any(|p| p.0[3] < 255))
}

#[test]
#[ignore = "needs the corpus (EDGEPIX_CORPUS) and the references (EDGEPIX_GOLDEN_REFS): cargo test -- --include-ignored"]
fn animations_keep_their_frames_timeline_loop_and_look() {
    let refs = references();
    for (file, format, least) in CASES {
        let case = format!("{file} -> {format}");
        let bytes = std::fs::read(common::corpus().join(file)).expect("corpus file");
        let out = common::render_bytes(&bytes, &format!("w=200&f={format}"), &EncoderSettings::default());
        let ours = decode(&out);
        let (reference, width) = reference(&refs, file);
        assert!(ours.frames.iter().all(|f| f.width() == width), "{case}: width");
        assert_eq!(ours.loops, reference.loops, "{case}: loop count");
        assert_eq!(ours.frames.len(), reference.frames.len(), "{case}: frame count");
        // GIF counts hundredths.
        let delays: Vec<u32> = if format == "gif" {
            reference.delays_ms.iter().map(|d| (d + 5) / 10 * 10).collect()
        } else {
            reference.delays_ms.clone()
        };
        assert_eq!(ours.delays_ms, delays, "{case}: delays");
        let expected = reference;
        if format == "webp" {
            assert_eq!(has_alpha(&ours), has_alpha(&expected), "{case}: alpha");
        }
        let scores = scores(&expected, &ours);
        let worst = scores.iter().copied().fold(f64::INFINITY, f64::min);
        let mean = scores.iter().sum::<f64>() / scores.len() as f64;
        println!(
            "{case}: {} frames, {} bytes, SSIMULACRA2 mean {mean:.1} worst {worst:.1}",
            scores.len(),
            out.len()
        );
        assert!(worst >= least, "{case}: a frame scores {worst:.1} (< {least}); all: {scores:.1?}");
    }
}
