//! Item properties (`ipco` children) that decide how an image is decoded
//! and shown; the rest are kept as [`Property::Other`].

use super::boxes::Reader;
use crate::CoreError;

/// `colr`: an ICC profile, or ITU-T H.273 code points (`nclx`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Colour<'a> {
    Icc(&'a [u8]),
    Cicp(Cicp),
}

/// Colour primaries, transfer, matrix and range code points (H.273).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cicp {
    pub primaries: u16,
    pub transfer: u16,
    pub matrix: u16,
    pub full_range: bool,
}

/// `clap`: a clean aperture, as fractions (offsets from the centre).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Clap {
    pub width: (u32, u32),
    pub height: (u32, u32),
    pub horizontal_offset: (i32, u32),
    pub vertical_offset: (i32, u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Property<'a> {
    /// `ispe`: the image's width and height.
    Size(u32, u32),
    Colour(Colour<'a>),
    /// `irot`: anticlockwise quarter turns.
    Rotation(u8),
    /// `imir`: 0 mirrors top and bottom, 1 left and right.
    Mirror(u8),
    Clap(Clap),
    /// `pixi`: bits per channel.
    Bits(Vec<u8>),
    /// `auxC`: what an auxiliary image is (its URN).
    Auxiliary(String),
    /// A codec configuration (`av1C`, `hvcC`), its body.
    Config([u8; 4], &'a [u8]),
    Other([u8; 4]),
}

pub(super) fn parse<'a>(kind: [u8; 4], body: &'a [u8]) -> Result<Property<'a>, CoreError> {
    let mut r = Reader::new(body);
    Ok(match &kind {
        b"ispe" => {
            r.full()?;
            Property::Size(r.u32()?, r.u32()?)
        }
        b"colr" => match r.take(4)? {
            b"nclx" => {
                let (primaries, transfer, matrix) = (r.u16()?, r.u16()?, r.u16()?);
                let full_range = r.u8()? & 0x80 != 0;
                Property::Colour(Colour::Cicp(Cicp { primaries, transfer, matrix, full_range }))
            }
            b"prof" | b"rICC" => Property::Colour(Colour::Icc(r.rest())),
            _ => Property::Other(kind),
        },
        b"irot" => Property::Rotation(r.u8()? & 3),
        b"imir" => Property::Mirror(r.u8()? & 1),
        b"clap" => {
            let mut fraction = || -> Result<(u32, u32), CoreError> { Ok((r.u32()?, r.u32()?)) };
            let (width, height) = (fraction()?, fraction()?);
            let (h, v) = (fraction()?, fraction()?);
            Property::Clap(Clap {
                width,
                height,
                horizontal_offset: (h.0 as i32, h.1),
                vertical_offset: (v.0 as i32, v.1),
            })
        }
        b"pixi" => {
            r.full()?;
            let channels = usize::from(r.u8()?);
            Property::Bits(r.take(channels)?.to_vec())
        }
        b"auxC" => {
            r.full()?;
            Property::Auxiliary(r.string()?)
        }
        b"av1C" | b"hvcC" => Property::Config(kind, body),
        _ => Property::Other(kind),
    })
}

impl Clap {
    /// The crop as (x, y, width, height) in whole pixels of a `width × height`
    /// image, or `None` if it is not whole pixels inside the image (such a
    /// `clap` is ignored, as libheif does with one it cannot apply).
    pub fn rect(&self, width: u32, height: u32) -> Option<(u32, u32, u32, u32)> {
        let whole = |(n, d): (u32, u32)| (d != 0 && n % d == 0).then(|| n / d);
        let (cw, ch) = (whole(self.width)?, whole(self.height)?);
        // Offsets of the crop's centre from the image's centre, in half pixels.
        let half = |(n, d): (i32, u32)| (d != 0).then(|| i64::from(n) * 2 / i64::from(d));
        let left2 = i64::from(width) - i64::from(cw) + half(self.horizontal_offset)?;
        let top2 = i64::from(height) - i64::from(ch) + half(self.vertical_offset)?;
        if left2 % 2 != 0 || top2 % 2 != 0 || left2 < 0 || top2 < 0 || cw == 0 || ch == 0 {
            return None;
        }
        let (x, y) = (u32::try_from(left2 / 2).ok()?, u32::try_from(top2 / 2).ok()?);
        (x.checked_add(cw)? <= width && y.checked_add(ch)? <= height).then_some((x, y, cw, ch))
    }
}
