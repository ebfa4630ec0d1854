//! Helper for `benches/quality.py` (quality per byte against sharp):
//!
//!     quality render IN QUERY OUT [SETTING=VALUE …]
//!                                     run the pipeline on a file (default settings;
//!                                     avif_speed=S, webp_method=M,
//!                                     linear_light=true, shrink_on_load=fast
//!                                     change them)
//!     quality score REF.png DIST.png  print SSIMULACRA2 of DIST against REF
//!     quality linear IN.jpg WIDTH     sRGB-encoded vs linear-light resizing:
//!                                     time and SSIMULACRA2 against a float
//!                                     linear-light reference (BENCHMARKS.md)
//!
//! Scores use the same `ssimulacra2` crate as the golden tests.

use std::time::Duration;

use edgepix_core::{EncoderSettings, Limits, Params, Plan, probe, process};
use image::imageops::{FilterType, resize};
use image::{Rgb32FImage, RgbImage};
use ssimulacra2::{ColorPrimaries, Rgb, TransferCharacteristic, compute_frame_ssimulacra2};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["render", input, query, output, ref settings @ ..] => {
            let bytes = std::fs::read(input).expect("read input");
            let limits = Limits::default();
            let probe = probe(&bytes, &limits).expect("probe");
            let params = Params::parse(query, &limits).expect("query");
            let plan = Plan::new(&probe, &params, &encoder_settings(settings)).expect("plan");
            let out = process(&bytes, &plan, &limits).expect("process");
            std::fs::write(output, out.bytes).expect("write output");
        }
        ["score", reference, distorted] => {
            let load = |p: &str| image::open(p).expect("decode").to_rgb8();
            println!("{:.3}", score(&load(reference), &load(distorted)));
        }
        ["linear", input, width] => linear(input, width.parse().expect("width")),
        _ => {
            eprintln!(
                "usage: quality render IN QUERY OUT [SETTING=VALUE …] | score REF.png DIST.png | linear IN.jpg WIDTH"
            );
            std::process::exit(2);
        }
    }
}

/// `avif_speed=S`, `webp_method=M`, `linear_light=true`,
/// `shrink_on_load=fast` over the defaults.
fn encoder_settings(args: &[&str]) -> EncoderSettings {
    let mut settings = EncoderSettings::default();
    for arg in args {
        match arg.split_once('=') {
            Some(("avif_speed", v)) => settings.avif_speed = v.parse().expect("avif_speed"),
            Some(("webp_method", v)) => settings.webp_method = v.parse().expect("webp_method"),
            Some(("linear_light", v)) => settings.linear_light = v == "true",
            Some(("shrink_on_load", "fast")) => settings.shrink_on_load = edgepix_core::ShrinkOnLoad::Fast,
            Some(("shrink_on_load", "quality")) => {
                settings.shrink_on_load = edgepix_core::ShrinkOnLoad::Quality
            }
            _ => panic!("unknown setting `{arg}`"),
        }
    }
    settings
}

fn score(reference: &RgbImage, distorted: &RgbImage) -> f64 {
    let rgb = |image: &RgbImage| {
        let (w, h) = (image.width() as usize, image.height() as usize);
        let data = image.pixels().map(|p| p.0.map(|v| f32::from(v) / 255.0)).collect();
        Rgb::new(data, w, h, TransferCharacteristic::SRGB, ColorPrimaries::BT709).expect("rgb")
    };
    compute_frame_ssimulacra2(rgb(reference), rgb(distorted)).expect("score")
}

/// One row of the linear-light measurement: median resize-stage time over 5
/// runs and SSIMULACRA2 against a reference that downscales light, not code
/// values (full-resolution decode, exact sRGB curve, f32 Lanczos3 by `image`).
fn linear(input: &str, width: u32) {
    let bytes = std::fs::read(input).expect("read input");
    let mut decoder = jpeg_decoder::Decoder::new(&bytes[..]);
    let pixels = decoder.decode().expect("a JPEG");
    let info = decoder.info().expect("info");
    let to_linear = |v: u8| {
        let v = f32::from(v) / 255.0;
        if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    let to_srgb = |v: f32| {
        let v = v.clamp(0.0, 1.0);
        let e = if v <= 0.003_130_8 { v * 12.92 } else { 1.055 * v.powf(1.0 / 2.4) - 0.055 };
        (e * 255.0).round() as u8
    };
    let full = Rgb32FImage::from_raw(
        info.width.into(),
        info.height.into(),
        pixels.iter().map(|&v| to_linear(v)).collect(),
    )
    .expect("rgb");
    let limits = Limits::default();
    let probe = probe(&bytes, &limits).expect("probe");
    let params = Params::parse(&format!("w={width}&f=png"), &limits).expect("query");
    let run = |linear_light: bool| {
        let settings = EncoderSettings { linear_light, ..EncoderSettings::default() };
        let mut times: Vec<Duration> = Vec::new();
        let mut out = Vec::new();
        for _ in 0..5 {
            let output = process(&bytes, &Plan::new(&probe, &params, &settings).expect("plan"), &limits)
                .expect("process");
            times.push(output.timings.resize);
            out = output.bytes;
        }
        times.sort();
        (image::load_from_memory(&out).expect("png").to_rgb8(), times[2])
    };
    let (encoded, t_encoded) = run(false);
    let (linear, t_linear) = run(true);
    let reference = resize(&full, encoded.width(), encoded.height(), FilterType::Lanczos3);
    let reference = RgbImage::from_raw(
        reference.width(),
        reference.height(),
        reference.into_raw().into_iter().map(to_srgb).collect(),
    )
    .expect("rgb");
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "| {} | {width} | {:.1} | {:.1} | {:.2} | {:.2} | {:.2} |",
        input.rsplit('/').next().unwrap_or(input),
        ms(t_encoded),
        ms(t_linear),
        score(&reference, &encoded),
        score(&reference, &linear),
        score(&encoded, &linear),
    );
}
