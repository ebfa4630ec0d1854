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

mod lanes;

use turbojpeg::PixelFormat;
use zune_jpeg::zune_core::{colorspace::ColorSpace, options::DecoderOptions};

const LANES: [&str; 4] = ["libjpeg-turbo RGB", "libjpeg-turbo planes", "zune-jpeg RGB", "zune-jpeg YCbCr"];

fn main() {
    let (bytes, iters) = lanes::image_and_iters("decoders IMAGE [ITERS]", 21);
    lanes::run_in_turns(&LANES, iters, |lane| {
        assert!(decode(&bytes, lane) > 0, "{} decoded nothing", LANES[lane]);
    });
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
