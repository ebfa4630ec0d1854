//! JPEG XL through jxl-oxide (pure Rust): the header for the probe without
//! decoding any pixel, then the first frame rendered as 8-bit sRGB by its
//! own colour management (moxcms, as ours), which also takes files tagged
//! with other spaces, CMYK and HDR transfer curves to sRGB. jxl-oxide
//! applies the EXIF-style orientation of the codestream while rendering,
//! so the probe reports the oriented size and no orientation left to do.
//! Its allocations are bounded by the same limit as the other decoders'.

use image::metadata::Orientation;
use image::{DynamicImage, GrayAlphaImage, GrayImage, RgbImage, RgbaImage};
use jxl_oxide::{AllocTracker, EnumColourEncoding, InitializeResult, JxlImage, Moxcms, RenderingIntent};

use crate::colour::SourceColour;
use crate::frame::Frame;
use crate::{CoreError, InputFormat, Limits, Probe};

/// The header is at the start; a container may put other boxes first.
const HEADER_BYTES: usize = 1 << 16;

fn undecodable(e: impl std::fmt::Display) -> CoreError {
    CoreError::undecodable(format!("JPEG XL: {e}"))
}

pub(crate) fn probe(bytes: &[u8]) -> Result<Probe, CoreError> {
    let mut image = JxlImage::builder().build_uninit();
    let mut fed = 0;
    for chunk in [&bytes[..HEADER_BYTES.min(bytes.len())], &bytes[HEADER_BYTES.min(bytes.len())..]] {
        image.feed_bytes(chunk).map_err(undecodable)?;
        fed += chunk.len();
        match image.try_init().map_err(undecodable)? {
            InitializeResult::Initialized(image) => {
                let (width, height) = (image.width(), image.height());
                let has_alpha = image.pixel_format().has_alpha();
                let orientation = Orientation::NoTransforms;
                return Ok(Probe { format: InputFormat::Jxl, width, height, orientation, has_alpha });
            }
            InitializeResult::NeedMoreData(more) => image = more,
        }
        if fed == bytes.len() {
            break;
        }
    }
    Err(undecodable("the file ends inside its header"))
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
    let short = || CoreError::Internal("JPEG XL buffer size".into());
    let decoded = match channels {
        1 => DynamicImage::ImageLuma8(GrayImage::from_raw(width, height, pixels).ok_or_else(short)?),
        2 => DynamicImage::ImageLumaA8(GrayAlphaImage::from_raw(width, height, pixels).ok_or_else(short)?),
        3 => DynamicImage::ImageRgb8(RgbImage::from_raw(width, height, pixels).ok_or_else(short)?),
        4 => DynamicImage::ImageRgba8(RgbaImage::from_raw(width, height, pixels).ok_or_else(short)?),
        n => return Err(CoreError::UnsupportedInput(format!("JPEG XL with {n} channels"))),
    };
    Ok(Frame::rgb(super::normalise(decoded), SourceColour::Untagged))
}
