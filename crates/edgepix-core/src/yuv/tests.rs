use image::RgbImage;
use turbojpeg::{Compressor, Image, PixelFormat};

use super::*;
use crate::metadata::OutputMetadata;
use crate::{EncoderSettings, Lane, Limits, Output, Params, Plan, metadata, probe};

const GREY: [u8; 3] = [120, 120, 120];
const RED: [u8; 3] = [200, 30, 40];

/// A 4:2:0 JPEG, grey with a red block from (`x`, `y`) to the corner, and a
/// gentle gradient so that rounding differences are not all zero.
fn edge_jpeg(width: u32, height: u32, x: u32, y: u32, icc: Option<Vec<u8>>) -> Vec<u8> {
    edge_jpeg_sampled(width, height, (x, y), icc, Subsamp::Sub2x2)
}

fn edge_jpeg_sampled(
    width: u32,
    height: u32,
    (x, y): (u32, u32),
    icc: Option<Vec<u8>>,
    subsamp: Subsamp,
) -> Vec<u8> {
    let rgb = RgbImage::from_fn(width, height, |px, py| {
        let [r, g, b] = if px >= x && py >= y { RED } else { GREY };
        let shade = (px * 20 / width) as u8;
        [r.saturating_add(shade), g.saturating_add(shade), b].into()
    });
    let mut compressor = Compressor::new().unwrap();
    compressor.set_quality(95).unwrap();
    compressor.set_subsamp(subsamp).unwrap();
    let (w, h) = (width as usize, height as usize);
    let image = Image {
        pixels: rgb.as_raw().as_slice(),
        width: w,
        pitch: w * 3,
        height: h,
        format: PixelFormat::RGB,
    };
    let jpeg = compressor.compress_to_vec(image).unwrap();
    let icc = icc.map(|p| &*Box::leak(p.into_boxed_slice()));
    metadata::embed(jpeg, OutputFormat::Jpeg, (width, height), &OutputMetadata { icc, exif: None })
}

/// Decode a JPEG output with libjpeg-turbo (the `image` crate here has no
/// JPEG), a WebP one with `image` (image-webp: not the encoding library).
fn rgb(bytes: &[u8]) -> RgbImage {
    if bytes.starts_with(b"RIFF") {
        return image::load_from_memory_with_format(bytes, image::ImageFormat::WebP).unwrap().into_rgb8();
    }
    let image = turbojpeg::decompress(bytes, PixelFormat::RGB).unwrap();
    RgbImage::from_raw(image.width as u32, image.height as u32, image.pixels).unwrap()
}

fn plan(bytes: &[u8], query: &str) -> Plan {
    let limits = Limits::default();
    let probe = probe(bytes, &limits).unwrap();
    Plan::new(&probe, &Params::parse(query, &limits).unwrap(), &EncoderSettings::default()).unwrap()
}

/// The request through the planes lane, or `None` if its decode declines.
fn lane(bytes: &[u8], query: &str) -> Option<Output> {
    let plan = plan(bytes, query);
    assert_eq!(plan.lane(), Lane::Planes, "{query} should take the planes lane");
    decode(bytes, &plan)?;
    let out = crate::process(bytes, &plan, &Limits::default()).unwrap();
    assert_eq!(out.lane, Lane::Planes, "{query}");
    Some(out)
}

/// The same request through the RGB lane only.
fn general(bytes: &[u8], query: &str) -> Output {
    let plan = Plan { lane: Lane::Rgb, ..plan(bytes, query) };
    let out = crate::process(bytes, &plan, &Limits::default()).unwrap();
    assert_eq!(out.lane, Lane::Rgb, "{query}");
    out
}

/// Mean absolute difference per channel, in levels, of two same-sized images.
fn mean_diff(a: &RgbImage, b: &RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let diff: u64 = a.as_raw().iter().zip(b.as_raw()).map(|(x, y)| u64::from(x.abs_diff(*y))).sum();
    diff as f64 / a.as_raw().len() as f64
}

/// Where a row (or column) of `values` crosses halfway between its ends,
/// to a fraction of a pixel.
fn crossing(values: &[f64]) -> f64 {
    let (lo, hi) = (values[3], values[values.len() - 4]);
    let mid = (lo + hi) / 2.0;
    let i = values.windows(2).position(|w| (w[0] - mid) * (w[1] - mid) <= 0.0 && w[0] != w[1]).unwrap();
    i as f64 + (mid - values[i]) / (values[i + 1] - values[i])
}

/// Luma and red-difference chroma (BT.601, as JPEG) of an output pixel.
fn y_cr(image: &RgbImage, x: u32, y: u32) -> (f64, f64) {
    let [r, g, b] = image.get_pixel(x, y).0.map(f64::from);
    (0.299 * r + 0.587 * g + 0.114 * b, 0.5 * r - 0.418_688 * g - 0.081_312 * b)
}

#[test]
fn chroma_stays_on_the_luma_edge_at_odd_and_even_sizes() {
    // The block starts at x = 1001 of 1920 and y = 601 of 1080.
    let jpeg = edge_jpeg(1920, 1080, 1001, 601, None);
    let queries = ["w=300", "w=301", "w=257&q=95", "w=401&h=233&fit=fill", "w=301&h=301&fit=cover"];
    for (query, format) in queries.into_iter().flat_map(|q| [(q, "jpeg"), (q, "webp")]) {
        let out = lane(&jpeg, &format!("{query}&f={format}")).expect("a plain JPEG takes the lane");
        let query = format!("{query}&f={format}");
        let image = rgb(&out.bytes);
        assert_eq!(image.dimensions(), (out.width, out.height), "{query}");
        let params = Params::parse(&query, &Limits::default()).unwrap();
        let g = crate::geometry::plan_fit(1920, 1080, params.width(), params.height(), params.fit()).0;
        let expected_x = (1001.0 - g.region.x) * f64::from(out.width) / g.region.width - 0.5;
        let expected_y = (601.0 - g.region.y) * f64::from(out.height) / g.region.height - 0.5;
        let row: Vec<_> = (0..out.width).map(|x| y_cr(&image, x, out.height - 3)).collect();
        let col: Vec<_> = (0..out.height).map(|y| y_cr(&image, out.width - 3, y)).collect();
        for (axis, line, expected) in [("x", row, expected_x), ("y", col, expected_y)] {
            let luma = crossing(&line.iter().map(|v| v.0).collect::<Vec<_>>());
            let chroma = crossing(&line.iter().map(|v| v.1).collect::<Vec<_>>());
            assert!(
                (luma - expected).abs() < 0.15,
                "{query}: luma edge at {axis}={luma:.3}, want {expected:.3}"
            );
            // Chroma is stored at half resolution: a shift of half an output
            // pixel or more is what a misplaced chroma grid produces.
            assert!(
                (chroma - expected).abs() < 0.25,
                "{query}: chroma edge at {axis}={chroma:.3}, want {expected:.3}"
            );
        }
    }
}

#[test]
fn matches_the_general_pipeline_up_to_jpeg_rounding() {
    let jpeg = edge_jpeg(1279, 853, 400, 300, None);
    // The general path, losslessly.
    let reference = image::load_from_memory(&general(&jpeg, "w=333&f=png").bytes).unwrap().into_rgb8();
    let off_reference = |image: &RgbImage| mean_diff(image, &reference);
    let ours = off_reference(&rgb(&lane(&jpeg, "w=333&f=jpeg&q=100").unwrap().bytes));
    assert!(ours < 1.5, "mean difference {ours:.2} levels from the general pipeline");
    // WebP is lossy even at q100 and always 4:2:0: the lane must be as close to
    // the lossless reference as the general path's own WebP (a wrong range,
    // matrix or chroma grid would put it several levels further away).
    let lane_webp = lane(&jpeg, "w=333&f=webp&q=100").unwrap();
    assert_eq!(lane_webp.format, OutputFormat::Webp);
    let ours = off_reference(&rgb(&lane_webp.bytes));
    let theirs = off_reference(&rgb(&general(&jpeg, "w=333&f=webp&q=100").bytes));
    assert!(ours < theirs + 0.3, "lane WebP {ours:.2} levels off, general path's {theirs:.2}");
}

#[test]
fn declines_what_it_cannot_do_the_same_way() {
    // Which requests are planned for the lane: plan/tests.rs. Here, what its decode declines.
    let jpeg = edge_jpeg(64, 48, 20, 20, None);
    let srgb = moxcms::ColorProfile::new_srgb().encode().unwrap();
    let adobe = moxcms::ColorProfile::new_adobe_rgb().encode().unwrap();
    assert!(lane(&edge_jpeg(64, 48, 20, 20, Some(srgb)), "w=32").is_some(), "sRGB needs no conversion");
    assert!(lane(&edge_jpeg(64, 48, 20, 20, Some(adobe)), "w=32").is_none(), "Adobe RGB must be converted");

    let grey = [90u8; 64 * 48];
    let grey = Image { pixels: &grey[..], width: 64, pitch: 64, height: 48, format: PixelFormat::GRAY };
    let grey_jpeg = turbojpeg::compress(grey, 90, Subsamp::Gray).unwrap().to_vec();
    assert!(lane(&grey_jpeg, "w=32").is_none(), "greyscale has no chroma planes");
    let truncated = &jpeg[..jpeg.len() / 2];
    assert!(lane(truncated, "w=32").is_none(), "a damaged file is the strict decoder's to judge");
}

#[test]
fn webp_from_any_chroma_layout_and_at_tiny_sizes() {
    for subsamp in [Subsamp::None, Subsamp::Sub2x1, Subsamp::Sub2x2] {
        let jpeg = edge_jpeg_sampled(641, 427, (200, 150), None, subsamp);
        let query = "w=213&f=webp&q=100";
        let reference = rgb(&general(&jpeg, query).bytes);
        let ours = rgb(&lane(&jpeg, query).expect("lane").bytes);
        let mean = mean_diff(&ours, &reference);
        assert!(mean < 1.5, "{subsamp:?}: lane and general WebP differ by {mean:.2} levels");
    }
    let jpeg = edge_jpeg(64, 48, 20, 20, None);
    for (query, size) in [("w=1&f=webp", (1, 1)), ("w=3&h=1&fit=fill&f=webp", (3, 1)), ("w=5&f=webp", (5, 4))]
    {
        let out = lane(&jpeg, query).expect("lane");
        assert_eq!(rgb(&out.bytes).dimensions(), size, "{query}");
    }
}
