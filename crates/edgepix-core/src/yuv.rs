//! The planes lane: JPEG → JPEG or WebP without leaving YCbCr (feature
//! `simd`), the decode, resize and encode steps' work on a
//! [`Lane::Planes`](crate::plan::Lane) frame. A JPEG is
//! stored as a luma plane and two chroma planes, usually at half resolution
//! (4:2:0), and a JPEG or lossy WebP output is written the same way (WebP
//! always 4:2:0, in limited range: `yuv/webp.rs`). The general pipeline
//! upsamples the chroma, converts to RGB, resizes three full channels, then
//! the encoder converts back to YCbCr and subsamples again: work that
//! cancels out.
//! Here libjpeg-turbo decodes to planes (same shrink-on-load), each plane is
//! resized with the same Lanczos3 and crop, and the planes are compressed
//! as they are: half the resampling work and no colour conversion or chroma
//! resampling at either end. Resizing Y, Cb and Cr separately is the same
//! filter as resizing R, G and B (the conversion is affine), so the pixels
//! match the general path up to rounding (see the tests below).
//!
//! Only the plain case takes this lane: the plan admits JPEG → JPEG or
//! WebP with no EXIF rotation, no padding and not in linear light (so the
//! colour, orient and pad steps have nothing to do here), and [`decode`]
//! admits 8-bit YCbCr 4:2:0, 4:2:2 or 4:4:4, untagged or sRGB-tagged.
//! Everything else, and any file libjpeg-turbo declines or warns about,
//! is decoded to RGB instead, which decides acceptance and errors exactly
//! as without this lane.

use std::borrow::Cow;

use turbojpeg::{Colorspace, Decompressor, Subsamp, YuvImage, YuvPlanesImage};

use crate::colour::SourceColour;
use crate::encode::{jpeg, tuned_quality};
use crate::frame::{Frame, Pixels};
use crate::geometry::{Geometry, Region};
use crate::plan::Plan;
use crate::{CoreError, OutputFormat, colour, decode, resize};

/// The size and chroma subsampling of a set of Y, Cb, Cr planes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    width: usize,
    height: usize,
    subsamp: Subsamp,
}

impl Layout {
    /// Luma plane size: libjpeg-turbo wants whole chroma samples, so odd
    /// sides of a subsampled image are padded by one.
    fn y_size(&self) -> (usize, usize) {
        (
            self.width.next_multiple_of(self.subsamp.width()),
            self.height.next_multiple_of(self.subsamp.height()),
        )
    }

    /// Chroma plane size.
    fn chroma_size(&self) -> (usize, usize) {
        (self.width.div_ceil(self.subsamp.width()), self.height.div_ceil(self.subsamp.height()))
    }

    /// Where the planes are in one buffer holding them back to back.
    fn split<'a>(&self, buffer: &'a [u8]) -> Option<[&'a [u8]; 3]> {
        let ((yw, yh), (cw, ch)) = (self.y_size(), self.chroma_size());
        let (y, chroma) = buffer.split_at_checked(yw * yh)?;
        let (u, v) = chroma.split_at_checked(cw * ch)?;
        Some([y, u, v.get(..cw * ch)?])
    }
}

/// Y, Cb and Cr planes: one buffer as libjpeg-turbo decodes them, three
/// once resized.
pub(crate) struct Planes {
    layout: Layout,
    bytes: PlaneBytes,
}

enum PlaneBytes {
    Packed(Vec<u8>),
    Separate([Vec<u8>; 3]),
}

impl Planes {
    /// Luma width and height.
    pub(crate) fn size(&self) -> (u32, u32) {
        (self.layout.width as u32, self.layout.height as u32)
    }

    fn planes(&self) -> Result<[&[u8]; 3], CoreError> {
        match &self.bytes {
            PlaneBytes::Packed(buffer) => self
                .layout
                .split(buffer)
                .ok_or_else(|| CoreError::Internal("decoded planes shorter than their layout".into())),
            PlaneBytes::Separate([y, u, v]) => Ok([y, u, v]),
        }
    }
}

#[cfg(feature = "webp")]
mod webp;

/// Decode to planes at the plan's shrink-on-load floor, or `None` (the RGB
/// lane then decodes the file): a profile other than sRGB, or anything but
/// 8-bit YCbCr 4:2:0, 4:2:2 or 4:4:4 that libjpeg-turbo reads cleanly.
pub(crate) fn decode(bytes: &[u8], plan: &Plan) -> Option<Frame> {
    let icc = icc_profile(bytes)?;
    if icc.as_deref().is_some_and(|icc| !colour::is_srgb(icc)) {
        return None;
    }
    let (layout, buffer) = decode_planes(bytes, plan.decode_floor)?;
    layout.split(&buffer)?;
    let planes = Planes { layout, bytes: PlaneBytes::Packed(buffer) };
    let colour = icc.map_or(SourceColour::Untagged, SourceColour::Icc);
    Some(Frame { pixels: Pixels::Planes(planes), colour })
}

/// The resize step on planes: the plan's region, scaled to the decode, out
/// of every plane, each resized to the output layout the encoder will want
/// (its chroma subsampling follows the format and quality).
pub(crate) fn resize(planes: &Planes, scaled: &Geometry, plan: &Plan) -> Result<Planes, CoreError> {
    let format = plan.output_format(false);
    let quality = tuned_quality(plan.quality_for(format));
    let subsamp = if format == OutputFormat::Webp { Subsamp::Sub2x2 } else { jpeg::subsampling(quality) };
    let output = Layout { width: scaled.width as usize, height: scaled.height as usize, subsamp };
    let resized = resize_planes(&planes.layout, planes.planes()?, scaled.region, &output)?;
    Ok(Planes { layout: output, bytes: PlaneBytes::Separate(resized) })
}

/// The encode step on planes: compressed as they are (JPEG), or remapped to
/// limited range for libwebp (WebP).
pub(crate) fn encode(planes: Planes, format: OutputFormat, plan: &Plan) -> Result<Vec<u8>, CoreError> {
    let quality = tuned_quality(plan.quality_for(format));
    let layout = planes.layout;
    let resized = match planes.bytes {
        PlaneBytes::Separate(resized) => resized,
        PlaneBytes::Packed(_) => return Err(CoreError::Internal("planes encoded before resizing".into())),
    };
    match format {
        #[cfg(feature = "webp")]
        OutputFormat::Webp => webp::encode(&layout, resized, quality, plan.settings.webp_method),
        _ => encode_planes(&layout, &resized, quality),
    }
}

/// The ICC profile (`Some(None)` if untagged), or `None` if the header is unreadable.
fn icc_profile(bytes: &[u8]) -> Option<Option<Vec<u8>>> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.read_info().ok()?;
    Some(decoder.icc_profile())
}

/// Decode to planes with DCT scaling; `None` unless the file is 8-bit YCbCr
/// with 4:2:0, 4:2:2 or 4:4:4 chroma and libjpeg-turbo reads it cleanly.
fn decode_planes(bytes: &[u8], floor: (usize, usize)) -> Option<(Layout, Vec<u8>)> {
    let mut decompressor = Decompressor::new().ok()?;
    let header = decompressor.read_header(bytes).ok()?;
    let plain = matches!(header.subsamp, Subsamp::Sub2x2 | Subsamp::Sub2x1 | Subsamp::None);
    if header.is_lossless || header.colorspace != Colorspace::YCbCr || !plain {
        return None;
    }
    let factor = decode::turbo::scaling(&header, floor);
    decompressor.set_scaling_factor(factor).ok()?;
    let (width, height, subsamp) = (factor.scale(header.width), factor.scale(header.height), header.subsamp);
    let mut pixels = vec![0; turbojpeg::yuv_pixels_len(width, 1, height, subsamp).ok()?];
    let image = YuvImage { pixels: &mut pixels[..], width, align: 1, height, subsamp };
    decompressor.decompress_to_yuv(bytes, image).ok()?;
    Some((Layout { width, height, subsamp }, pixels))
}

/// Crop `region` (luma pixels) out of every plane and scale it to `out`:
/// luma `out.width × out.height`, chroma `out.chroma_size()`.
fn resize_planes(
    layout: &Layout,
    [y, u, v]: [&[u8]; 3],
    r: Region,
    out: &Layout,
) -> Result<[Vec<u8>; 3], CoreError> {
    let (size, out_size) = ((layout.width, layout.height), (out.width, out.height));
    let y = resize::resize_plane(y, layout.y_size().0, size, r, out_size)?;
    // Chroma sample k covers luma [k·s, (k+1)·s): chroma coordinates are luma
    // ones divided by the subsampling. An odd output width still has a whole
    // last chroma sample, which reaches half a pixel past the edge.
    let (in_c, out_c) = (layout.chroma_size(), out.chroma_size());
    let (sx, sy) = (layout.subsamp.width() as f64, layout.subsamp.height() as f64);
    let reach_x = (out_c.0 * out.subsamp.width()) as f64 / out.width as f64;
    let reach_y = (out_c.1 * out.subsamp.height()) as f64 / out.height as f64;
    let region =
        Region { x: r.x / sx, y: r.y / sy, width: r.width / sx * reach_x, height: r.height / sy * reach_y };
    // That half pixel may lie past the plane: repeat its edge there rather
    // than squeeze the region (which would shift every chroma sample).
    let reach = |end: f64, side: usize| (end.ceil() as usize).max(side);
    let padded = (reach(region.x + region.width, in_c.0), reach(region.y + region.height, in_c.1));
    let [u, v] = [u, v].map(|plane| pad_plane(plane, in_c, padded));
    let u = resize::resize_plane(&u, padded.0, padded, region, out_c)?;
    let v = resize::resize_plane(&v, padded.0, padded, region, out_c)?;
    Ok([y, u, v])
}

/// Widen a `size` plane to `padded` by repeating its last column and row.
fn pad_plane(plane: &[u8], (width, height): (usize, usize), (pw, ph): (usize, usize)) -> Cow<'_, [u8]> {
    if (pw, ph) == (width, height) {
        return Cow::Borrowed(plane);
    }
    let mut out = Vec::with_capacity(pw * ph);
    for row in plane.chunks_exact(width) {
        out.extend_from_slice(row);
        out.extend(std::iter::repeat_n(row[width - 1], pw - width));
    }
    let last = out.len() - pw..out.len();
    for _ in height..ph {
        out.extend_from_within(last.clone());
    }
    Cow::Owned(out)
}

/// Compress planes as they are, with the general JPEG encoder's settings.
/// libjpeg-turbo wants whole chroma samples, so an odd-sized luma plane is
/// padded first (libwebp takes it as it is).
fn encode_planes(layout: &Layout, [y, u, v]: &[Vec<u8>; 3], quality: u8) -> Result<Vec<u8>, CoreError> {
    let ((yw, _), (cw, _)) = (layout.y_size(), layout.chroma_size());
    let y = pad_plane(y, (layout.width, layout.height), layout.y_size());
    let image = YuvPlanesImage {
        y_plane: &y[..],
        u_plane: &u[..],
        v_plane: &v[..],
        width: layout.width,
        height: layout.height,
        y_stride: yw,
        u_stride: cw,
        v_stride: cw,
        subsamp: layout.subsamp,
    };
    jpeg::compressor(quality)?.compress_yuv_planes_to_vec(&image).map_err(jpeg::turbo_failed)
}

#[cfg(test)]
mod tests;
