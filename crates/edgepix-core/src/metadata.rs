//! Metadata. By default an output carries none of the original's: no EXIF
//! (with its GPS position, camera serial numbers and the orientation tag,
//! which has already been applied to the pixels), no XMP, no comments, no
//! ICC profile (the pixels are sRGB, which untagged means). A deployment can
//! keep two things ([`KeepMetadata`]): the colour tag, written as sRGB
//! because that is what the pixels were converted to, and the copyright
//! (EXIF Artist and Copyright, rewritten into a fresh minimal EXIF block so
//! nothing else leaks along with them).

mod embed;

use std::sync::OnceLock;

use exif::{In, Tag};

use crate::{InputFormat, Limits, Probe};

pub(crate) use embed::embed;

/// Which of the original's metadata an output keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeepMetadata {
    /// Tag outputs of originals that had an ICC profile as sRGB (an ICC
    /// profile in JPEG and WebP, the `sRGB` chunk in PNG; AVIF always
    /// declares sRGB in its `colr` box).
    pub icc: bool,
    /// Copy the EXIF Artist and Copyright fields.
    pub copyright: bool,
}

/// What is written into one output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct OutputMetadata {
    /// An sRGB ICC profile to tag the output with.
    pub icc: Option<&'static [u8]>,
    /// A TIFF-structured EXIF block (no `Exif\0\0` prefix).
    pub exif: Option<Vec<u8>>,
}

/// Decide what an output of `bytes` carries. `tagged`: the original had an
/// ICC profile. Unreadable EXIF means no copyright to keep, never an error.
pub(crate) fn collect(
    bytes: &[u8],
    probe: &Probe,
    keep: KeepMetadata,
    tagged: bool,
    limits: &Limits,
) -> OutputMetadata {
    OutputMetadata {
        icc: (keep.icc && tagged).then(srgb_profile),
        exif: keep
            .copyright
            .then(|| source_exif(bytes, probe.format, limits))
            .flatten()
            .and_then(copyright_exif),
    }
}

/// moxcms's own sRGB profile, encoded once.
fn srgb_profile() -> &'static [u8] {
    static PROFILE: OnceLock<Vec<u8>> = OnceLock::new();
    PROFILE.get_or_init(|| moxcms::ColorProfile::new_srgb().encode().unwrap_or_default())
}

/// The original's EXIF block (TIFF structure), if it has one.
fn source_exif(bytes: &[u8], format: InputFormat, limits: &Limits) -> Option<Vec<u8>> {
    use image::ImageDecoder;
    match format {
        InputFormat::Jpeg => {
            let mut decoder = jpeg_decoder::Decoder::new(bytes);
            decoder.read_info().ok()?;
            decoder.exif_data().map(<[u8]>::to_vec)
        }
        format => crate::probe::image_decoder(bytes, format, limits).ok()?.exif_metadata().ok()?,
    }
}

/// A new EXIF block holding only the Artist and Copyright of `source`.
pub(crate) fn copyright_exif(source: Vec<u8>) -> Option<Vec<u8>> {
    let exif = exif::Reader::new().read_raw(source).ok()?;
    let fields: Vec<_> =
        [Tag::Artist, Tag::Copyright].iter().filter_map(|&tag| exif.get_field(tag, In::PRIMARY)).collect();
    if fields.is_empty() {
        return None;
    }
    let mut writer = exif::experimental::Writer::new();
    fields.iter().for_each(|field| writer.push_field(field));
    let mut out = std::io::Cursor::new(Vec::new());
    writer.write(&mut out, false).ok()?;
    Some(out.into_inner())
}

#[cfg(test)]
mod tests;
