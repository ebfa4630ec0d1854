use super::*;

fn out(g: Geometry) -> (u32, u32) {
    (g.width, g.height)
}

#[test]
fn output_sizes() {
    let cases = [
        // (source, w, h) -> output
        ((2725, 2225), Some(800), None, (800, 653)),
        ((2725, 2225), None, Some(653), (800, 653)),
        ((600, 450), Some(300), None, (300, 225)),
        ((600, 450), Some(900), None, (600, 450)), // no upscaling
        ((600, 450), None, None, (600, 450)),
        ((600, 450), Some(200), Some(200), (200, 200)),
        ((600, 450), Some(1200), Some(600), (600, 300)), // box shrunk to fit
        ((10000, 1), Some(10), None, (10, 1)),           // never 0
        ((1, 10000), Some(1), Some(1), (1, 1)),
    ];
    for ((sw, sh), w, h, expected) in cases {
        assert_eq!(out(plan(sw, sh, w, h)), expected, "{sw}x{sh} w={w:?} h={h:?}");
    }
}

#[test]
fn cover_crops_the_centre() {
    let g = plan(600, 450, Some(200), Some(200));
    assert_eq!(g.region, Region { x: 75.0, y: 0.0, width: 450.0, height: 450.0 });
    let g = plan(450, 600, Some(300), Some(100));
    assert_eq!(g.region, Region { x: 0.0, y: 225.0, width: 450.0, height: 150.0 });
}

/// sharp's documented meanings, on a 600×400 source and a 200×200 box
/// (and boxes larger than the source, where edgepix never upscales).
#[test]
fn fits() {
    use Fit::*;
    let cases = [
        (Cover, (200, 200), (200, 200), None),
        (Contain, (200, 200), (200, 133), Some((200, 200, 0, 33))),
        (Fill, (200, 200), (200, 200), None),
        (Inside, (200, 200), (200, 133), None),
        (Outside, (200, 200), (300, 200), None),
        (Contain, (300, 100), (150, 100), Some((300, 100, 75, 0))),
        (Inside, (300, 100), (150, 100), None),
        (Outside, (300, 100), (300, 200), None),
        (Fill, (300, 100), (300, 100), None),
        // Boxes larger than the source.
        (Inside, (1200, 1200), (600, 400), None),
        (Outside, (1200, 300), (600, 400), None),
        (Fill, (1200, 1200), (400, 400), None),
        (Contain, (1200, 1200), (400, 267), Some((400, 400, 0, 66))),
        (Cover, (1200, 1200), (400, 400), None),
    ];
    for (fit, (w, h), size, canvas) in cases {
        let (g, c) = plan_fit(600, 400, Some(w), Some(h), fit);
        assert_eq!((g.width, g.height), size, "{fit:?} {w}x{h}");
        assert_eq!(c.map(|c| (c.width, c.height, c.x, c.y)), canvas, "{fit:?} {w}x{h}");
    }
    // Cover crops the centre; contain, fill, inside and outside keep it all.
    assert_eq!(plan_fit(600, 400, Some(200), Some(200), Cover).0.region.width, 400.0);
    for fit in [Contain, Fill, Inside, Outside] {
        assert_eq!(plan_fit(600, 400, Some(200), Some(200), fit).0.region.width, 600.0, "{fit:?}");
    }
}

/// Every compass point (as `pos` gives them: fractions 0, 0.5, 1) on a
/// 600×400 source, for a square, a tall and a wide box.
#[test]
fn cover_at_every_compass_point() {
    let cases = [
        // (anchor, 200x200 -> x, 100x200 -> x, 300x100 -> y)
        ((0.5, 0.5), 100.0, 200.0, 100.0),
        ((0.5, 0.0), 100.0, 200.0, 0.0),
        ((0.5, 1.0), 100.0, 200.0, 200.0),
        ((0.0, 0.5), 0.0, 0.0, 100.0),
        ((1.0, 0.5), 200.0, 400.0, 100.0),
        ((0.0, 0.0), 0.0, 0.0, 0.0),
        ((1.0, 0.0), 200.0, 400.0, 0.0),
        ((0.0, 1.0), 0.0, 0.0, 200.0),
        ((1.0, 1.0), 200.0, 400.0, 200.0),
    ];
    for (anchor, square, tall, wide) in cases {
        let at = |w, h| plan_at(600, 400, Some(w), Some(h), Fit::Cover, anchor).0.region;
        assert_eq!(at(200, 200), Region { x: square, y: 0.0, width: 400.0, height: 400.0 }, "{anchor:?}");
        assert_eq!(at(100, 200), Region { x: tall, y: 0.0, width: 200.0, height: 400.0 }, "{anchor:?}");
        assert_eq!(at(300, 100), Region { x: 0.0, y: wide, width: 600.0, height: 200.0 }, "{anchor:?}");
    }
}

/// A focal point is centred on as far as the image allows.
#[test]
fn focal_points_near_the_edges_are_clamped() {
    let cases = [
        // anchor -> region x of a 400x400 crop of 1000x400 (box 100x100)
        ((0.4, 0.5), 200.0),
        ((0.05, 0.5), 0.0),
        ((0.95, 0.5), 600.0),
        ((0.31, 0.5), 110.0),
        ((0.999, 0.001), 600.0),
        ((0.0, 1.0), 0.0),
    ];
    for (anchor, x) in cases {
        let g = plan_at(1000, 400, Some(100), Some(100), Fit::Cover, anchor).0;
        assert_eq!(g.region, Region { x, y: 0.0, width: 400.0, height: 400.0 }, "{anchor:?}");
        assert_eq!((g.width, g.height), (100, 100));
    }
    // Both directions clamp: a 100x100 crop of a box larger than 1000x400.
    let g = plan_at(1000, 400, Some(2000), Some(2000), Fit::Cover, (0.02, 0.98)).0;
    assert_eq!(g.region, Region { x: 0.0, y: 0.0, width: 400.0, height: 400.0 });
}

/// `contain` splits the padding in the anchor's proportions.
#[test]
fn contain_places_the_image_by_the_anchor() {
    let cases = [
        // 600x400 into 200x200: the image is 200x133, 67 px free vertically.
        ((0.5, 0.5), (0, 33)),
        ((0.5, 0.0), (0, 0)),
        ((0.5, 1.0), (0, 67)),
        ((0.0, 0.25), (0, 16)),
        ((1.0, 1.0), (0, 67)),
    ];
    for (anchor, (x, y)) in cases {
        let canvas = plan_at(600, 400, Some(200), Some(200), Fit::Contain, anchor).1.unwrap();
        assert_eq!((canvas.x, canvas.y), (x, y), "{anchor:?}");
    }
    // A tall box: the free space is horizontal.
    let canvas = plan_at(600, 400, Some(300), Some(100), Fit::Contain, (1.0, 0.0)).1.unwrap();
    assert_eq!((canvas.width, canvas.x, canvas.y), (300, 150, 0));
}

/// `stored` against the image crate's own orientation: mark the stored
/// region of a displayed rectangle, orient, and find the rectangle.
#[test]
fn stored_regions_follow_every_orientation() {
    use image::metadata::Orientation::*;
    use image::{GrayImage, Luma};
    let (display_w, display_h) = (7, 5);
    let rect = Region { x: 1.0, y: 2.0, width: 4.0, height: 2.0 };
    let g = Geometry { region: rect, width: 4, height: 2 };
    for orientation in [
        NoTransforms,
        FlipHorizontal,
        Rotate180,
        FlipVertical,
        Rotate90FlipH,
        Rotate90,
        Rotate270FlipH,
        Rotate270,
    ] {
        let turned = matches!(orientation, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH);
        let (sw, sh) = if turned { (display_h, display_w) } else { (display_w, display_h) };
        let s = g.stored(orientation, (display_w, display_h));
        assert_eq!((s.width, s.height), if turned { (2, 4) } else { (4, 2) });
        let r = s.region;
        let inside = |x: u32, y: u32| {
            let (x, y) = (f64::from(x), f64::from(y));
            x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height
        };
        let stored = GrayImage::from_fn(sw, sh, |x, y| Luma([if inside(x, y) { 255 } else { 0 }]));
        let mut shown = image::DynamicImage::ImageLuma8(stored);
        shown.apply_orientation(orientation);
        let shown = shown.to_luma8();
        assert_eq!(shown.dimensions(), (display_w, display_h), "{orientation:?}");
        for (x, y, p) in shown.enumerate_pixels() {
            let want = (1..5).contains(&x) && (2..4).contains(&y);
            assert_eq!(p.0[0] == 255, want, "{orientation:?} at {x},{y}");
        }
    }
}

#[test]
fn offset_moves_the_region_only() {
    let g = plan(200, 100, Some(100), None).offset(30, 40);
    assert_eq!(g.region, Region { x: 30.0, y: 40.0, width: 200.0, height: 100.0 });
    assert_eq!((g.width, g.height), (100, 50));
}
