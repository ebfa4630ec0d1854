use image::{DynamicImage, Rgb, RgbImage};

use super::*;

/// A flat grey scene with a small, saturated, detailed subject (a red and
/// yellow checkerboard) whose left edge is at `subject_x`.
fn scene(width: u32, height: u32, subject_x: u32) -> DynamicImage {
    let subject = |x: u32, y: u32| (subject_x..subject_x + 40).contains(&x) && (80..120).contains(&y);
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| match subject(x, y) {
        true if (x / 4 + y / 4) % 2 == 0 => Rgb([230, 20, 20]),
        true => Rgb([250, 220, 30]),
        false => Rgb([128, 128, 128]),
    }))
}

fn region(x: f64, y: f64, width: f64, height: f64) -> Region {
    Region { x, y, width, height }
}

#[test]
fn both_strategies_find_a_subject_near_an_edge() {
    let image = scene(600, 200, 540);
    let bounds = region(0.0, 0.0, 600.0, 200.0);
    let centre = region(200.0, 0.0, 200.0, 200.0);
    for strategy in [Strategy::Attention, Strategy::Entropy] {
        let got = place(&image, strategy, bounds, centre, false);
        assert!(got.x <= 540.0 && got.x + got.width >= 580.0, "{strategy:?}: {got:?}");
        assert_eq!((got.y, got.width, got.height), (0.0, 200.0, 200.0));
    }
}

/// Colour that fills most of the frame is no subject: a smooth, saturated
/// hue sweep over the left two thirds against a small black-and-white
/// checkerboard near the right edge. Counting saturation everywhere, the
/// sweep won.
#[test]
fn a_sharp_subject_beats_a_colourful_smooth_background() {
    let image = DynamicImage::ImageRgb8(RgbImage::from_fn(600, 200, |x, y| {
        let subject = (540..580).contains(&x) && (80..120).contains(&y);
        match (subject, x < 400) {
            (true, _) => Rgb(if (x / 4 + y / 4) % 2 == 0 { [0; 3] } else { [255; 3] }),
            (false, true) => Rgb([230, (x / 2) as u8, 40]),
            (false, false) => Rgb([128, 128, 128]),
        }
    }));
    let got = place(
        &image,
        Strategy::Attention,
        region(0.0, 0.0, 600.0, 200.0),
        region(200.0, 0.0, 200.0, 200.0),
        false,
    );
    assert!(got.x <= 540.0 && got.x + got.width >= 580.0, "{got:?}");
}

#[test]
fn a_flat_image_keeps_the_centre() {
    let image = DynamicImage::ImageRgb8(RgbImage::from_pixel(500, 300, Rgb([40, 90, 200])));
    let centre = region(0.0, 50.0, 500.0, 200.0);
    for strategy in [Strategy::Attention, Strategy::Entropy] {
        assert_eq!(place(&image, strategy, region(0.0, 0.0, 500.0, 300.0), centre, false), centre);
    }
}

#[test]
fn the_window_stays_inside_the_bounds() {
    // A vertical search inside a rect of a larger image (a subject at the top).
    let image = scene(200, 600, 150).rotate270();
    let bounds = region(50.0, 10.0, 100.0, 580.0);
    let got = place(&image, Strategy::Attention, bounds, region(50.0, 250.0, 100.0, 100.0), false);
    assert!(got.y >= 10.0 && got.y + got.height <= 590.0, "{got:?}");
    assert!(got.y <= 20.0, "the subject is at the top: {got:?}");
}

#[test]
fn no_room_no_search() {
    let image = scene(100, 100, 0);
    let all = region(0.0, 0.0, 100.0, 100.0);
    assert_eq!(place(&image, Strategy::Attention, all, all, false), all);
}

/// Transparent pixels count for nothing, whatever colour they store: a
/// garish checkerboard made invisible on the left, the subject on the right.
#[test]
fn transparent_pixels_are_not_interesting() {
    let scene = scene(600, 200, 540).to_rgba8();
    let image = DynamicImage::ImageRgba8(image::RgbaImage::from_fn(600, 200, |x, y| match x < 100 {
        true if (x / 4 + y / 4) % 2 == 0 => image::Rgba([0, 255, 0, 0]),
        true => image::Rgba([255, 0, 255, 0]),
        false => *scene.get_pixel(x, y),
    }));
    let (bounds, centre) = (region(0.0, 0.0, 600.0, 200.0), region(200.0, 0.0, 200.0, 200.0));
    let got = place(&image, Strategy::Attention, bounds, centre, true);
    assert!(got.x >= 380.0, "{got:?}");
    // Read as CMYK (no alpha), the left edge is the busiest.
    assert_eq!(place(&image, Strategy::Attention, bounds, centre, false).x, 0.0);
}

/// The whole pipeline on a PNG of the scene: the subject sits outside the
/// centre crop, which loses it; attention and entropy keep it.
#[test]
fn attention_keeps_a_subject_the_centre_crop_loses() {
    let mut png = Vec::new();
    scene(600, 200, 540).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    let limits = crate::Limits::default();
    let probe = crate::probe(&png, &limits).unwrap();
    let render = |query: &str| {
        let params = crate::Params::parse(query, &limits).unwrap();
        let plan = crate::Plan::new(&probe, &params, &crate::EncoderSettings::default()).unwrap();
        image::load_from_memory(&crate::process(&png, &plan, &limits).unwrap().bytes).unwrap().to_rgb8()
    };
    // Red or yellow: the subject's colours, which the grey background lacks.
    let subject = |image: &RgbImage| image.pixels().filter(|p| p.0[0] > 180 && p.0[2] < 80).count();
    assert_eq!(subject(&render("w=100&h=100&f=png")), 0);
    for pos in ["attention", "entropy"] {
        let kept = subject(&render(&format!("w=100&h=100&f=png&pos={pos}")));
        assert!(kept > 300, "pos={pos}: {kept} subject pixels");
    }
}
