//! JPEG XL through jxl-oxide (pure Rust): the header for the probe without
//! decoding any pixel, then the first frame rendered as 8-bit sRGB by its
//! own colour management (moxcms, as ours), which also takes files tagged
//! with other spaces, CMYK and HDR transfer curves to sRGB. jxl-oxide
//! applies the EXIF-style orientation of the codestream while rendering,
//! so the probe reports the oriented size and no orientation left to do.
//! Its allocations are bounded by the same limit as the other decoders'.

use image::metadata::Orientation;
use jxl_bitstream::{Bitstream, ContainerParser, ParseEvent};
use jxl_oxide::{AllocTracker, EnumColourEncoding, ImageHeader, JxlImage, Moxcms, RenderingIntent};
use jxl_oxide_common::Bundle;

use crate::colour::SourceColour;
use crate::frame::Frame;
use crate::{CoreError, InputFormat, Limits, Probe};

/// The header is at the start; a container may put other boxes first.
const HEADER_BYTES: usize = 1 << 16;

fn undecodable(e: impl std::fmt::Display) -> CoreError {
    CoreError::undecodable(format!("JPEG XL: {e}"))
}

/// Reads the size header and image metadata alone (from the first
/// `HEADER_BYTES`), so that a header claiming 100000 × 100000 meets the pixel
/// limit before anything else is parsed. jxl-oxide's own initialisation also
/// parses the first frame header, which a lying header makes fail first.
pub(crate) fn probe(bytes: &[u8]) -> Result<Probe, CoreError> {
    let mut parser = ContainerParser::new();
    let mut codestream = Vec::new();
    for event in parser.feed_bytes(&bytes[..HEADER_BYTES.min(bytes.len())]) {
        if let ParseEvent::Codestream(part) = event.map_err(undecodable)? {
            codestream.extend_from_slice(part);
        }
    }
    let header =
        ImageHeader::parse(&mut Bitstream::new(&codestream), ()).map_err(|e| match e.unexpected_eof() {
            true => undecodable("the file ends inside its header"),
            false => undecodable(e),
        })?;
    Ok(Probe {
        format: InputFormat::Jxl,
        width: header.width_with_orientation(),
        height: header.height_with_orientation(),
        orientation: Orientation::NoTransforms,
        has_alpha: header.metadata.alpha().is_some(),
        frames: 1,
    })
}

pub(super) fn decode(bytes: &[u8], limits: &Limits) -> Result<Frame, CoreError> {
    let budget = usize::try_from(limits.max_decoder_alloc()).unwrap_or(usize::MAX);
    let mut image = JxlImage::builder()
        .alloc_tracker(AllocTracker::with_limit(budget))
        .read(bytes)
        .map_err(undecodable)?;
    if !image.is_loading_done() {
        return Err(undecodable("the file is truncated"));
    }
    image.set_cms(Moxcms);
    image.request_color_encoding(EnumColourEncoding::srgb(RenderingIntent::Relative));
    let render = image.render_frame(0).map_err(undecodable)?;
    let mut stream = render.stream();
    let (width, height, channels) = (stream.width(), stream.height(), stream.channels());
    let mut pixels = vec![0u8; width as usize * height as usize * channels as usize];
    stream.write_to_buffer(&mut pixels);
    if !(1..=4).contains(&channels) {
        return Err(CoreError::UnsupportedInput(format!("JPEG XL with {channels} channels")));
    }
    let decoded = super::interleaved(pixels, width, height, channels as usize)?;
    Ok(Frame::rgb(super::normalise(decoded), SourceColour::Untagged))
}

#[cfg(test)]
mod tests {
    /// A bare codestream: the signature, a SizeHeader of `width × height`
    /// (30-bit fields), all-default image metadata and the default
    /// upsampling matrices (`default_m`), nothing after.
    fn header(width: u32, height: u32) -> Vec<u8> {
        let mut bits = vec![0u8];
        let put =
            |bits: &mut Vec<u8>, value: u32, n: u32| bits.extend((0..n).map(|i| ((value >> i) & 1) as u8));
        put(&mut bits, 3, 2);
        put(&mut bits, height - 1, 30);
        put(&mut bits, 0, 3);
        put(&mut bits, 3, 2);
        put(&mut bits, width - 1, 30);
        put(&mut bits, 1, 1);
        put(&mut bits, 1, 1);
        let mut bytes = vec![0xFF, 0x0A];
        bytes.extend(bits.chunks(8).map(|c| c.iter().enumerate().map(|(i, b)| b << i).sum::<u8>()));
        bytes
    }

    #[test]
    fn the_probe_reads_the_size_from_the_header_alone() {
        let read = super::probe(&header(100_000, 70_000)).unwrap();
        assert_eq!((read.width, read.height, read.has_alpha), (100_000, 70_000, false));
        assert!(super::probe(&header(100_000, 70_000)[..5]).is_err());
    }
}
