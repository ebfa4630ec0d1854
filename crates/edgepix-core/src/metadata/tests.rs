use exif::{Field, Value};
use image::{ImageDecoder, RgbImage};

use super::*;
use crate::OutputFormat;

/// An EXIF block with a camera, a GPS version, an orientation and a copyright.
fn camera_exif() -> Vec<u8> {
    let ascii = |tag, text: &str| Field { tag, ifd_num: In::PRIMARY, value: Value::Ascii(vec![text.into()]) };
    let fields = [
        ascii(Tag::Make, "Spy Camera Co"),
        ascii(Tag::Artist, "Jo Photographer"),
        ascii(Tag::Copyright, "(c) 2024 Jo"),
        Field { tag: Tag::Orientation, ifd_num: In::PRIMARY, value: Value::Short(vec![6]) },
        Field { tag: Tag::GPSVersionID, ifd_num: In::PRIMARY, value: Value::Byte(vec![2, 2, 0, 0]) },
    ];
    let mut writer = exif::experimental::Writer::new();
    fields.iter().for_each(|f| writer.push_field(f));
    let mut out = std::io::Cursor::new(Vec::new());
    writer.write(&mut out, true).unwrap();
    out.into_inner()
}

fn tags(exif_block: &[u8]) -> Vec<(Tag, String)> {
    let exif = exif::Reader::new().read_raw(exif_block.to_vec()).unwrap();
    exif.fields().map(|f| (f.tag, f.display_value().to_string())).collect()
}

#[test]
fn only_artist_and_copyright_are_carried_over() {
    let kept = tags(&copyright_exif(camera_exif()).unwrap());
    let names: Vec<Tag> = kept.iter().map(|(t, _)| *t).collect();
    assert_eq!(names, [Tag::Artist, Tag::Copyright], "{kept:?}");
    assert!(kept[1].1.contains("2024 Jo"), "{kept:?}");
    assert_eq!(copyright_exif(b"garbage".to_vec()), None);
}

fn sample(format: OutputFormat) -> Vec<u8> {
    let image = image::DynamicImage::ImageRgb8(RgbImage::from_fn(24, 16, |x, y| {
        [x as u8 * 9, y as u8 * 9, 50].into()
    }));
    let none = OutputMetadata::default();
    crate::encode::encode(&image, format, 80, [255; 3], &crate::EncoderSettings::default(), &none).unwrap()
}

fn kept() -> OutputMetadata {
    OutputMetadata { icc: Some(srgb_profile()), exif: copyright_exif(camera_exif()) }
}

#[test]
fn jpeg_gets_app1_exif_and_app2_icc_and_still_decodes() {
    let out = embed(sample(OutputFormat::Jpeg), OutputFormat::Jpeg, (24, 16), &kept());
    let mut decoder = jpeg_decoder::Decoder::new(&out[..]);
    decoder.decode().expect("still a valid JPEG");
    assert_eq!(decoder.icc_profile().as_deref(), Some(srgb_profile()));
    assert!(tags(decoder.exif_data().unwrap()).iter().any(|(t, _)| *t == Tag::Copyright));
    assert_eq!(&out[6..10], b"JFIF", "the JFIF segment must stay first");
}

#[test]
fn png_gets_srgb_and_exif_chunks_and_still_decodes() {
    let out = embed(sample(OutputFormat::Png), OutputFormat::Png, (24, 16), &kept());
    let mut decoder = image::codecs::png::PngDecoder::new(std::io::Cursor::new(&out)).unwrap();
    assert!(tags(&decoder.exif_metadata().unwrap().unwrap()).iter().any(|(t, _)| *t == Tag::Artist));
    image::DynamicImage::from_decoder(decoder).expect("still a valid PNG (CRCs right)");
    assert!(out.windows(4).any(|w| w == b"sRGB"));
}

#[cfg(feature = "webp")]
#[test]
fn webp_becomes_extended_with_iccp_and_exif_and_still_decodes() {
    let out = embed(sample(OutputFormat::Webp), OutputFormat::Webp, (24, 16), &kept());
    assert_eq!(&out[12..16], b"VP8X");
    assert_eq!(u32::from_le_bytes(out[4..8].try_into().unwrap()) as usize, out.len() - 8);
    let mut decoder = image::codecs::webp::WebPDecoder::new(std::io::Cursor::new(&out)).unwrap();
    assert_eq!(decoder.icc_profile().unwrap().as_deref(), Some(srgb_profile()));
    assert!(tags(&decoder.exif_metadata().unwrap().unwrap()).iter().any(|(t, _)| *t == Tag::Copyright));
    let image = image::DynamicImage::from_decoder(decoder).expect("still a valid WebP");
    assert_eq!((image.width(), image.height()), (24, 16));
}

#[test]
fn nothing_to_keep_leaves_the_bytes_alone() {
    let jpeg = sample(OutputFormat::Jpeg);
    assert_eq!(embed(jpeg.clone(), OutputFormat::Jpeg, (24, 16), &OutputMetadata::default()), jpeg);
}

#[test]
fn the_srgb_tag_is_a_real_srgb_profile() {
    let profile = moxcms::ColorProfile::new_from_slice(srgb_profile()).unwrap();
    assert_eq!(profile.color_space, moxcms::DataColorSpace::Rgb);
    assert!(srgb_profile().len() < 4096, "{} bytes", srgb_profile().len());
}

/// EXIF orientation 6 ("turn 90° clockwise") carried by PNG's eXIf and
/// WebP's EXIF chunk (written here with the same splicer) is applied: the
/// stored left edge (red) must come out on top.
#[test]
fn png_and_webp_exif_orientation_is_applied() {
    let stored = image::DynamicImage::ImageRgb8(RgbImage::from_fn(40, 20, |x, _| {
        if x < 20 { [255, 0, 0].into() } else { [0, 0, 255].into() }
    }));
    let orientation = Field { tag: Tag::Orientation, ifd_num: In::PRIMARY, value: Value::Short(vec![6]) };
    let mut writer = exif::experimental::Writer::new();
    writer.push_field(&orientation);
    let mut block = std::io::Cursor::new(Vec::new());
    writer.write(&mut block, false).unwrap();
    let meta = OutputMetadata { icc: None, exif: Some(block.into_inner()) };
    let settings = crate::EncoderSettings::default();
    let mut formats = vec![OutputFormat::Png];
    if cfg!(feature = "webp") {
        formats.push(OutputFormat::Webp);
    }
    for format in formats {
        let plain =
            crate::encode::encode(&stored, format, 100, [255; 3], &settings, &OutputMetadata::default());
        let tagged = embed(plain.unwrap(), format, (40, 20), &meta);
        let limits = crate::Limits::default();
        let probe = crate::probe(&tagged, &limits).unwrap();
        let params = crate::Params::parse("f=png&w=20", &limits).unwrap();
        let plan = crate::Plan::new(&probe, &params, &settings).unwrap();
        let out = crate::process(&tagged, &plan, &limits).unwrap();
        let image = image::load_from_memory(&out.bytes).unwrap().to_rgb8();
        assert_eq!(image.dimensions(), (20, 40), "{format:?}");
        let (top, bottom) = (image.get_pixel(10, 5).0, image.get_pixel(10, 35).0);
        assert!(top[0] > 200 && top[2] < 50 && bottom[2] > 200, "{format:?}: top {top:?}, bottom {bottom:?}");
    }
}
