//! The WebP end of the lane: VP8 codes BT.601 Y'CbCr 4:2:0 like a JPEG, but
//! in limited range (luma 16–235, chroma 16–240) where JPEG uses 0–255. So
//! the resized planes are remapped through two 256-entry tables (about
//! 0.8 MB of samples for an 800 px output) and given to libwebp as they are
//! (`edgepix-webp`), instead of being converted to RGB here and back to
//! Y'CbCr inside libwebp. Chroma siting matches: both place a 4:2:0 chroma
//! sample at the centre of its 2×2 luma block.

use super::Layout;
use crate::{CoreError, OutputFormat};

/// Full-range luma to limited: `16 + round(v · 219 / 255)`.
const LUMA: [u8; 256] = table(219);
/// Full-range chroma to limited: `16 + round(v · 224 / 255)` (128 stays 128).
const CHROMA: [u8; 256] = table(224);

const fn table(span: u32) -> [u8; 256] {
    let mut t = [0; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (16 + (i as u32 * span + 127) / 255) as u8;
        i += 1;
    }
    t
}

/// Encode full-range planes laid out as `layout` (4:2:0) as lossy WebP.
pub(super) fn encode(
    layout: &Layout,
    [mut y, mut u, mut v]: [Vec<u8>; 3],
    quality: u8,
    method: u8,
) -> Result<Vec<u8>, CoreError> {
    remap(&mut y, &LUMA);
    remap(&mut u, &CHROMA);
    remap(&mut v, &CHROMA);
    let ((y_stride, _), (uv_stride, _)) = (layout.y_size(), layout.chroma_size());
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

fn remap(plane: &mut [u8], table: &[u8; 256]) {
    for sample in plane {
        *sample = table[usize::from(*sample)];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_map_full_range_ends_and_middle_to_limited() {
        assert_eq!([LUMA[0], LUMA[128], LUMA[255]], [16, 126, 235]);
        assert_eq!([CHROMA[0], CHROMA[128], CHROMA[255]], [16, 128, 240]);
        assert!(LUMA.windows(2).all(|w| w[0] <= w[1]) && CHROMA.windows(2).all(|w| w[0] <= w[1]));
    }
}
