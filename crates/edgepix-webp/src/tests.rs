use super::*;

/// Planes of `w × h` (strides padded by `pad`) filled by `f(x, y) -> (Y, Cb, Cr)`,
/// chroma sampled at the top-left luma of each 2×2 block.
fn planes(w: usize, h: usize, pad: usize, f: impl Fn(usize, usize) -> [u8; 3]) -> [Vec<u8>; 3] {
    let (ys, cs) = (w + pad, w.div_ceil(2) + pad);
    let mut y = vec![0; ys * h];
    let (mut u, mut v) = (vec![0; cs * h.div_ceil(2)], vec![0; cs * h.div_ceil(2)]);
    for row in 0..h {
        for col in 0..w {
            let [l, cb, cr] = f(col, row);
            y[row * ys + col] = l;
            u[row / 2 * cs + col / 2] = cb;
            v[row / 2 * cs + col / 2] = cr;
        }
    }
    [y, u, v]
}

fn encode_planes(w: usize, h: usize, pad: usize, [y, u, v]: &mut [Vec<u8>; 3]) -> Result<Vec<u8>, Error> {
    let (y_stride, uv_stride) = (w + pad, w.div_ceil(2) + pad);
    encode(Planes { y, y_stride, u, v, uv_stride, width: w, height: h }, 90.0, 2)
}

fn decode(bytes: &[u8]) -> image::RgbImage {
    let image = image::load_from_memory_with_format(bytes, image::ImageFormat::WebP).unwrap();
    image.into_rgb8()
}

#[test]
fn limited_range_red_comes_back_red_at_odd_sizes_and_padded_strides() {
    // BT.601 limited range for sRGB (255, 0, 0).
    let mut p = planes(33, 17, 5, |_, _| [81, 90, 240]);
    let image = decode(&encode_planes(33, 17, 5, &mut p).unwrap());
    assert_eq!(image.dimensions(), (33, 17));
    for px in image.pixels() {
        let [r, g, b] = px.0;
        assert!(r > 245 && g < 12 && b < 12, "{:?}", px.0);
    }
}

#[test]
fn a_luma_ramp_stays_a_grey_ramp() {
    let mut p = planes(64, 32, 0, |x, _| [(16 + x * 219 / 63) as u8, 128, 128]);
    let image = decode(&encode_planes(64, 32, 0, &mut p).unwrap());
    for x in 0..64u32 {
        let [r, g, b] = image.get_pixel(x, 16).0;
        let want = (x * 255 / 63) as i32;
        assert!((i32::from(g) - want).abs() <= 8, "x={x}: {g} want {want}");
        assert!(r.abs_diff(g) <= 4 && b.abs_diff(g) <= 4, "x={x}: not grey {r} {g} {b}");
    }
}

#[test]
fn planes_that_do_not_fit_are_refused_not_read() {
    let mut p = planes(40, 30, 0, |_, _| [128, 128, 128]);
    let [y, u, v] = &mut p;
    let short = y.len() - 1;
    let refused = encode(
        Planes { y: &mut y[..short], y_stride: 40, u, v, uv_stride: 20, width: 40, height: 30 },
        80.0,
        2,
    );
    assert!(matches!(refused, Err(Error::Planes(_))), "{refused:?}");
    let narrow = encode(Planes { y, y_stride: 39, u, v, uv_stride: 20, width: 40, height: 30 }, 80.0, 2);
    assert!(matches!(narrow, Err(Error::Planes(_))), "{narrow:?}");
    let chroma = encode(Planes { y, y_stride: 40, u, v, uv_stride: 21, width: 40, height: 30 }, 80.0, 2);
    assert!(matches!(chroma, Err(Error::Planes(_))), "{chroma:?}");
    let empty = encode(Planes { y, y_stride: 40, u, v, uv_stride: 20, width: 0, height: 30 }, 80.0, 2);
    assert!(matches!(empty, Err(Error::Planes(_))), "{empty:?}");
}

#[test]
fn quality_and_method_reach_libwebp() {
    // Noise: quality changes the size a lot, method a little.
    let noise = |x: usize, y: usize| [(16 + (x * 7919 + y * 104_729) % 219) as u8, 128, 128];
    let size = |q: f32, m: u8| {
        let [mut y, mut u, mut v] = planes(128, 128, 0, noise);
        let planes =
            Planes { y: &mut y, y_stride: 128, u: &mut u, v: &mut v, uv_stride: 64, width: 128, height: 128 };
        encode(planes, q, m).unwrap().len()
    };
    assert!(size(30.0, 2) < size(90.0, 2));
    assert_ne!(size(80.0, 0), size(80.0, 6));
}

/// Three 40×30 frames (red, green, half-transparent blue) with their delays.
fn animation(loops: u16) -> Vec<u8> {
    let mut encoder = AnimEncoder::new(40, 30, loops, 90.0, 2).unwrap();
    let colours = [[255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 128]];
    for (i, colour) in colours.iter().enumerate() {
        let data: Vec<u8> = colour.iter().copied().cycle().take(40 * 30 * 4).collect();
        encoder.add(Pixels { data: &data, channels: 4 }, 100 * (i as u32 + 1)).unwrap();
    }
    encoder.finish().unwrap()
}

#[test]
fn animations_keep_frames_delays_loops_and_alpha() {
    use image::AnimationDecoder;
    let bytes = animation(3);
    let decoder = image_webp::WebPDecoder::new(std::io::Cursor::new(&bytes)).unwrap();
    assert!(decoder.is_animated());
    assert_eq!(decoder.num_frames(), 3);
    assert_eq!(decoder.dimensions(), (40, 30));
    assert!(matches!(decoder.loop_count(), image_webp::LoopCount::Times(n) if n.get() == 3));
    let frames = image::codecs::webp::WebPDecoder::new(std::io::Cursor::new(&bytes)).unwrap();
    let frames: Vec<_> = frames.into_frames().collect_frames().unwrap();
    let delays: Vec<u32> = frames.iter().map(|f| f.delay().numer_denom_ms().0).collect();
    assert_eq!(delays, [100, 200, 300]);
    let centre: Vec<[u8; 4]> = frames.iter().map(|f| f.buffer().get_pixel(20, 15).0).collect();
    let near = |a: [u8; 4], b: [u8; 4]| a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 12);
    assert!(near(centre[0], [255, 0, 0, 255]) && near(centre[1], [0, 255, 0, 255]), "{centre:?}");
    assert!(near(centre[2], [0, 0, 255, 128]), "alpha kept: {centre:?}");
}

#[test]
fn an_animation_refuses_frames_of_the_wrong_size() {
    let mut encoder = AnimEncoder::new(4, 4, 0, 80.0, 0).unwrap();
    let short = vec![0u8; 4 * 4 * 4 - 1];
    assert!(encoder.add(Pixels { data: &short, channels: 4 }, 10).is_err());
    assert!(encoder.add(Pixels { data: &[0; 32], channels: 2 }, 10).is_err());
    assert!(AnimEncoder::new(0, 4, 0, 80.0, 0).is_err());
    let rgb = vec![128u8; 4 * 4 * 3];
    encoder.add(Pixels { data: &rgb, channels: 3 }, 10).unwrap();
    assert!(!encoder.finish().unwrap().is_empty());
}

#[test]
fn frames_libwebp_would_fold_come_back_with_their_delays() {
    // A red-and-green frame shown three times, then a blue one.
    let frame = |c: [u8; 3]| -> Vec<u8> {
        (0..40 * 30).flat_map(|i| if i % 40 < 20 { [255, 0, 0] } else { c }).collect()
    };
    let mut encoder = AnimEncoder::new(40, 30, 0, 80.0, 4).unwrap();
    for (pixels, delay) in [
        (frame([0, 255, 0]), 30),
        (frame([0, 255, 0]), 40),
        (frame([0, 255, 0]), 50),
        (frame([0, 0, 255]), 60),
    ] {
        encoder.add(Pixels { data: &pixels, channels: 3 }, delay).unwrap();
    }
    let bytes = encoder.finish().unwrap();
    let mut decoder = image_webp::WebPDecoder::new(std::io::Cursor::new(&bytes)).unwrap();
    assert_eq!(decoder.num_frames(), 4);
    let mut canvas = vec![0; decoder.output_buffer_size().unwrap()];
    let mut shown = Vec::new();
    for _ in 0..4 {
        let delay = decoder.read_frame(&mut canvas).unwrap();
        let right = &canvas[(15 * 40 + 30) * decoder.output_buffer_size().unwrap() / (40 * 30)..][..3];
        shown.push((delay, right.to_vec()));
    }
    let near = |a: &[u8], b: [u8; 3]| a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 12);
    assert_eq!(shown.iter().map(|s| s.0).collect::<Vec<_>>(), [30, 40, 50, 60]);
    assert!(
        shown[..3].iter().all(|s| near(&s.1, [0, 255, 0])) && near(&shown[3].1, [0, 0, 255]),
        "{shown:?}"
    );
}

#[test]
fn the_decoder_gives_back_frames_delays_loops_and_alpha() {
    let bytes = animation(3);
    let mut decoder = AnimDecoder::new(&bytes).unwrap();
    assert_eq!((decoder.canvas(), decoder.frame_count(), decoder.loop_count()), ((40, 30), 3, 3));
    let mut shown = Vec::new();
    while let Some((canvas, delay)) = decoder.next_frame().unwrap() {
        assert_eq!(canvas.len(), 40 * 30 * 4);
        let at = (15 * 40 + 20) * 4;
        shown.push((delay, [canvas[at], canvas[at + 1], canvas[at + 2], canvas[at + 3]]));
    }
    let near = |a: [u8; 4], b: [u8; 4]| a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 12);
    assert_eq!(shown.iter().map(|s| s.0).collect::<Vec<_>>(), [100, 200, 300]);
    assert!(near(shown[0].1, [255, 0, 0, 255]) && near(shown[1].1, [0, 255, 0, 255]), "{shown:?}");
    assert!(near(shown[2].1, [0, 0, 255, 128]), "alpha kept: {shown:?}");
    assert_eq!(decoder.next_frame(), Ok(None));
}

#[test]
fn the_decoder_refuses_what_is_not_an_animation_and_stops_at_a_cut() {
    assert_eq!(AnimDecoder::new(b"RIFF\x04\x00\x00\x00WEBP").err(), Some(DecodeError::Open));
    assert_eq!(AnimDecoder::new(&[]).err(), Some(DecodeError::Open));
    // A file cut inside its last frame: libwebp's demuxer keeps the whole
    // frames (or refuses the file), and never reads past the bytes given.
    let bytes = animation(0);
    let cut = &bytes[..bytes.len() - 40];
    match AnimDecoder::new(cut) {
        Err(e) => assert_eq!(e, DecodeError::Open),
        Ok(mut decoder) => {
            let mut frames = 0;
            while let Ok(Some(_)) = decoder.next_frame() {
                frames += 1;
            }
            assert!(frames < 3, "a cut frame is not shown whole: {frames}");
        }
    }
}
