//! What the timing examples share: reading `IMAGE [ITERS]` from the command
//! line, and running their lanes in turns so machine noise falls on all of
//! them alike, then printing each lane's median.

use std::{fmt::Display, time::Instant};

/// The image's bytes and the number of rounds, from `IMAGE [ITERS]`; exits
/// with `usage` when there is no image.
pub fn image_and_iters(usage: &str, default_iters: usize) -> (Vec<u8>, usize) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(image) = args.first() else {
        eprintln!("usage: {usage}");
        std::process::exit(2);
    };
    let iters = args.get(1).map_or(default_iters, |n| n.parse().expect("ITERS"));
    (std::fs::read(image).expect("read image"), iters)
}

/// Runs `lane(i)` for every lane in each of `iters` rounds, timing each call,
/// and prints `name: median ms` per lane.
pub fn run_in_turns(names: &[impl Display], iters: usize, mut lane: impl FnMut(usize)) {
    let mut samples = vec![Vec::with_capacity(iters); names.len()];
    for _ in 0..iters {
        for (i, ms) in samples.iter_mut().enumerate() {
            let start = Instant::now();
            lane(i);
            ms.push(start.elapsed().as_secs_f64() * 1e3);
        }
    }
    for (name, mut ms) in names.iter().zip(samples) {
        ms.sort_by(f64::total_cmp);
        println!("{name}: {:.2} ms (median of {iters})", ms[iters / 2]);
    }
}
