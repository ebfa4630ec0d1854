use super::*;

/// An AVIF of `width × height` from `rav1e` (via ravif), and its AV1 payload:
/// ravif writes one `mdat` holding the colour item's data alone.
fn av1(width: usize, height: usize, depth: ravif::BitDepth) -> Vec<u8> {
    let pixels: Vec<rgb::RGB8> = (0..width * height)
        .map(|i| {
            let (x, y) = (i % width, i / width);
            rgb::RGB8::new((x * 255 / width) as u8, (y * 255 / height) as u8, 128)
        })
        .collect();
    let encoded = ravif::Encoder::new()
        .with_quality(90.0)
        .with_speed(10)
        .with_bit_depth(depth)
        .encode_rgb(imgref::Img::new(&pixels[..], width, height))
        .unwrap();
    mdat(&encoded.avif_file).to_vec()
}

fn mdat(file: &[u8]) -> &[u8] {
    let mut at = 0;
    while at + 8 <= file.len() {
        let size = u32::from_be_bytes(file[at..at + 4].try_into().unwrap()) as usize;
        if &file[at + 4..at + 8] == b"mdat" {
            return &file[at + 8..at + size];
        }
        at += size;
    }
    panic!("no mdat");
}

#[test]
fn decodes_eight_and_ten_bit_pictures_with_their_planes() {
    for (depth, bits) in [(ravif::BitDepth::Eight, 8), (ravif::BitDepth::Ten, 10)] {
        let data = av1(65, 33, depth);
        let (size, bit_depth, layout, corners) = decode(&data, 1 << 20, |p| {
            let y = p.planes[0].unwrap();
            let at = |x: usize, row: usize| match y.samples {
                Samples::U8(s) => u32::from(s[row * y.stride + x]),
                Samples::U16(s) => u32::from(s[row * y.stride + x]) >> (p.bit_depth - 8),
            };
            ((p.width, p.height), p.bit_depth, p.layout, (at(0, 0), at(64, 32)))
        })
        .unwrap();
        assert_eq!((size, bit_depth), ((65, 33), bits));
        assert_ne!(layout, Layout::I400);
        // Dark top-left corner, bright bottom-right one (red and green ramps).
        assert!(corners.0 < 100 && corners.1 > 150, "{bits} bits: {corners:?}");
    }
}

#[test]
fn the_pixel_limit_is_enforced_by_the_decoder() {
    let data = av1(64, 64, ravif::BitDepth::Eight);
    assert!(matches!(decode(&data, 64 * 63, |_| ()), Err(Error::Decode(_))));
    assert!(decode(&data, 64 * 64, |_| ()).is_ok());
}

#[test]
fn garbage_and_truncation_are_errors_not_crashes() {
    let data = av1(64, 64, ravif::BitDepth::Eight);
    for bad in [&[][..], &data[..data.len() / 2], &[0x12, 0, 0x0a, 0x0b, 0, 0, 0][..], &[0xff; 64][..]] {
        assert!(decode(bad, 1 << 20, |_| ()).is_err(), "{} bytes accepted", bad.len());
    }
}
