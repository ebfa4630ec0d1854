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

#[test]
fn transposed_swaps_axes() {
    let g = plan(600, 450, Some(200), Some(100));
    assert_eq!(g.region, Region { x: 0.0, y: 75.0, width: 600.0, height: 300.0 });
    let t = g.transposed();
    assert_eq!((t.width, t.height), (100, 200));
    assert_eq!(t.region, Region { x: 75.0, y: 0.0, width: 300.0, height: 600.0 });
}
