use super::*;
use crate::geometry::plan;

use image::{RgbImage, RgbaImage};

const ALPHA: Mode = Mode { alpha: true, linear: false };

#[test]
fn tabled_lanczos3_is_the_textbook_kernel() {
    let sinc = |x: f64| {
        if x == 0.0 { 1.0 } else { (x * std::f64::consts::PI).sin() / (x * std::f64::consts::PI) }
    };
    for i in -31_000..=31_000 {
        let x = f64::from(i) / 10_000.0 + 0.000_037;
        let want = if x.abs() < 3.0 { sinc(x) * sinc(x / 3.0) } else { 0.0 };
        assert!((lanczos3_weight(x) - want).abs() < 1e-6, "x={x}: {} vs {want}", lanczos3_weight(x));
    }
    assert_eq!(lanczos3_weight(0.0), 1.0);
    assert_eq!([lanczos3_weight(3.0), lanczos3_weight(-7.5), lanczos3_weight(f64::NAN)], [0.0; 3]);
}

#[test]
fn resizes_to_the_planned_size() {
    let image = DynamicImage::ImageRgb8(RgbImage::from_pixel(600, 450, [10, 200, 30].into()));
    let out = resize(image, &plan(600, 450, Some(200), Some(200)), Mode::default()).unwrap();
    assert_eq!((out.width(), out.height()), (200, 200));
    assert_eq!(out.as_rgb8().unwrap().get_pixel(100, 100).0, [10, 200, 30]);
}

#[test]
fn a_region_overshooting_by_rounding_is_clamped() {
    let image = DynamicImage::ImageRgb8(RgbImage::from_pixel(1363, 1113, [1, 2, 3].into()));
    let geometry = plan(2725, 2225, Some(800), None).scaled_source(1363.0 / 2725.0, 1113.0 / 2225.0);
    assert!(geometry.region.height > 1113.0, "the case must overshoot: {:?}", geometry.region);
    let out = resize(image, &geometry, Mode::default()).unwrap();
    assert_eq!((out.width(), out.height()), (800, 653));
}

#[test]
fn transparent_neighbours_do_not_darken_edges() {
    // Left half opaque red, right half fully transparent *black*: without
    // premultiplication the edge pixels turn dark red.
    let mut rgba = RgbaImage::from_pixel(64, 8, [0, 0, 0, 0].into());
    for x in 0..32 {
        for y in 0..8 {
            rgba.put_pixel(x, y, [255, 0, 0, 255].into());
        }
    }
    let out = resize(DynamicImage::ImageRgba8(rgba), &plan(64, 8, Some(16), None), ALPHA).unwrap();
    for p in out.as_rgba8().unwrap().pixels().filter(|p| p.0[3] > 16) {
        assert!(p.0[0] > 240, "dark fringe: {:?}", p.0);
    }
}

#[test]
fn grey_and_grey_alpha_keep_their_layout() {
    let grey = DynamicImage::ImageLuma8(image::GrayImage::from_pixel(40, 30, [77].into()));
    let out = resize(grey, &plan(40, 30, Some(10), None), ALPHA).unwrap();
    assert_eq!((out.color(), out.width(), out.as_bytes()[0]), (ColorType::L8, 10, 77));
    let clear = DynamicImage::ImageLumaA8(image::GrayAlphaImage::from_pixel(40, 30, [77, 0].into()));
    let out = resize(clear, &plan(40, 30, Some(10), None), ALPHA).unwrap();
    assert_eq!(out.color(), ColorType::La8);
}

#[test]
fn cmyk_black_ink_is_not_treated_as_alpha() {
    // Half the picture without black ink (K = 0), half full black: with
    // premultiplication the K = 0 side would weigh nothing.
    let mut cmyk = image::RgbaImage::from_pixel(64, 8, [200, 0, 0, 0].into());
    for x in 32..64 {
        for y in 0..8 {
            cmyk.put_pixel(x, y, [0, 0, 0, 255].into());
        }
    }
    let cmyk_mode = Mode { alpha: false, linear: false };
    let out = resize(DynamicImage::ImageRgba8(cmyk), &plan(64, 8, Some(16), None), cmyk_mode).unwrap();
    let left = out.as_rgba8().unwrap().get_pixel(0, 1).0;
    assert!(left[0] > 190 && left[3] < 10, "{left:?}");
}

#[test]
fn linear_light_averages_light_not_code_values() {
    // Alternating black and white columns, halved: the average of the
    // light is 50%, which sRGB encodes as 188, not 128.
    let stripes = RgbImage::from_fn(64, 8, |x, _| if x % 2 == 0 { [0; 3].into() } else { [255; 3].into() });
    let geometry = plan(64, 8, Some(32), None);
    let encoded = resize(DynamicImage::ImageRgb8(stripes.clone()), &geometry, Mode::default()).unwrap();
    let linear = Mode { alpha: false, linear: true };
    let light = resize(DynamicImage::ImageRgb8(stripes), &geometry, linear).unwrap();
    let mid = |i: &DynamicImage| i.as_rgb8().unwrap().get_pixel(16, 2).0[0];
    assert!(mid(&encoded).abs_diff(128) <= 3, "{}", mid(&encoded));
    assert!(mid(&light).abs_diff(188) <= 3, "{}", mid(&light));
}

#[test]
fn a_scaled_jpeg_decode_is_an_exact_fraction_of_the_image() {
    // libjpeg and jpeg-decoder give ⌈stored / p⌉ pixels at 1/p.
    assert_eq!(decode_scale(682, 2725), 0.25);
    assert_eq!(decode_scale(1363, 2725), 0.5);
    assert_eq!(decode_scale(341, 2725), 0.125);
    assert_eq!(decode_scale(2725, 2725), 1.0);
    assert_eq!(decode_scale(500, 1000), 0.5);
    // Any other size (not a JPEG decoder's): the ratio of the sizes.
    assert_eq!(decode_scale(600, 2400), 0.25);
    assert_eq!(decode_scale(700, 2800), 0.25);
    assert!((decode_scale(601, 2400) - 601.0 / 2400.0).abs() < 1e-12);
}
