//! How much memory a request will take, from the probed header alone, so the
//! server can admit work by bytes rather than by count: ten 12 MP PNGs at
//! once need ~1.5 GB, ten thumbnails of 12 MP JPEGs a few tens of MB.
//!
//! Deliberately pessimistic (a peak, not an average): the decoded buffer
//! (8 bytes per pixel for formats that may be 16-bit RGBA, plus the 8-bit
//! copy `normalise` makes), the JPEG decoder's output at its DCT scale, the
//! resize input copy (premultiplied alpha, colour conversion) and the output
//! canvas three times over (resize target, colour/orient copy, encoder
//! buffers), plus the original's bytes; with `q=auto`, the quality
//! search's float planes ([`SEARCH_BYTES_PER_PIXEL`]).

/// What the `q=auto` search holds per output pixel at its peak: the
/// reference's linear-light pyramid (16 B) and kept XYB planes and blurs
/// (about 14), the candidate's pyramid, XYB and blur buffers (about 42), the
/// decoded candidate and its bytes (about 10); rounded up.
pub(crate) const SEARCH_BYTES_PER_PIXEL: u64 = 96;

use crate::{InputFormat, Plan, decode};

/// Peak bytes the pipeline is expected to hold for this request.
pub fn memory_estimate(plan: &Plan, source_bytes: u64) -> u64 {
    let probe = plan.probe();
    let full = u64::from(probe.width) * u64::from(probe.height);
    if plan.is_animated() {
        return animation(plan, source_bytes, full);
    }
    let decoded = match probe.format {
        InputFormat::Jpeg => {
            // The decoders' first shrink that reaches the plan's decode floor
            // (the size they are asked for), else a full decode (not the next
            // eighth: 2725 px for 800 needs 5/8, and is decoded whole).
            let (floor_w, floor_h) = plan.decode_floor;
            let reaches = |side: u32, s: f64, floor: usize| (f64::from(side) * s).ceil() >= floor as f64;
            let scale = decode::SHRINK_EIGHTHS
                .map(|n| n as f64 / 8.0)
                .into_iter()
                .find(|&s| reaches(probe.width, s, floor_w) && reaches(probe.height, s, floor_h))
                .unwrap_or(1.0);
            let pixels = (full as f64 * scale * scale).ceil() as u64;
            // Decoder output (up to 4 channels, CMYK) + the coefficient planes
            // jpeg-decoder keeps for progressive files (2 bytes/sample, 3 planes).
            pixels * 4 + if plan.is_passthrough() { 0 } else { pixels * 2 }
        }
        // jxl-oxide renders in f32 (up to 4 channels), then the 8-bit output and its copy.
        InputFormat::Jxl => full * 16 + full * 8,
        // Up to 16-bit RGBA from the decoder (AVIF and HEIC: the decoder's
        // planes, at most 16-bit 4:4:4, then our RGBA), then the 8-bit copy.
        _ => full * 8 + full * 4,
    };
    let (out_w, out_h) = plan.output_size();
    let output = u64::from(out_w) * u64::from(out_h) * 4;
    let resize_input = if plan.is_passthrough() { 0 } else { decoded.min(full * 4) };
    let search = if plan.auto_quality && plan.output_format(true).is_lossy() {
        u64::from(out_w) * u64::from(out_h) * SEARCH_BYTES_PER_PIXEL
    } else {
        0
    };
    source_bytes + decoded + resize_input + output * 3 + search
}

/// An animation holds one frame at a time at full size (the decoder's
/// canvas, the copy handed to the steps, the resize input, a region saved
/// for `Previous` disposal), the encoders' few output-size canvases, and
/// the file it writes, at most a byte a pixel a frame (GIF's indices
/// before LZW; WebP far less).
fn animation(plan: &Plan, source_bytes: u64, full: u64) -> u64 {
    let (out_w, out_h) = plan.output_size();
    let output = u64::from(out_w) * u64::from(out_h);
    source_bytes + full * 4 * 4 + output * 4 * 6 + u64::from(plan.probe().frames) * output
}

#[cfg(test)]
mod tests {
    use image::metadata::Orientation;

    use super::*;
    use crate::{EncoderSettings, Limits, Params, Probe};

    fn probe(format: InputFormat, width: u32, height: u32) -> Probe {
        Probe { format, width, height, orientation: Orientation::NoTransforms, has_alpha: false, frames: 1 }
    }

    /// The estimate of `query` on `probe`.
    fn memory_estimate(probe: &Probe, query: &str, source_bytes: u64) -> u64 {
        let params = Params::parse(query, &Limits::default()).unwrap();
        super::memory_estimate(&Plan::new(probe, &params, &EncoderSettings::default()).unwrap(), source_bytes)
    }

    #[test]
    fn jpeg_thumbnails_are_cheap_and_pngs_are_not() {
        const MIB: u64 = 1 << 20;
        let jpeg = memory_estimate(&probe(InputFormat::Jpeg, 4000, 3000), "w=200", 0);
        let png = memory_estimate(&probe(InputFormat::Png, 4000, 3000), "w=200", 0);
        // 1/8 scale: 500x375 decoded; a 12 MP PNG decodes whole, 16-bit.
        assert!(jpeg < 4 * MIB, "{jpeg}");
        assert!(png > 12_000_000 * 12 && png < 200 * MIB, "{png}");
        let full = memory_estimate(&probe(InputFormat::Jpeg, 4000, 3000), "w=4000", 0);
        assert!(full > 12_000_000 * 4 * 3, "full-size decode, resize copy and output: {full}");
    }

    #[test]
    fn the_quality_search_counts_its_float_planes() {
        let photo = probe(InputFormat::Jpeg, 4000, 3000);
        let fixed = memory_estimate(&photo, "w=2000&f=webp", 0);
        let auto = memory_estimate(&photo, "w=2000&f=webp&q=auto", 0);
        assert_eq!(auto - fixed, 2000 * 1500 * SEARCH_BYTES_PER_PIXEL);
        let png = memory_estimate(&photo, "w=2000&f=png&q=auto", 0);
        assert_eq!(png, memory_estimate(&photo, "w=2000&f=png", 0), "PNG has no quality to search");
    }

    #[test]
    fn jpeg_scales_round_up_to_the_decoders_powers_of_two() {
        // 800 of 2725 px needs 5/8 to stay twice the output; the decoders go to 1/1.
        let photo = probe(InputFormat::Jpeg, 2725, 2225);
        let (decode, resize_copy) = (2725 * 2225 * 6, 2725 * 2225 * 4);
        let full = memory_estimate(&photo, "w=800", 0);
        assert!(full > decode + resize_copy, "{full}");
        // 600 px needs 0.44: a 1/2 decode, a quarter of the pixels.
        let half = memory_estimate(&photo, "w=600", 0);
        assert!(half > decode / 4 && half < decode, "{half}");
    }

    /// The fast mode's guard decodes 4000 px for 500 at 1/4, not 1/8: the
    /// estimate counts what the decoder is asked for, as in the quality mode.
    #[test]
    fn fast_shrink_on_load_is_counted_at_the_scale_it_decodes() {
        let photo = probe(InputFormat::Jpeg, 4000, 3000);
        let params = Params::parse("w=500", &Limits::default()).unwrap();
        let fast =
            EncoderSettings { shrink_on_load: crate::ShrinkOnLoad::Fast, ..EncoderSettings::default() };
        let fast = super::memory_estimate(&Plan::new(&photo, &params, &fast).unwrap(), 0);
        assert_eq!(fast, memory_estimate(&photo, "w=500", 0));
        assert!(fast > 1000 * 750 * 6, "{fast}");
    }

    #[test]
    fn jpeg_xl_counts_its_float_frame() {
        let jxl = memory_estimate(&probe(InputFormat::Jxl, 1000, 1000), "w=100", 0);
        let avif = memory_estimate(&probe(InputFormat::Avif, 1000, 1000), "w=100", 0);
        assert!(jxl >= 1_000_000 * 24 && jxl > avif, "{jxl} vs {avif}");
    }

    #[test]
    fn an_animation_counts_one_full_frame_and_every_output_frame() {
        let gif = |frames| Probe { frames, ..probe(InputFormat::Gif, 400, 400) };
        let (one, many) = (memory_estimate(&gif(1), "w=200", 0), memory_estimate(&gif(44), "w=200", 0));
        assert!(many > one && many >= 400 * 400 * 16 + 44 * 200 * 200, "{one} vs {many}");
        assert!(many < 44 * 400 * 400 * 4, "never every full-size frame: {many}");
        assert_eq!(memory_estimate(&gif(44), "w=200&anim=false", 0), one);
    }

    #[test]
    fn the_output_box_counts_even_from_a_tiny_source() {
        let padded = memory_estimate(&probe(InputFormat::Png, 10, 10), "w=4000&h=4000&fit=contain", 0);
        assert!(padded >= 10 * 10 * 12, "{padded}");
        let source = memory_estimate(&probe(InputFormat::Gif, 1, 1), "", 5 << 20);
        assert!(source >= 5 << 20, "the original's bytes count: {source}");
    }
}
