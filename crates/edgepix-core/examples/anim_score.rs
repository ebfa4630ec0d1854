//! How an animated output (ours or a peer's) compares with the reference
//! frames of `tests/golden/anim_refs.py`, for BENCHMARKS.md:
//!
//!     cargo run --release -p edgepix-core --example anim_score -- REFS FILE OUTPUT
//!
//! prints frames, loop, bytes, and the mean and worst frame's SSIMULACRA2
//! (each frame against the reference frame shown when it starts).

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [refs, file, output] = &args[..] else {
        eprintln!("usage: anim_score REFS FILE OUTPUT");
        std::process::exit(2);
    };
    let (reference, _) = common::anim::reference(refs.as_ref(), file);
    let bytes = std::fs::read(output).expect("read output");
    let ours = common::anim::decode(&bytes);
    // Frames an encoder folded into the one before are judged at the moment each shown frame starts.
    let expected = common::anim::aligned(&reference, &ours, output);
    let scores = common::anim::scores(&expected, &ours);
    let mean = scores.iter().sum::<f64>() / scores.len().max(1) as f64;
    let worst = scores.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "frames {} (reference {}) loop {:?} bytes {} mean {mean:.2} worst {worst:.2}",
        ours.frames.len(),
        reference.frames.len(),
        ours.loops,
        bytes.len()
    );
}
