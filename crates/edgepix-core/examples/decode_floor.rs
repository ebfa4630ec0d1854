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

mod lanes;

use turbojpeg::{Decompressor, ScalingFactor, YuvImage};

const SCALES: [usize; 4] = [8, 4, 2, 1];

fn main() {
    let (bytes, iters) = lanes::image_and_iters("decode_floor IMAGE [ITERS]", 31);
    let names: Vec<String> = SCALES.iter().map(|eighths| format!("{eighths}/8")).collect();
    lanes::run_in_turns(&names, iters, |i| decode(&bytes, SCALES[i]));
}

/// One decode of `bytes` to planes at `eighths`/8, from the header on.
fn decode(bytes: &[u8], eighths: usize) {
    let mut decompressor = Decompressor::new().expect("a decompressor");
    let header = decompressor.read_header(bytes).expect("a JPEG");
    let factor = ScalingFactor::new(eighths, 8);
    decompressor.set_scaling_factor(factor).expect("a supported scale");
    let (width, height, subsamp) = (factor.scale(header.width), factor.scale(header.height), header.subsamp);
    let mut pixels = vec![0; turbojpeg::yuv_pixels_len(width, 1, height, subsamp).expect("a size")];
    let image = YuvImage { pixels: &mut pixels[..], width, align: 1, height, subsamp };
    decompressor.decompress_to_yuv(bytes, image).expect("a clean decode");
}
