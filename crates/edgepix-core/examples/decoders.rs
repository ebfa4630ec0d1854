//! libjpeg-turbo (what `--features simd` decodes with) against zune-jpeg, the
//! fastest pure-Rust JPEG decoder, on one full-size decode:
//!
//!     decoders IMAGE [ITERS]   median ms per decoder and output
//!
//! The JPEG → JPEG target is bound by the full-size decode the 2× shrink-on-load
//! rule forces (BENCHMARKS.md), so a faster decoder would be the one lever
//! left. Lanes: libjpeg-turbo to RGB and to its YCbCr planes (what the YCbCr
//! lane uses: no chroma upsampling), zune-jpeg to RGB and to YCbCr (zune-jpeg
//! always upsamples chroma and interleaves). The lanes take turns in each
//! round, so machine noise falls on all of them alike.

use std::time::Instant;

use turbojpeg::PixelFormat;
use zune_jpeg::zune_core::{colorspace::ColorSpace, options::DecoderOptions};

const LANES: [&str; 4] = ["libjpeg-turbo RGB", "libjpeg-turbo planes", "zune-jpeg RGB", "zune-jpeg YCbCr"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(image) = args.first() else {
        eprintln!("usage: decoders IMAGE [ITERS]");
        std::process::exit(2);
    };
    let iters: usize = args.get(1).map_or(21, |n| n.parse().expect("ITERS"));
    let bytes = std::fs::read(image).expect("read image");
    let mut samples = vec![Vec::with_capacity(iters); LANES.len()];
    for _ in 0..iters {
        for (lane, ms) in samples.iter_mut().enumerate() {
            let start = Instant::now();
            let len = decode(&bytes, lane);
            ms.push(start.elapsed().as_secs_f64() * 1e3);
            assert!(len > 0, "{} decoded nothing", LANES[lane]);
        }
    }
    for (name, mut ms) in LANES.into_iter().zip(samples) {
        ms.sort_by(f64::total_cmp);
        println!("{name}: {:.2} ms (median of {iters})", ms[iters / 2]);
    }
}

/// One full-size decode of `bytes` in `lane`; returns the bytes written.
fn decode(bytes: &[u8], lane: usize) -> usize {
    match lane {
        0 => turbojpeg::decompress(bytes, PixelFormat::RGB).expect("libjpeg-turbo").pixels.len(),
        1 => turbojpeg::decompress_to_yuv(bytes).expect("libjpeg-turbo").pixels.len(),
        _ => {
            let space = if lane == 2 { ColorSpace::RGB } else { ColorSpace::YCbCr };
            let options = DecoderOptions::default().jpeg_set_out_colorspace(space);
            let mut decoder = zune_jpeg::JpegDecoder::new_with_options(std::io::Cursor::new(bytes), options);
            decoder.decode().expect("zune-jpeg").len()
        }
    }
}
