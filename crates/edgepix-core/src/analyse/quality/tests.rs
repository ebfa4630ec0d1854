use image::{DynamicImage, RgbImage, RgbaImage};

use super::*;

/// A search over a made-up score curve `score(q)`: what it found and the
/// `q`s it tried.
fn run(target: f64, bounds: &Bounds, score: impl Fn(u8) -> f64) -> (Found, Vec<u8>) {
    let mut tried = Vec::new();
    let found = search(target, bounds, |q| {
        tried.push(q);
        Ok::<_, ()>((vec![q], score(q)))
    })
    .unwrap();
    (found, tried)
}

/// Smooth, saturating score curves like real encoders': `top` at q100,
/// falling off faster at low `q` (steepness `k`).
fn curves() -> Vec<impl Fn(u8) -> f64> {
    let mut curves = Vec::new();
    for top in [80.0, 88.0, 95.0] {
        for k in [0.02, 0.035, 0.06, 0.1] {
            curves.push(move |q: u8| top - 120.0 * (-k * f64::from(q)).exp());
        }
    }
    curves
}

#[test]
fn the_search_is_bounded_and_never_ends_below_a_reachable_target() {
    for format in [OutputFormat::Jpeg, OutputFormat::Webp, OutputFormat::Avif] {
        let b = bounds(format);
        for curve in curves() {
            for target in [50.0, 70.0, 75.0] {
                let (found, tried) = run(target, &b, &curve);
                assert!(tried.len() <= usize::from(b.encodes), "{format:?}: {tried:?}");
                assert_eq!(usize::from(found.encodes), tried.len());
                assert_eq!(found.bytes, vec![found.quality], "the chosen candidate's own bytes");
                assert!(tried.iter().all(|q| (b.min..=b.max).contains(q)), "{tried:?}");
                if curve(b.max) >= target {
                    assert!(found.score >= target, "{format:?} target {target}: {found:?} after {tried:?}");
                } else {
                    assert_eq!(found.quality, b.max, "unreachable: the best there is");
                }
            }
        }
    }
}

#[test]
fn the_search_lands_near_the_lowest_passing_quality() {
    let b = bounds(OutputFormat::Jpeg);
    for curve in curves() {
        let lowest = (b.min..=b.max).find(|&q| curve(q) >= 70.0);
        let Some(lowest) = lowest else { continue };
        let (found, tried) = run(70.0, &b, &curve);
        // Never below the lowest passing q; above it by no more than the
        // accepted margin allows, unless the encodes ran out first.
        assert!(found.quality >= lowest, "{found:?} {tried:?}");
        let near = found.score - 70.0 <= b.accept || found.quality <= lowest + 2;
        assert!(near || found.encodes == b.encodes, "lowest {lowest}: {found:?} after {tried:?}");
    }
}

#[test]
fn a_higher_target_never_chooses_a_lower_quality() {
    for format in [OutputFormat::Jpeg, OutputFormat::Webp, OutputFormat::Avif] {
        let b = bounds(format);
        for curve in curves() {
            let chosen: Vec<u8> =
                [40.0, 55.0, 70.0, 85.0].iter().map(|&t| run(t, &b, &curve).0.quality).collect();
            assert!(chosen.windows(2).all(|c| c[0] <= c[1]), "{format:?}: {chosen:?}");
        }
    }
}

#[test]
fn an_easy_image_stops_at_the_lowest_quality_allowed() {
    let b = bounds(OutputFormat::Webp);
    let (found, tried) = run(70.0, &b, |_| 99.0);
    assert!(found.quality <= b.min + 1, "{found:?}");
    assert!(tried.len() <= 2, "{tried:?}");
}

/// Hard images for a perceptual search: noise (no encoder hides it), flat
/// colour (nothing to lose), and text-like thin dark strokes on white.
fn hard_images() -> Vec<(&'static str, DynamicImage)> {
    let (w, h) = (160, 120);
    let mut seed = 0x9e37_79b9u32;
    let noise = RgbImage::from_fn(w, h, |_, _| {
        image::Rgb([0, 1, 2].map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as u8
        }))
    });
    let flat = RgbImage::from_pixel(w, h, image::Rgb([40, 120, 200]));
    let text = RgbImage::from_fn(w, h, |x, y| {
        let stroke = (x % 9 < 2 && y % 14 < 10) || (y % 14 == 4 && x % 27 < 20);
        image::Rgb(if stroke { [20, 20, 30] } else { [255, 255, 255] })
    });
    let logo = RgbaImage::from_fn(w, h, |x, y| {
        let inside = (x as f32 - 80.0).hypot(y as f32 - 60.0) < 45.0;
        image::Rgba(if inside { [200, 30, 40, 255] } else { [0, 0, 0, 0] })
    });
    vec![
        ("noise", DynamicImage::ImageRgb8(noise)),
        ("flat", DynamicImage::ImageRgb8(flat)),
        ("text", DynamicImage::ImageRgb8(text)),
        ("logo", DynamicImage::ImageRgba8(logo)),
    ]
}

#[test]
fn hard_images_through_real_encoders_stay_above_the_floor() {
    let settings = EncoderSettings::default();
    let formats = [OutputFormat::Jpeg, OutputFormat::Webp]
        .into_iter()
        .filter(|f| *f == OutputFormat::Jpeg || cfg!(feature = "webp"));
    for format in formats {
        for (name, image) in hard_images() {
            if format == OutputFormat::Jpeg && image.color().has_alpha() {
                continue; // flattened onto white: the same as the text case
            }
            let (bytes, auto) =
                encode_auto(&image, format, [255; 3], &settings, &OutputMetadata::default()).unwrap();
            let q = auto.quality;
            assert!(auto.encodes <= bounds(format).encodes);
            let (w, h) = (image.width() as usize, image.height() as usize);
            let reference = visible(&image, [255; 3]);
            let score = crate::analyse::ssim2::tests::crate_score(
                &reference,
                &decoded(&bytes, format, &image, [255; 3]).unwrap(),
                w,
                h,
            );
            // Lossy WebP is always 4:2:0: no quality keeps colour noise,
            // so there the search must give its best (q100) instead.
            let reachable = !(name == "noise" && format == OutputFormat::Webp);
            if reachable {
                assert!(score >= 68.0, "{name} as {format:?}: q{q} scores {score:.1}");
            } else {
                assert_eq!(q, bounds(format).max, "{name} as {format:?}: the best there is");
            }
            if name == "flat" {
                assert!(q <= bounds(format).min + 1, "flat colour needs no quality: q{q}");
            }
        }
    }
}

#[test]
fn tiny_images_use_the_default_quality() {
    let image = DynamicImage::ImageRgb8(RgbImage::from_pixel(4, 4, image::Rgb([9, 9, 9])));
    let settings = EncoderSettings::default();
    let (_, auto) =
        encode_auto(&image, OutputFormat::Jpeg, [255; 3], &settings, &OutputMetadata::default()).unwrap();
    assert_eq!(auto, crate::AutoQuality { quality: OutputFormat::Jpeg.default_quality(), encodes: 1 });
}
