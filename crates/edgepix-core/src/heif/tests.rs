use image::{DynamicImage, RgbImage};

use super::*;

fn boxed(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(body);
    out
}

fn full(kind: &[u8; 4], version: u8, body: &[u8]) -> Vec<u8> {
    boxed(kind, &[&[version, 0, 0, 0][..], body].concat())
}

fn infe(id: u16, kind: &[u8; 4]) -> Vec<u8> {
    full(b"infe", 2, &[&id.to_be_bytes()[..], &[0, 0], kind, b"\0"].concat())
}

/// A file whose primary item 1 (AV1, 40×30, cropped to 20×10 at (10, 10),
/// turned and mirrored) has an alpha item 2; both point into `mdat`.
fn file() -> Vec<u8> {
    let ftyp = boxed(b"ftyp", b"avif\0\0\0\0mif1avif");
    let clap = [20u32, 1, 10, 1, 0, 1, 0, 1].iter().flat_map(|v| v.to_be_bytes()).collect::<Vec<_>>();
    let ipco = [
        full(b"ispe", 0, &[40u32.to_be_bytes(), 30u32.to_be_bytes()].concat()),
        boxed(b"colr", b"nclx\0\x09\0\x10\0\x09\x80"),
        boxed(b"irot", &[1]),
        boxed(b"imir", &[1]),
        boxed(b"clap", &clap),
        full(b"auxC", 0, b"urn:mpeg:mpegB:cicp:systems:auxiliary:alpha\0"),
    ]
    .concat();
    // Item 1: properties 1-5; item 2: 1 and 6.
    let ipma = full(b"ipma", 0, &[0, 0, 0, 2, 0, 1, 5, 1, 2, 3, 4, 5, 0, 2, 2, 1, 6]);
    let iprp = boxed(b"iprp", &[boxed(b"ipco", &ipco), ipma].concat());
    let iinf = full(b"iinf", 0, &[&[0, 2][..], &infe(1, b"av01"), &infe(2, b"av01")].concat());
    let iref = full(b"iref", 0, &boxed(b"auxl", &[0, 2, 0, 1, 0, 1]));
    let pitm = full(b"pitm", 0, &[0, 1]);
    // iloc v0, 4-byte offsets and lengths, no base: offsets patched below.
    let iloc = |offset: u32| {
        let entry = |id: u16, at: u32, len: u32| {
            [&id.to_be_bytes()[..], &[0, 0, 0, 1], &at.to_be_bytes(), &len.to_be_bytes()].concat()
        };
        full(b"iloc", 0, &[&[0x44, 0, 0, 2][..], &entry(1, offset, 5), &entry(2, offset + 5, 3)].concat())
    };
    let meta = |offset| {
        full(b"meta", 0, &[pitm.clone(), iinf.clone(), iloc(offset), iref.clone(), iprp.clone()].concat())
    };
    let head = [ftyp.clone(), meta(0)].concat();
    let offset = (head.len() + 8) as u32;
    [ftyp, meta(offset), boxed(b"mdat", b"COLORalf")].concat()
}

#[test]
fn the_primary_image_and_its_alpha() {
    let bytes = file();
    let heif = Heif::parse(&bytes).unwrap();
    let image = heif.primary().unwrap();
    assert_eq!((image.id, image.codec, image.size), (1, Codec::Av1, (40, 30)));
    assert_eq!(image.crop, Some((10, 10, 20, 10)));
    assert_eq!(image.stored_size(), (20, 10));
    assert_eq!(image.orientation, orientation(1, Some(1)));
    let cicp = Cicp { primaries: 9, transfer: 16, matrix: 9, full_range: true };
    assert_eq!(image.colour, Some(Colour::Cicp(cicp)));
    assert_eq!((image.alpha, image.premultiplied), (Some(2), false));
    assert_eq!(&*heif.data(1).unwrap(), b"COLOR");
    assert_eq!(&*heif.data(2).unwrap(), b"alf");
    assert!(heif.data(3).is_err());
}

#[test]
fn every_truncation_is_an_error_or_a_smaller_file_never_a_panic() {
    let bytes = file();
    for end in 0..bytes.len() {
        if let Ok(heif) = Heif::parse(&bytes[..end]) {
            let _ = heif.primary().map(|image| heif.data(image.id));
        }
    }
    let mut hostile = bytes.clone();
    for at in (0..hostile.len()).step_by(3) {
        hostile[at] = 0xFF;
        if let Ok(heif) = Heif::parse(&hostile) {
            let _ = heif.primary().map(|image| heif.data(image.id));
        }
    }
}

/// `irot` turns anticlockwise, then `imir` mirrors (0: top and bottom,
/// 1: left and right), step by step, against the one orientation they make.
#[test]
fn rotation_then_mirror_is_one_orientation() {
    let labelled = DynamicImage::ImageRgb8(RgbImage::from_fn(3, 2, |x, y| [x as u8, y as u8, 0].into()));
    for turns in 0..4u8 {
        for mirror in [None, Some(0), Some(1)] {
            let mut steps = labelled.clone();
            for _ in 0..turns {
                steps = steps.rotate270();
            }
            steps = match mirror {
                Some(0) => steps.flipv(),
                Some(_) => steps.fliph(),
                None => steps,
            };
            let mut once = labelled.clone();
            once.apply_orientation(orientation(turns, mirror));
            assert_eq!(once, steps, "irot {turns}, imir {mirror:?}");
        }
    }
}

#[test]
fn clean_apertures_in_whole_pixels_only() {
    let clap = |w: (u32, u32), h: (u32, u32), x: (i32, u32), y: (i32, u32)| property::Clap {
        width: w,
        height: h,
        horizontal_offset: x,
        vertical_offset: y,
    };
    assert_eq!(clap((20, 1), (10, 1), (0, 1), (0, 1)).rect(40, 30), Some((10, 10, 20, 10)));
    assert_eq!(clap((20, 1), (10, 1), (-10, 1), (10, 1)).rect(40, 30), Some((0, 20, 20, 10)));
    assert_eq!(clap((21, 2), (10, 1), (0, 1), (0, 1)).rect(40, 30), None, "half pixels");
    assert_eq!(clap((20, 1), (10, 1), (-11, 1), (0, 1)).rect(40, 30), None, "outside");
    assert_eq!(clap((20, 0), (10, 1), (0, 1), (0, 1)).rect(40, 30), None, "division by zero");
    assert_eq!(clap((21, 1), (10, 1), (0, 1), (0, 1)).rect(40, 30), None, "odd margin");
}
