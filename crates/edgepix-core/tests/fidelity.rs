//! Corpus tests that need no reference renderer: orientation (against the
//! orientation-1 file and a rotated full-resolution reference), transparent
//! edges (against a premultiplied reference resize computed here), and
//! metadata (none by default; only what was asked for when kept).

mod common;

use edgepix_core::EncoderSettings;
use image::imageops::{self, FilterType};
use image::{DynamicImage, Rgba32FImage, RgbaImage};

const WRONG: f64 = 40.0; // SSIMULACRA2 of a wrongly turned output (measured: about -700)

fn read(corpus: &std::path::Path, file: &str) -> Vec<u8> {
    std::fs::read(corpus.join(file)).unwrap()
}

/// Orientation-1 is untagged and 2..8 carry Apple's Generic RGB profile and
/// were encoded separately, so their colours legitimately differ a little
/// (which SSIMULACRA2 punishes hard; the golden test compares each with its
/// own rotated reference instead). Against orientation 1 the geometry is
/// checked with luma correlation: >= 0.95 upright (measured 0.97-0.98),
/// while every wrong flip or half turn of the same output must fall below
/// 0.6 (measured at most 0.46).
#[test]
#[ignore = "needs the test corpus (EDGEPIX_CORPUS, default ../shared/corpus): cargo test -- --include-ignored"]
fn all_eight_exif_orientations_come_out_upright() {
    let corpus = common::corpus();
    let settings = EncoderSettings::default();
    let (upright, _) = common::render(&read(&corpus, "exif-orientation-1.jpg"), "w=300&f=png", &settings);
    for n in 2..=8 {
        let (out, _) =
            common::render(&read(&corpus, &format!("exif-orientation-{n}.jpg")), "w=300&f=png", &settings);
        let score = common::luma_correlation(&upright, &out);
        let wrong =
            [out.fliph(), out.flipv(), out.rotate180()].map(|w| common::luma_correlation(&upright, &w));
        eprintln!("orientation {n}: upright {score:.3}, flipped/turned {wrong:.3?}");
        assert!(score >= 0.95, "orientation {n}: {score:.3} against orientation 1");
        assert!(wrong.iter().all(|&w| w < 0.6), "orientation {n}: a wrong transform scores {wrong:?}");
    }
}

/// `rect` is in displayed coordinates: the same rectangle of each of the
/// eight orientations (an off-centre, non-square one, so a wrong flip or
/// transpose picks other pixels) matches orientation 1's, as does a cover
/// crop of it placed by `pos`. Each file prints its number in the corner the
/// rectangle reaches (measured 0.93-0.95; the `pos=left` crop misses it:
/// 1.000), while a flipped output falls below 0.2.
#[test]
#[ignore = "needs the test corpus (EDGEPIX_CORPUS, default ../shared/corpus): cargo test -- --include-ignored"]
fn rect_and_pos_take_the_same_pixels_in_every_orientation() {
    let corpus = common::corpus();
    let settings = EncoderSettings::default();
    for query in ["rect=60,40,300,200&w=150&f=png", "rect=60,40,300,200&w=100&h=100&pos=left&f=png"] {
        let (upright, _) = common::render(&read(&corpus, "exif-orientation-1.jpg"), query, &settings);
        for n in 2..=8 {
            let (out, _) =
                common::render(&read(&corpus, &format!("exif-orientation-{n}.jpg")), query, &settings);
            let score = common::luma_correlation(&upright, &out);
            let wrong = [out.fliph(), out.flipv()].map(|w| common::luma_correlation(&upright, &w));
            eprintln!("{query} orientation {n}: {score:.3}, flipped {wrong:.3?}");
            assert!(
                score >= 0.9 && wrong.iter().all(|&w| w < 0.6),
                "{query} orientation {n}: {score:.3} {wrong:.3?}"
            );
        }
    }
}

/// The 12 MP phone photo (stored 4032x3024, EXIF 6) against a reference
/// made here: full-resolution decode, turned 90° clockwise, Lanczos3 by
/// `image` (not the resizer edgepix uses).
#[test]
#[ignore = "needs the test corpus (EDGEPIX_CORPUS, default ../shared/corpus): cargo test -- --include-ignored"]
fn the_12mp_orientation_6_photo_comes_out_upright() {
    let corpus = common::corpus();
    let bytes = read(&corpus, "photo-12mp-exif-orientation-6.jpg");
    let (out, _) = common::render(&bytes, "w=400&f=png", &EncoderSettings::default());
    assert_eq!((out.width(), out.height()), (400, 533));
    let mut decoder = jpeg_decoder::Decoder::new(&bytes[..]);
    let pixels = decoder.decode().unwrap();
    let info = decoder.info().unwrap();
    let full = image::RgbImage::from_raw(info.width.into(), info.height.into(), pixels).unwrap();
    let turned = |img: image::RgbImage| {
        DynamicImage::ImageRgb8(imageops::resize(&img, 400, 533, FilterType::Lanczos3))
    };
    let reference = turned(imageops::rotate90(&full));
    let wrong = turned(imageops::rotate270(&full));
    let (score, wrong) = (common::ssimulacra2(&reference, &out), common::ssimulacra2(&wrong, &out));
    eprintln!("12 MP orientation 6: {score:.1} (turned the wrong way: {wrong:.1})");
    assert!(score >= 80.0 && wrong < WRONG, "{score:.1} / {wrong:.1}");
}

/// Pixels next to fully transparent ones are where an unpremultiplied
/// resize drags the (invisible) colour of transparent pixels into visible
/// ones: dark or coloured fringes. For each image with transparency, the
/// largest colour error there, against a premultiplied Lanczos3 reference
/// computed here with `image` in floating point, must stay within
/// `FRINGE` levels; an unpremultiplied resize of the same image is shown
/// to exceed it where the transparent pixels hold a different colour.
#[test]
#[ignore = "needs the test corpus (EDGEPIX_CORPUS, default ../shared/corpus): cargo test -- --include-ignored"]
fn transparent_edges_have_no_fringe() {
    const FRINGE: u8 = 16; // measured: at most 7; unpremultiplied: 29 to 184
    let corpus = common::corpus();
    let cases = [
        ("png-rgba-2048x1536.png", 400),
        ("png-palette-trns.png", 100),
        ("png-16bit-rgba.png", 400),
        ("webp-lossless-alpha.webp", 200),
        ("webp-lossy-alpha.webp", 200),
    ];
    let mut naive_fails = 0;
    for (file, w) in cases {
        let bytes = read(&corpus, file);
        let (out, _) = common::render(&bytes, &format!("w={w}&f=png"), &EncoderSettings::default());
        let source = image::load_from_memory(&bytes).unwrap().to_rgba8();
        let reference = premultiplied_resize(&source, out.width(), out.height());
        let naive = imageops::resize(&source, out.width(), out.height(), FilterType::Lanczos3);
        let (ours, naive) = (edge_error(&reference, &out.to_rgba8()), edge_error(&reference, &naive));
        eprintln!("{file:28} edge error: edgepix {ours:?}, unpremultiplied {naive:?}");
        let (ours, pixels) = ours.expect("the image has transparent edges");
        assert!(pixels > 0 && ours <= FRINGE, "{file}: fringe of {ours} levels");
        naive_fails += usize::from(naive.is_some_and(|(e, _)| e > FRINGE));
    }
    assert!(naive_fails > 0, "no case tells a premultiplied resize from a naive one");
}

fn premultiplied_resize(source: &RgbaImage, w: u32, h: u32) -> RgbaImage {
    let mut linear = Rgba32FImage::new(source.width(), source.height());
    for (p, q) in source.pixels().zip(linear.pixels_mut()) {
        let a = f32::from(p.0[3]) / 255.0;
        q.0 = [0, 1, 2]
            .map(|c| f32::from(p.0[c]) / 255.0 * a)
            .into_iter()
            .chain([a])
            .collect::<Vec<_>>()
            .try_into()
            .unwrap();
    }
    let resized = imageops::resize(&linear, w, h, FilterType::Lanczos3);
    RgbaImage::from_fn(w, h, |x, y| {
        let [r, g, b, a] = resized.get_pixel(x, y).0.map(|v| v.clamp(0.0, 1.0));
        let un = |v: f32| if a > 0.0 { ((v / a).min(1.0) * 255.0).round() as u8 } else { 0 };
        [un(r), un(g), un(b), (a * 255.0).round() as u8].into()
    })
}

/// The largest RGB error among pixels that the reference shows at least
/// a quarter opaque and that touch a fully transparent reference pixel,
/// with how many such pixels there are (`None`: no such pixel).
fn edge_error(reference: &RgbaImage, candidate: &RgbaImage) -> Option<(u8, usize)> {
    let (w, h) = reference.dimensions();
    let clear = |x: i64, y: i64| {
        (0..i64::from(w)).contains(&x)
            && (0..i64::from(h)).contains(&y)
            && reference.get_pixel(x as u32, y as u32).0[3] == 0
    };
    let edges: Vec<u8> = reference
        .enumerate_pixels()
        .filter(|(x, y, p)| {
            let (x, y) = (i64::from(*x), i64::from(*y));
            p.0[3] >= 64 && [(1, 0), (-1, 0), (0, 1), (0, -1)].iter().any(|(dx, dy)| clear(x + dx, y + dy))
        })
        .map(|(x, y, p)| (0..3).map(|c| p.0[c].abs_diff(candidate.get_pixel(x, y).0[c])).max().unwrap())
        .collect();
    edges.iter().max().map(|&e| (e, edges.len()))
}
