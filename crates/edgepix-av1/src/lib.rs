//! One AV1 still picture (an AVIF item's payload) decoded by rav1d, the
//! Rust port of dav1d, and lent out as planes for the caller to convert.
//!
//! rav1d is pure Rust without its `asm` feature, so the default build can
//! read AVIF with nothing but the Rust toolchain; with `asm` (edgepix's
//! `simd` builds) it runs dav1d's assembly. Its only public interface is
//! dav1d's C API, which is why this small crate exists: it is one of the two
//! places in the workspace that allow `unsafe` (with `edgepix-webp`), every
//! unsafe block says why it holds, and what leaves it is safe: a
//! [`Picture`] borrowed for the length of a closure, so no plane outlives
//! the decoder's buffer and nothing is copied.
//!
//! It leaves out the container (edgepix-core parses AVIF's boxes), colour
//! conversion, sequences and film grain synthesis settings: one picture, one
//! thread, the decoder's defaults.

mod ffi;

pub use ffi::decode;

/// Chroma subsampling of a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Luma only (monochrome; also AVIF's alpha planes).
    I400,
    /// Chroma at half width and half height.
    I420,
    /// Chroma at half width.
    I422,
    /// Full-resolution chroma.
    I444,
}

impl Layout {
    /// (horizontal, vertical) chroma subsampling shifts.
    pub fn shifts(self) -> (u32, u32) {
        match self {
            Self::I420 => (1, 1),
            Self::I422 => (1, 0),
            Self::I400 | Self::I444 => (0, 0),
        }
    }
}

/// What the AV1 sequence header says about colour (ITU-T H.273 code points),
/// for files whose container has no `colr` box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SequenceColour {
    /// Colour primaries (1: BT.709/sRGB, 9: BT.2020, 12: Display P3).
    pub primaries: u8,
    /// Transfer characteristics (13: sRGB, 16: PQ, 18: HLG).
    pub transfer: u8,
    /// Matrix coefficients (0: identity, 1: BT.709, 6: BT.601, 9: BT.2020).
    pub matrix: u8,
    /// Full range (0–255) rather than limited (16–235).
    pub full_range: bool,
}

/// Samples of one plane: 8-bit, or 16-bit words holding 10 or 12 bits.
#[derive(Debug, Clone, Copy)]
pub enum Samples<'a> {
    /// One byte a sample.
    U8(&'a [u8]),
    /// One word a sample.
    U16(&'a [u16]),
}

/// One plane: its samples, `stride` samples from one row to the next.
#[derive(Debug, Clone, Copy)]
pub struct Plane<'a> {
    /// The samples, row after row.
    pub samples: Samples<'a>,
    /// Samples from the start of one row to the next.
    pub stride: usize,
    /// Width in samples.
    pub width: usize,
    /// Height in rows.
    pub height: usize,
}

/// A decoded picture, lent to the closure given to [`decode`].
#[derive(Debug, Clone, Copy)]
pub struct Picture<'a> {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// 8, 10 or 12.
    pub bit_depth: u8,
    /// Chroma subsampling.
    pub layout: Layout,
    /// Y, then Cb and Cr unless the layout is [`Layout::I400`].
    pub planes: [Option<Plane<'a>>; 3],
    /// The sequence header's colour description.
    pub colour: SequenceColour,
}

/// Why no picture came out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The decoder could not be set up (an error code of dav1d's).
    #[error("the AV1 decoder could not start (error {0})")]
    Open(i32),
    /// The data is not valid AV1, or is larger than the pixel limit.
    #[error("invalid or oversized AV1 data (error {0})")]
    Decode(i32),
    /// The data ended before a whole picture.
    #[error("the AV1 data holds no complete picture")]
    NoPicture,
    /// The decoder returned a picture this crate cannot describe.
    #[error("unexpected picture from the AV1 decoder: {0}")]
    Unexpected(&'static str),
}

#[cfg(test)]
mod tests;
