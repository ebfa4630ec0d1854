use image::{GrayImage, RgbImage};
use moxcms::ColorProfile;

use super::*;

fn icc(profile: &ColorProfile) -> Vec<u8> {
    profile.encode().expect("moxcms encodes its own profiles")
}

fn rgb(pixel: [u8; 3]) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_pixel(4, 4, pixel.into()))
}

fn first(image: &DynamicImage) -> [u8; 3] {
    image.to_rgb8().get_pixel(0, 0).0
}

fn chroma([r, g, b]: [u8; 3]) -> u8 {
    r.max(g).max(b) - r.min(g).min(b)
}

#[test]
fn untagged_is_left_alone_and_grey_becomes_rgb() {
    let out = to_srgb(rgb([10, 20, 30]), &SourceColour::Untagged).unwrap();
    assert_eq!(first(&out), [10, 20, 30]);
    let grey = DynamicImage::ImageLuma8(GrayImage::from_pixel(2, 2, [90].into()));
    let out = to_srgb(grey, &SourceColour::Untagged).unwrap();
    assert_eq!((out.color(), first(&out)), (image::ColorType::Rgb8, [90; 3]));
}

#[test]
fn an_srgb_profile_is_recognised_and_costs_nothing() {
    let srgb = icc(&ColorProfile::new_srgb());
    let image =
        DynamicImage::ImageRgb8(RgbImage::from_fn(16, 16, |x, y| [x as u8 * 16, y as u8 * 16, 99].into()));
    let out = to_srgb(image.clone(), &SourceColour::Icc(srgb)).unwrap();
    assert_eq!(out.as_bytes(), image.as_bytes(), "an sRGB-tagged image must come out untouched");
}

#[test]
fn wide_gamut_colours_get_more_saturated_numbers_in_srgb() {
    // The same muted colour is a stronger one in a wider gamut, so its sRGB
    // numbers must be further apart (Adobe RGB is wider than sRGB in greens,
    // Display P3 in reds and greens).
    let muted_red = [200, 100, 100];
    let muted_green = [100, 200, 100];
    for (name, profile, colour) in [
        ("Display P3", ColorProfile::new_display_p3(), muted_red),
        ("Display P3", ColorProfile::new_display_p3(), muted_green),
        ("Adobe RGB", ColorProfile::new_adobe_rgb(), muted_green),
    ] {
        let out = first(&to_srgb(rgb(colour), &SourceColour::Icc(icc(&profile))).unwrap());
        assert!(chroma(out) > chroma(colour) + 20, "{name}: {colour:?} -> {out:?}");
        let strongest = |c: [u8; 3]| (0..3).max_by_key(|&i| c[i]);
        assert_eq!(strongest(out), strongest(colour), "{name}: hue changed, {colour:?} -> {out:?}");
    }
}

#[test]
fn alpha_survives_an_rgba_transform() {
    let p3 = icc(&ColorProfile::new_display_p3());
    let rgba = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(2, 2, [200, 100, 100, 77].into()));
    let out = to_srgb(rgba, &SourceColour::Icc(p3)).unwrap();
    assert_eq!(out.to_rgba8().get_pixel(1, 1).0[3], 77);
}

#[test]
fn a_grey_profile_gives_neutral_srgb() {
    let gamma18 = icc(&ColorProfile::new_gray_with_gamma(1.8));
    let grey = DynamicImage::ImageLuma8(GrayImage::from_pixel(2, 2, [128].into()));
    let [r, g, b] = first(&to_srgb(grey, &SourceColour::Icc(gamma18)).unwrap());
    assert!(r == g && g == b, "{:?}", [r, g, b]);
    // Under gamma 1.8 code 128 is 29% light, under sRGB 22%: it must get lighter.
    assert!(r > 136, "{r}");
}

#[test]
fn unusable_profiles_are_ignored() {
    let rgb_profile_on_grey = SourceColour::Icc(icc(&ColorProfile::new_display_p3()));
    let grey = DynamicImage::ImageLuma8(GrayImage::from_pixel(2, 2, [50].into()));
    assert_eq!(first(&to_srgb(grey, &rgb_profile_on_grey).unwrap()), [50; 3]);
    let garbage = SourceColour::Icc(b"not an ICC profile at all".to_vec());
    assert_eq!(first(&to_srgb(rgb([1, 2, 3]), &garbage).unwrap()), [1, 2, 3]);
}

#[test]
fn cmyk_without_a_profile_uses_the_textbook_formula() {
    let cmyk = |p: [u8; 4]| DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(1, 1, p.into()));
    let naive = |p| first(&to_srgb(cmyk(p), &SourceColour::Cmyk(None)).unwrap());
    assert_eq!(naive([0, 0, 0, 0]), [255, 255, 255]);
    assert_eq!(naive([0, 0, 0, 255]), [0, 0, 0]);
    assert_eq!(naive([255, 0, 255, 0]), [0, 255, 0]);
    // A broken profile falls back to the formula too.
    let broken = SourceColour::Cmyk(Some(vec![0; 10]));
    assert_eq!(first(&to_srgb(cmyk([0, 0, 0, 0]), &broken).unwrap()), [255; 3]);
}
