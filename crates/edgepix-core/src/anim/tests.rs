//! Animations built here with the `gif` crate, so each case holds exactly
//! the frames, offsets and disposals it tests.

use gif::{DisposalMethod, Encoder, Frame, Repeat};

use super::gif::Frames;
use crate::{CoreError, EncoderSettings, Limits, OutputFormat, Params, Plan, probe, process};

/// Palette: 0 red, 1 blue, 2 green, 3 white; 4 is transparent.
const PALETTE: [u8; 15] = [255, 0, 0, 0, 0, 255, 0, 255, 0, 255, 255, 255, 0, 0, 0];
const RED: [u8; 4] = [255, 0, 0, 255];
const BLUE: [u8; 4] = [0, 0, 255, 255];
const CLEAR: [u8; 4] = [0; 4];

/// A frame of one colour index at `(left, top)`.
fn frame(left: u16, top: u16, width: u16, height: u16, index: u8, dispose: DisposalMethod) -> Frame<'static> {
    let buffer = vec![index; usize::from(width) * usize::from(height)];
    Frame {
        left,
        top,
        width,
        height,
        buffer: buffer.into(),
        transparent: Some(4),
        dispose,
        delay: 7,
        ..Frame::default()
    }
}

fn gif(size: (u16, u16), frames: &[Frame], repeat: Option<Repeat>) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = Encoder::new(&mut out, size.0, size.1, &PALETTE).unwrap();
        if let Some(repeat) = repeat {
            encoder.set_repeat(repeat).unwrap();
        }
        frames.iter().for_each(|f| encoder.write_frame(f).unwrap());
    }
    out
}

fn pixel(frames: &mut Frames, x: u32, y: u32) -> [u8; 4] {
    frames.next().unwrap().unwrap().0.get_pixel(x, y).0
}

#[test]
fn frames_are_composited_with_their_disposal_and_clipped_to_the_canvas() {
    let bytes = gif(
        (4, 4),
        &[
            frame(0, 0, 4, 4, 0, DisposalMethod::Keep),
            frame(1, 1, 2, 2, 1, DisposalMethod::Previous),
            frame(0, 0, 1, 1, 1, DisposalMethod::Background),
            // Larger than the canvas, then wholly outside it.
            frame(2, 2, 9, 9, 1, DisposalMethod::Keep),
            frame(60, 60, 3, 3, 2, DisposalMethod::Keep),
        ],
        None,
    );
    let mut frames = Frames::new(&bytes, &Limits::default()).unwrap();
    assert_eq!(pixel(&mut frames, 1, 1), RED);
    let (second, delay) = frames.next().unwrap().unwrap();
    assert_eq!((second.get_pixel(1, 1).0, second.get_pixel(0, 0).0, delay), (BLUE, RED, 70));
    // "Previous" put the red back; the third frame paints (0, 0) blue.
    let third = frames.next().unwrap().unwrap().0;
    assert_eq!((third.get_pixel(1, 1).0, third.get_pixel(0, 0).0), (RED, BLUE));
    // "Background" cleared (0, 0) to transparent; the big frame is cut at the edge.
    let fourth = frames.next().unwrap().unwrap().0;
    assert_eq!(
        (fourth.get_pixel(0, 0).0, fourth.get_pixel(3, 3).0, fourth.dimensions()),
        (CLEAR, BLUE, (4, 4))
    );
    assert_eq!(pixel(&mut frames, 0, 1), RED);
    assert!(frames.next().unwrap().is_none());
    assert_eq!(frames.loops(), super::Loops::Once);
}

#[test]
fn frame_counts_and_animation_pixels_are_refused_from_the_headers() {
    // 1000 frames on a 1000x1000 canvas: 1 Gpx over all frames.
    let tiny: Vec<_> = (0..1000).map(|_| frame(0, 0, 1, 1, 0, DisposalMethod::Keep)).collect();
    let bytes = gif((1000, 1000), &tiny, Some(Repeat::Infinite));
    match probe(&bytes, &Limits::default()) {
        Err(CoreError::AnimationTooLarge { frames, max, .. }) => assert!(frames <= 101 && max == 100_000_000),
        other => panic!("expected AnimationTooLarge, got {other:?}"),
    }
    let many: Vec<_> = (0..1001).map(|_| frame(0, 0, 1, 1, 0, DisposalMethod::Keep)).collect();
    let bytes = gif((2, 2), &many, None);
    assert!(matches!(
        probe(&bytes, &Limits::default()),
        Err(CoreError::TooManyFrames { frames: 1001, max: 1000 })
    ));
    let limits = Limits { max_frames: 2000, ..Limits::default() };
    assert_eq!(probe(&bytes, &limits).unwrap().frames, 1001);
}

#[test]
fn a_missing_trailer_keeps_the_frames_before_it_even_when_strict() {
    let mut bytes = gif(
        (4, 4),
        &[frame(0, 0, 4, 4, 0, DisposalMethod::Keep), frame(0, 0, 2, 2, 1, DisposalMethod::Keep)],
        None,
    );
    assert_eq!(bytes.pop(), Some(0x3b));
    let mut frames = Frames::new(&bytes, &Limits::default()).unwrap();
    assert_eq!(pixel(&mut frames, 0, 0), RED);
    assert_eq!(pixel(&mut frames, 0, 0), BLUE);
    assert!(frames.next().unwrap().is_none());
}

#[test]
fn a_frame_cut_short_is_an_error_when_strict_and_the_end_when_lenient() {
    let whole = gif(
        (4, 4),
        &[frame(0, 0, 4, 4, 0, DisposalMethod::Keep), frame(0, 0, 4, 4, 1, DisposalMethod::Keep)],
        None,
    );
    let cut = &whole[..whole.len() - 6];
    let mut frames = Frames::new(cut, &Limits::default()).unwrap();
    assert_eq!(pixel(&mut frames, 0, 0), RED);
    assert!(matches!(frames.next(), Err(CoreError::Undecodable(_))));
    let mut frames = Frames::new(cut, &Limits { strict_decode: false, ..Limits::default() }).unwrap();
    assert_eq!(pixel(&mut frames, 0, 0), RED);
    assert!(frames.next().unwrap().is_none());
}

fn render(bytes: &[u8], query: &str) -> crate::Output {
    let limits = Limits::default();
    let plan = Plan::new(
        &probe(bytes, &limits).unwrap(),
        &Params::parse(query, &limits).unwrap(),
        &EncoderSettings::default(),
    )
    .unwrap();
    process(bytes, &plan, &limits).unwrap()
}

/// Three frames that differ everywhere (so no encoder folds two into one).
fn three_frames() -> Vec<u8> {
    let frames: Vec<_> = (0..3).map(|i| frame(0, 0, 8, 8, i, DisposalMethod::Keep)).collect();
    gif((8, 8), &frames, Some(Repeat::Finite(3)))
}

#[test]
fn an_animation_stays_one_with_its_delays_and_loop_count() {
    let out = render(&three_frames(), "w=4");
    assert_eq!((out.format, out.width, out.height), (OutputFormat::Gif, 4, 4));
    let mut decoder = gif::DecodeOptions::new().read_info(out.bytes.as_slice()).unwrap();
    let mut delays = Vec::new();
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        delays.push(frame.delay);
    }
    assert_eq!((delays, decoder.repeat()), (vec![7, 7, 7], Repeat::Finite(3)));
    #[cfg(feature = "webp")]
    {
        let out = render(&three_frames(), "w=4&f=webp");
        let decoder = image_webp::WebPDecoder::new(std::io::Cursor::new(&out.bytes)).unwrap();
        assert!(decoder.is_animated());
        assert_eq!(decoder.num_frames(), 3);
    }
}

#[test]
fn the_first_frame_only_when_asked_or_when_the_format_cannot_animate() {
    // A still from a GIF: JPEG when opaque, as for any still GIF.
    let out = render(&three_frames(), "w=4&anim=false");
    assert_eq!(out.format, OutputFormat::Jpeg);
    let out = render(&three_frames(), "w=4&f=gif&anim=false");
    let mut decoder = gif::DecodeOptions::new().read_info(out.bytes.as_slice()).unwrap();
    let mut count = 0;
    while decoder.read_next_frame().unwrap().is_some() {
        count += 1;
    }
    assert_eq!(count, 1);
    assert_eq!(render(&three_frames(), "w=4&f=jpeg").format, OutputFormat::Jpeg);
}

/// A WebP frame that reaches past the canvas makes the file invalid: it is
/// refused by the probe, whatever the output, before anything is decoded.
#[cfg(feature = "webp")]
#[test]
fn a_webp_frame_outside_the_canvas_is_refused_from_the_headers() {
    let valid = render(&three_frames(), "w=8&f=webp").bytes;
    assert_eq!(probe(&valid, &Limits::default()).unwrap().frames, 3);
    let last = valid.windows(4).rposition(|w| w == b"ANMF").expect("an ANMF chunk");
    for (field, value) in [(0, 2u8), (6, 8u8)] {
        // The last frame moved 4 px right, or made 9 px wide: past 8 px.
        let mut bytes = valid.clone();
        bytes[last + 8 + field] = value;
        match probe(&bytes, &Limits::default()) {
            Err(CoreError::Undecodable(message)) => {
                assert!(message.contains("outside the 8x8 canvas"), "{message}")
            }
            other => panic!("expected Undecodable, got {other:?}"),
        }
    }
}

/// An 8x8 APNG: a red frame, a blue 4x4 square drawn over it at (4, 4),
/// then green all over; 100 ms a frame, played `plays` times.
fn apng(plays: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, 8, 8);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_animated(3, plays).unwrap();
    encoder.set_frame_delay(1, 10).unwrap();
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&RED.repeat(64)).unwrap();
    writer.set_frame_dimension(4, 4).unwrap();
    writer.set_frame_position(4, 4).unwrap();
    writer.write_image_data(&BLUE.repeat(16)).unwrap();
    writer.set_frame_position(0, 0).unwrap();
    writer.set_frame_dimension(8, 8).unwrap();
    writer.write_image_data(&[0, 255, 0, 255].repeat(64)).unwrap();
    writer.finish().unwrap();
    out
}

#[test]
fn an_animated_png_becomes_an_animated_webp_or_gif() {
    let bytes = apng(2);
    assert_eq!(probe(&bytes, &Limits::default()).unwrap().frames, 3);
    let out = render(&bytes, "w=8&f=gif");
    let mut decoder = gif::DecodeOptions::new();
    decoder.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = decoder.read_info(out.bytes.as_slice()).unwrap();
    let mut shown = vec![0u8; 8 * 8 * 4];
    let mut corners = Vec::new();
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        assert_eq!(frame.delay, 10);
        // Draw each (differenced) frame over what is shown.
        let (left, top, width) = (usize::from(frame.left), usize::from(frame.top), usize::from(frame.width));
        for (i, px) in frame.buffer.chunks(4).enumerate() {
            if px[3] > 0 {
                let at = ((top + i / width) * 8 + left + i % width) * 4;
                shown[at..at + 4].copy_from_slice(px);
            }
        }
        corners.push((shown[..3].to_vec(), shown[(7 * 8 + 7) * 4..(7 * 8 + 7) * 4 + 3].to_vec()));
    }
    // Red; the blue square over the red in the bottom right; green.
    let near = |got: &[u8], want: [u8; 3]| got.iter().zip(want).all(|(&g, w)| g.abs_diff(w) < 24);
    assert_eq!(corners.len(), 3);
    assert!(near(&corners[0].0, [255, 0, 0]) && near(&corners[0].1, [255, 0, 0]), "{corners:?}");
    assert!(near(&corners[1].0, [255, 0, 0]) && near(&corners[1].1, [0, 0, 255]), "{corners:?}");
    assert!(near(&corners[2].0, [0, 255, 0]) && near(&corners[2].1, [0, 255, 0]), "{corners:?}");
    // No format named: animated GIF (edgepix writes no APNG).
    assert_eq!(render(&bytes, "w=4").format, OutputFormat::Gif);
    // As WebP: the frames and the number of plays kept.
    #[cfg(feature = "webp")]
    {
        let out = render(&bytes, "w=4&f=webp");
        let decoder = image_webp::WebPDecoder::new(std::io::Cursor::new(&out.bytes)).unwrap();
        assert_eq!(
            (decoder.num_frames(), decoder.loop_count()),
            (3, image_webp::LoopCount::Times(2.try_into().unwrap()))
        );
    }
    // A still format takes the first frame.
    let out = render(&bytes, "w=4&f=png");
    assert_eq!(out.format, OutputFormat::Png);
    let still = image::load_from_memory(&out.bytes).unwrap().to_rgba8();
    assert_eq!(still.get_pixel(3, 3).0, RED);
}

/// An APNG frame that reaches past the canvas is refused from its header.
#[test]
fn an_apng_frame_outside_the_canvas_is_refused_from_the_headers() {
    let mut bytes = apng(0);
    // The second fcTL (after the IDAT): its x offset, 4, made 6 (6 + 4 > 8).
    let second = bytes
        .windows(4)
        .rposition(|w| w == b"fcTL")
        .and_then(|last| bytes[..last].windows(4).rposition(|w| w == b"fcTL").filter(|&i| i > 40));
    let at = second.expect("two fcTL chunks after the first") + 4 + 12;
    assert_eq!(bytes[at..at + 4], [0, 0, 0, 4]);
    bytes[at + 3] = 6;
    match probe(&bytes, &Limits::default()) {
        Err(CoreError::Undecodable(message)) => {
            assert!(message.contains("outside the 8x8 canvas"), "{message}")
        }
        other => panic!("expected Undecodable, got {other:?}"),
    }
}
