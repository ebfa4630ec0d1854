//! Writing the kept metadata into an already-encoded file: APP segments in
//! JPEG, chunks in PNG and WebP. Splicing after encoding keeps the encoders
//! untouched and costs nothing when there is nothing to write. AVIF is the
//! exception: its EXIF goes through ravif, as an item cannot be spliced into
//! an ISOBMFF file afterwards.

use super::OutputMetadata;
use crate::OutputFormat;

/// Add `meta` to an encoded `format` file of `width`×`height` pixels.
pub(crate) fn embed(
    bytes: Vec<u8>,
    format: OutputFormat,
    (width, height): (u32, u32),
    meta: &OutputMetadata,
) -> Vec<u8> {
    if meta.icc.is_none() && meta.exif.is_none() {
        return bytes;
    }
    match format {
        OutputFormat::Jpeg => jpeg(bytes, meta),
        OutputFormat::Png => png(bytes, meta),
        OutputFormat::Webp => webp(bytes, width, height, meta),
        OutputFormat::Avif | OutputFormat::Gif => bytes,
    }
}

/// APP1 Exif and APP2 ICC_PROFILE right after the JFIF APP0 (which must
/// stay first).
fn jpeg(bytes: Vec<u8>, meta: &OutputMetadata) -> Vec<u8> {
    let at = match bytes.get(2..6) {
        Some([0xFF, 0xE0, hi, lo]) => 4 + usize::from(u16::from_be_bytes([*hi, *lo])),
        _ => 2,
    };
    let mut segments = Vec::new();
    let mut segment = |marker: u8, parts: &[&[u8]]| {
        let Ok(len) = u16::try_from(2 + parts.iter().map(|p| p.len()).sum::<usize>()) else { return };
        segments.extend([0xFF, marker]);
        segments.extend(len.to_be_bytes());
        parts.iter().for_each(|p| segments.extend_from_slice(p));
    };
    if let Some(exif) = &meta.exif {
        segment(0xE1, &[b"Exif\0\0", exif]);
    }
    if let Some(icc) = meta.icc {
        segment(0xE2, &[b"ICC_PROFILE\0", &[1, 1], icc]);
    }
    splice(bytes, at, segments)
}

/// `sRGB` (the standard's own tag, one byte instead of a profile) and
/// `eXIf`, right after IHDR.
fn png(bytes: Vec<u8>, meta: &OutputMetadata) -> Vec<u8> {
    const AFTER_IHDR: usize = 8 + 8 + 13 + 4;
    let mut chunks = Vec::new();
    let mut chunk = |kind: &[u8; 4], data: &[u8]| {
        chunks.extend((data.len() as u32).to_be_bytes());
        let start = chunks.len();
        chunks.extend_from_slice(kind);
        chunks.extend_from_slice(data);
        let crc = crc32fast::hash(&chunks[start..]);
        chunks.extend(crc.to_be_bytes());
    };
    if meta.icc.is_some() {
        chunk(b"sRGB", &[0]); // rendering intent: perceptual
    }
    if let Some(exif) = &meta.exif {
        chunk(b"eXIf", exif);
    }
    splice(bytes, AFTER_IHDR, chunks)
}

/// The extended format: a VP8X header (made from the size when libwebp
/// wrote the simple format) flagging ICCP before the image data and EXIF
/// after it.
fn webp(bytes: Vec<u8>, width: u32, height: u32, meta: &OutputMetadata) -> Vec<u8> {
    let body = bytes.get(12..).unwrap_or_default();
    let (mut header, rest) = match body.strip_prefix(b"VP8X\x0A\0\0\0") {
        Some(extended) if extended.len() >= 10 => (extended[..10].to_vec(), &extended[10..]),
        _ => {
            let mut header = vec![0; 4];
            header.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
            header.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
            (header, body)
        }
    };
    header[0] |= if meta.icc.is_some() { 0x20 } else { 0 } | if meta.exif.is_some() { 0x08 } else { 0 };
    let mut out = b"RIFF\0\0\0\0WEBP".to_vec();
    let chunk = |out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]| {
        out.extend_from_slice(kind);
        out.extend((data.len() as u32).to_le_bytes());
        out.extend_from_slice(data);
        if data.len() % 2 == 1 {
            out.push(0);
        }
    };
    chunk(&mut out, b"VP8X", &header);
    if let Some(icc) = meta.icc {
        chunk(&mut out, b"ICCP", icc);
    }
    out.extend_from_slice(rest);
    if let Some(exif) = &meta.exif {
        chunk(&mut out, b"EXIF", exif);
    }
    let riff_size = (out.len() - 8) as u32;
    out[4..8].copy_from_slice(&riff_size.to_le_bytes());
    out
}

fn splice(mut bytes: Vec<u8>, at: usize, insert: Vec<u8>) -> Vec<u8> {
    let at = at.min(bytes.len());
    bytes.splice(at..at, insert);
    bytes
}
