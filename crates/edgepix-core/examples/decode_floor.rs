//! How much of a JPEG decode no DCT scaling can skip, with the libjpeg-turbo
//! that edgepix builds (`--features simd`):
//!
//!     decode_floor IMAGE [ITERS]   median ms to YCbCr planes at 8/8, 4/8, 2/8, 1/8
//!
//! Every scale still Huffman-decodes every coefficient of every block; the
//! scales differ only in the inverse DCT and the pixels written. So the 1/8
//! time is close to the floor of any decode, and the gap between 8/8 and the
//! scale the 2× shrink-on-load rule allows is what a faster inverse DCT could
//! still win. The scales take turns in each round, so machine noise falls on
//! all of them alike.

use std::time::Instant;

use turbojpeg::{Decompressor, ScalingFactor, YuvImage};

const SCALES: [usize; 4] = [8, 4, 2, 1];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(image) = args.first() else {
        eprintln!("usage: decode_floor IMAGE [ITERS]");
        std::process::exit(2);
    };
    let iters: usize = args.get(1).map_or(31, |n| n.parse().expect("ITERS"));
    let bytes = std::fs::read(image).expect("read image");
    let mut samples = vec![Vec::with_capacity(iters); SCALES.len()];
    for _ in 0..iters {
        for (i, &eighths) in SCALES.iter().enumerate() {
            samples[i].push(decode_ms(&bytes, eighths));
        }
    }
    for (eighths, mut ms) in SCALES.into_iter().zip(samples) {
        ms.sort_by(f64::total_cmp);
        println!("{eighths}/8: {:.2} ms (median of {iters})", ms[iters / 2]);
    }
}

/// One decode of `bytes` to planes at `eighths`/8, timed from the header on.
fn decode_ms(bytes: &[u8], eighths: usize) -> f64 {
    let start = Instant::now();
    let mut decompressor = Decompressor::new().expect("a decompressor");
    let header = decompressor.read_header(bytes).expect("a JPEG");
    let factor = ScalingFactor::new(eighths, 8);
    decompressor.set_scaling_factor(factor).expect("a supported scale");
    let (width, height, subsamp) = (factor.scale(header.width), factor.scale(header.height), header.subsamp);
    let mut pixels = vec![0; turbojpeg::yuv_pixels_len(width, 1, height, subsamp).expect("a size")];
    let image = YuvImage { pixels: &mut pixels[..], width, align: 1, height, subsamp };
    decompressor.decompress_to_yuv(bytes, image).expect("a clean decode");
    start.elapsed().as_secs_f64() * 1e3
}
