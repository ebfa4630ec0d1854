//! The WebP end of the lane: VP8 codes BT.601 Y'CbCr 4:2:0 like a JPEG, but
//! in limited range (luma 16–235, chroma 16–240) where JPEG uses 0–255. So
//! the resized planes are remapped (about 0.8 MB of samples for an
//! 800 px output) and given to libwebp as they are
//! (`edgepix-webp`), instead of being converted to RGB here and back to
//! Y'CbCr inside libwebp. Chroma siting matches: both place a 4:2:0 chroma
//! sample at the centre of its 2×2 luma block.

use super::Layout;
use crate::{CoreError, OutputFormat};

/// Luma spans 219 levels above 16 in limited range, chroma 224.
const LUMA: u16 = 219;
const CHROMA: u16 = 224;

/// Full range to limited: `16 + round(v · span / 255)` (chroma 128 stays 128).
/// Arithmetic rather than a table so that the loop vectorises.
fn limited(v: u8, span: u16) -> u8 {
    (16 + (u16::from(v) * span + 127) / 255) as u8
}

/// Encode full-range planes laid out as `layout` (4:2:0; luma exactly
/// `width × height`) as lossy WebP.
pub(super) fn encode(
    layout: &Layout,
    [mut y, mut u, mut v]: [Vec<u8>; 3],
    quality: u8,
    method: u8,
) -> Result<Vec<u8>, CoreError> {
    remap(&mut y, LUMA);
    remap(&mut u, CHROMA);
    remap(&mut v, CHROMA);
    let (y_stride, (uv_stride, _)) = (layout.width, layout.chroma_size());
    let planes = edgepix_webp::Planes {
        y: &mut y,
        y_stride,
        u: &mut u,
        v: &mut v,
        uv_stride,
        width: layout.width,
        height: layout.height,
    };
    edgepix_webp::encode(planes, f32::from(quality), method)
        .map_err(|e| crate::encode::failed(OutputFormat::Webp, e))
}

fn remap(plane: &mut [u8], span: u16) {
    for sample in plane {
        *sample = limited(*sample, span);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_range_ends_and_middle_map_to_limited() {
        assert_eq!([0, 128, 255].map(|v| limited(v, LUMA)), [16, 126, 235]);
        assert_eq!([0, 128, 255].map(|v| limited(v, CHROMA)), [16, 128, 240]);
        assert!((0..255).all(|v| limited(v, LUMA) <= limited(v + 1, LUMA)));
    }
}
