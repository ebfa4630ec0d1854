use image::metadata::Orientation;

use super::*;
use crate::Limits;
use crate::geometry::Region;

fn probe(format: InputFormat, (width, height): (u32, u32), orientation: Orientation) -> Probe {
    Probe { format, width, height, orientation, has_alpha: false, frames: 1 }
}

fn plan(probe: &Probe, query: &str, settings: &EncoderSettings) -> Plan {
    Plan::new(probe, &Params::parse(query, &Limits::default()).unwrap(), settings).unwrap()
}

#[test]
fn min_scale_keeps_twice_the_output() {
    assert_eq!(min_scale(&geometry::plan(4000, 3000, Some(500), None), ShrinkOnLoad::Quality), 0.25);
    assert_eq!(min_scale(&geometry::plan(4000, 3000, Some(3000), None), ShrinkOnLoad::Quality), 1.0);
    // Cover crop: the kept region, not the whole image, must stay 2x.
    assert_eq!(min_scale(&geometry::plan(4000, 1000, Some(100), Some(100)), ShrinkOnLoad::Quality), 0.2);
}

#[test]
fn stored_geometry_and_decode_floor_follow_the_orientation() {
    let upright = probe(InputFormat::Jpeg, (4000, 3000), Orientation::NoTransforms);
    let turned = probe(InputFormat::Jpeg, (4000, 3000), Orientation::Rotate90);
    let settings = EncoderSettings::default();
    let cases = [
        // (probe, query) -> (display size, stored size, decode floor)
        (upright, "w=500", (500, 375), (500, 375), (1000, 750)),
        (turned, "h=1000", (750, 1000), (1000, 750), (2000, 1500)),
        (upright, "w=4000", (4000, 3000), (4000, 3000), (4000, 3000)),
        (upright, "w=300&h=300", (300, 300), (300, 300), (800, 600)),
        (upright, "", (4000, 3000), (4000, 3000), (4000, 3000)),
    ];
    for (probe, query, display, stored, floor) in cases {
        let p = plan(&probe, query, &settings);
        assert_eq!((p.display.width, p.display.height), display, "{query} {:?}", probe.orientation);
        assert_eq!((p.stored.width, p.stored.height), stored, "{query} {:?}", probe.orientation);
        assert_eq!(p.decode_floor, floor, "{query} {:?}", probe.orientation);
    }
    // A centred cover crop of a turned photo: the stored region is the transpose.
    let p = plan(&turned, "w=300&h=100", &settings);
    assert_eq!(p.display.region, Region { x: 0.0, y: 1500.0, width: 3000.0, height: 1000.0 });
    assert_eq!(p.stored.region, Region { x: 1500.0, y: 0.0, width: 1000.0, height: 3000.0 });
}

#[test]
fn only_plain_jpegs_take_the_planes_lane() {
    let jpeg = probe(InputFormat::Jpeg, (1920, 1080), Orientation::NoTransforms);
    let rotated = probe(InputFormat::Jpeg, (1920, 1080), Orientation::Rotate180);
    let png = probe(InputFormat::Png, (1920, 1080), Orientation::NoTransforms);
    let linear = EncoderSettings { linear_light: true, ..EncoderSettings::default() };
    let planes = if cfg!(feature = "simd") { Lane::Planes } else { Lane::Rgb };
    let webp = if cfg!(feature = "webp") { planes } else { Lane::Rgb };
    let cases = [
        (jpeg, "w=300", EncoderSettings::default(), planes),
        (jpeg, "w=300&f=jpeg&q=90", EncoderSettings::default(), planes),
        (jpeg, "w=300&h=300&fit=cover", EncoderSettings::default(), planes),
        (jpeg, "w=300&f=webp", EncoderSettings::default(), webp),
        (jpeg, "w=300&f=png", EncoderSettings::default(), Lane::Rgb),
        (jpeg, "w=300&f=avif", EncoderSettings::default(), Lane::Rgb),
        (jpeg, "w=300&h=300&fit=contain", EncoderSettings::default(), Lane::Rgb),
        (jpeg, "w=300", linear, Lane::Rgb),
        (rotated, "w=300", EncoderSettings::default(), Lane::Rgb),
        (png, "w=300&f=jpeg", EncoderSettings::default(), Lane::Rgb),
    ];
    for (probe, query, settings, lane) in cases {
        assert_eq!(plan(&probe, query, &settings).lane(), lane, "{query} {:?}", probe.format);
    }
}

#[test]
fn the_output_format_and_quality() {
    let settings = EncoderSettings::default();
    let gif = probe(InputFormat::Gif, (100, 100), Orientation::NoTransforms);
    let source = plan(&gif, "w=50", &settings);
    assert_eq!([true, false].map(|a| source.output_format(a)), [OutputFormat::Png, OutputFormat::Jpeg]);
    assert_eq!(source.quality_for(OutputFormat::Jpeg), 80);
    assert_eq!(source.quality_for(OutputFormat::Avif), 50);
    let named = plan(&gif, "w=50&f=webp&q=61", &settings);
    assert_eq!([true, false].map(|a| named.output_format(a)), [OutputFormat::Webp; 2]);
    assert_eq!(named.quality_for(OutputFormat::Webp), 61);
    assert!(plan(&gif, "", &settings).is_passthrough() && !source.is_passthrough());
}

#[test]
fn the_output_size_is_the_canvas_when_padded() {
    let png = probe(InputFormat::Png, (600, 400), Orientation::NoTransforms);
    let settings = EncoderSettings::default();
    assert_eq!(plan(&png, "w=200&h=200&fit=contain", &settings).output_size(), (200, 200));
    assert_eq!(plan(&png, "w=200&h=200&fit=inside", &settings).output_size(), (200, 133));
}

/// `rect` is in displayed coordinates: for every orientation, the stored
/// region is the same pixels, and the output size does not turn.
#[test]
fn rect_is_taken_from_the_displayed_image() {
    use Orientation::*;
    let settings = EncoderSettings::default();
    let query = "rect=100,200,400,300";
    let cases = [
        // orientation -> stored region (x, y, w, h) of a 4000x3000 stored photo
        (NoTransforms, (100.0, 200.0, 400.0, 300.0)),
        (FlipHorizontal, (3500.0, 200.0, 400.0, 300.0)),
        (Rotate180, (3500.0, 2500.0, 400.0, 300.0)),
        (FlipVertical, (100.0, 2500.0, 400.0, 300.0)),
        (Rotate90FlipH, (200.0, 100.0, 300.0, 400.0)),
        (Rotate90, (200.0, 2500.0, 300.0, 400.0)),
        (Rotate270FlipH, (3500.0, 2500.0, 300.0, 400.0)),
        (Rotate270, (3500.0, 100.0, 300.0, 400.0)),
    ];
    for (orientation, (x, y, width, height)) in cases {
        let p = plan(&probe(InputFormat::Png, (4000, 3000), orientation), query, &settings);
        assert_eq!(p.output_size(), (400, 300), "{orientation:?}");
        assert_eq!(p.display.region, Region { x: 100.0, y: 200.0, width: 400.0, height: 300.0 });
        assert_eq!(p.stored.region, Region { x, y, width, height }, "{orientation:?}");
    }
}

#[test]
fn rect_then_fit_and_dpr() {
    let settings = EncoderSettings::default();
    let png = probe(InputFormat::Png, (4000, 3000), Orientation::NoTransforms);
    let rect = "rect=1000,500,2000,1000";
    let cases = [
        // query -> output size, display region (x, y, w, h), canvas offset
        ("w=100&h=100&dpr=2", (200, 200), (1500.0, 500.0, 1000.0, 1000.0), None),
        ("w=100&h=100&pos=left", (100, 100), (1000.0, 500.0, 1000.0, 1000.0), None),
        ("w=100&h=100&pos=0.9,0.5", (100, 100), (2000.0, 500.0, 1000.0, 1000.0), None),
        ("w=300&h=300&fit=contain&dpr=1.5", (450, 450), (1000.0, 500.0, 2000.0, 1000.0), Some((0, 112))),
        ("w=300&h=300&fit=contain&pos=bottom", (300, 300), (1000.0, 500.0, 2000.0, 1000.0), Some((0, 150))),
        ("w=500", (500, 250), (1000.0, 500.0, 2000.0, 1000.0), None),
        ("w=4000&h=100&fit=inside", (200, 100), (1000.0, 500.0, 2000.0, 1000.0), None),
        ("", (2000, 1000), (1000.0, 500.0, 2000.0, 1000.0), None),
    ];
    for (query, size, (x, y, width, height), offset) in cases {
        let p = plan(&png, &format!("{rect}&{query}"), &settings);
        assert_eq!(p.output_size(), size, "{query}");
        assert_eq!(p.display.region, Region { x, y, width, height }, "{query}");
        assert_eq!(p.canvas.map(|c| (c.x, c.y)), offset, "{query}");
    }
}

#[test]
fn a_rect_outside_the_displayed_image_is_refused() {
    let turned = probe(InputFormat::Jpeg, (4000, 3000), Orientation::Rotate90);
    let settings = EncoderSettings::default();
    let params = |q| Params::parse(q, &Limits::default()).unwrap();
    assert!(Plan::new(&turned, &params("rect=0,0,3000,4000"), &settings).is_ok());
    for query in ["rect=0,0,4000,3000", "rect=1,0,3000,4000", "rect=0,3999,1,2", "rect=999999999,0,1,1"] {
        let error = Plan::new(&turned, &params(query), &settings).unwrap_err();
        assert!(matches!(error, CoreError::RectOutOfBounds { .. }), "{query}: {error}");
        assert!(error.to_string().contains("`rect`") && error.to_string().contains("3000x4000"), "{error}");
    }
}

#[test]
fn only_a_still_cover_crop_searches() {
    let settings = EncoderSettings::default();
    let jpeg = probe(InputFormat::Jpeg, (1920, 1080), Orientation::NoTransforms);
    let animated = Probe { frames: 5, format: InputFormat::Gif, ..jpeg };
    let searched = plan(&jpeg, "w=300&h=300&pos=attention", &settings);
    assert_eq!(searched.search.map(|s| s.strategy), Some(crate::analyse::Strategy::Attention));
    assert_eq!(searched.lane(), Lane::Rgb);
    assert!(plan(&jpeg, "w=300&h=300&pos=top", &settings).search.is_none());
    assert!(plan(&jpeg, "w=300&h=300&fit=contain&pos=entropy", &settings).search.is_none());
    assert!(plan(&animated, "w=300&h=300&pos=entropy", &settings).search.is_none());
}

#[test]
fn fast_shrink_on_load_follows_sharps_rule_and_guard() {
    let upright = probe(InputFormat::Jpeg, (4000, 3000), Orientation::NoTransforms);
    let fast = EncoderSettings { shrink_on_load: ShrinkOnLoad::Fast, ..EncoderSettings::default() };
    // 4000 px to 500 is a shrink of 8: sharp's guard halves 1/8 to 1/4.
    assert_eq!(plan(&upright, "w=500", &fast).decode_floor, (1000, 750));
    assert_eq!(plan(&upright, "w=400", &fast).decode_floor, (500, 375));
    assert_eq!(plan(&upright, "w=800", &fast).decode_floor, (1000, 750));
    // 2725 px to 1200 (2.3): whole; to 800 (3.4): 1/2.
    let six = probe(InputFormat::Jpeg, (2725, 2225), Orientation::NoTransforms);
    assert_eq!(plan(&six, "w=1200", &fast).decode_floor, (2725, 2225));
    assert_eq!(plan(&six, "w=800", &fast).decode_floor, (1363, 1113));
    assert_eq!(plan(&upright, "w=4000", &fast).decode_floor, (4000, 3000));
    assert_eq!(plan(&upright, "w=400", &EncoderSettings::default()).decode_floor, (800, 600));
}

/// `image` as PNG bytes: an original every decoder reads as it is.
fn png(image: &image::RgbImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Probe, plan and process `bytes` for `query` under `settings`.
fn run(bytes: &[u8], query: &str, settings: &EncoderSettings) -> crate::Output {
    let limits = Limits::default();
    let probe = crate::probe(bytes, &limits).unwrap();
    let plan = Plan::new(&probe, &Params::parse(query, &limits).unwrap(), settings).unwrap();
    crate::process(bytes, &plan, &limits).unwrap()
}

/// sharp's rounding case: 1500×735 to 300 wide is 300×147 whatever the
/// decoder's scale (1/4 in the fast mode, 1/2 in the quality mode).
#[test]
fn a_shrunk_decode_keeps_the_exact_output_size() {
    let png =
        png(&image::RgbImage::from_fn(1500, 735, |x, y| image::Rgb([(x % 251) as u8, (y % 241) as u8, 90])));
    let jpeg = run(&png, "f=jpeg&q=95", &EncoderSettings::default()).bytes;
    for mode in [ShrinkOnLoad::Fast, ShrinkOnLoad::Quality] {
        let settings = EncoderSettings { shrink_on_load: mode, ..EncoderSettings::default() };
        let out = run(&jpeg, "w=300&f=png", &settings);
        assert_eq!((out.width, out.height), (300, 147), "{mode:?}");
        let decoded = image::load_from_memory(&out.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (300, 147), "{mode:?}");
    }
}

/// Regression: a 1005 px wide JPEG decoded at 1/8 is 126 px that span
/// 125.625 px of the image; mapping it as 126/1005 moved an edge near the
/// right side by a quarter of an output pixel (12 SSIMULACRA2 points lost
/// on a 2725 px photo at 400 w).
#[test]
fn a_shrunk_on_load_jpeg_keeps_its_edges_where_a_full_decode_puts_them() {
    let png = png(&image::RgbImage::from_fn(1005, 64, |x, _| image::Rgb([if x < 900 { 0 } else { 255 }; 3])));
    let jpeg = run(&png, "f=jpeg&q=100", &EncoderSettings::default()).bytes;
    // Where the middle row crosses half grey, to a fraction of a pixel.
    let edge = |bytes: &[u8], mode: ShrinkOnLoad| {
        let settings = EncoderSettings { shrink_on_load: mode, ..EncoderSettings::default() };
        let out = image::load_from_memory(&run(bytes, "w=100&f=png", &settings).bytes).unwrap().to_luma8();
        let row: Vec<f64> =
            (0..out.width()).map(|x| f64::from(out.get_pixel(x, out.height() / 2).0[0])).collect();
        let i = row.iter().position(|&v| v >= 127.5).unwrap();
        (i - 1) as f64 + (127.5 - row[i - 1]) / (row[i] - row[i - 1])
    };
    // The PNG is decoded whole: the edge at 900 px lands at 89.55 - 0.5 (pixel centres).
    let whole = edge(&png, ShrinkOnLoad::Quality);
    assert!((whole - 89.05).abs() < 0.1, "edge at {whole:.3}, expected 89.05");
    // The JPEG at 1/8 (fast) and 1/4 (quality).
    for mode in [ShrinkOnLoad::Fast, ShrinkOnLoad::Quality] {
        let scaled = edge(&jpeg, mode);
        assert!(
            (scaled - whole).abs() < 0.1,
            "{mode:?}: edge at {scaled:.3} against {whole:.3} from a whole decode"
        );
    }
}
