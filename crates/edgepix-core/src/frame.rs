//! The unit every pipeline step takes and returns: one image's pixels in
//! the plan's lane, with what is known of their colours. A still image is
//! one frame; an animation will be a sequence of them through the same
//! steps, one at a time, so no step may assume it sees the whole file.

use image::DynamicImage;

use crate::colour::SourceColour;
use crate::plan::Lane;

/// Pixels in one of the lanes.
pub(crate) enum Pixels {
    /// L8, La8, Rgb8 or Rgba8 (CMYK inks in an Rgba8 until the colour step).
    Rgb(DynamicImage),
    /// A JPEG's Y, Cb and Cr planes (`simd` builds).
    #[cfg(feature = "simd")]
    Planes(crate::yuv::Planes),
}

/// One image on its way through the steps.
pub(crate) struct Frame {
    /// The pixels.
    pub pixels: Pixels,
    /// The colour space they are in (the colour step makes it sRGB).
    pub colour: SourceColour,
}

impl Frame {
    /// An RGB-lane frame.
    pub fn rgb(image: DynamicImage, colour: SourceColour) -> Self {
        Self { pixels: Pixels::Rgb(image), colour }
    }

    /// Width and height in pixels (luma pixels for planes).
    pub fn size(&self) -> (u32, u32) {
        match &self.pixels {
            Pixels::Rgb(image) => (image.width(), image.height()),
            #[cfg(feature = "simd")]
            Pixels::Planes(planes) => planes.size(),
        }
    }

    /// Whether some pixel is not opaque (decoders drop an all-opaque alpha).
    pub fn has_alpha(&self) -> bool {
        match &self.pixels {
            Pixels::Rgb(image) => image.color().has_alpha(),
            #[cfg(feature = "simd")]
            Pixels::Planes(_) => false,
        }
    }

    /// The lane the pixels are in.
    pub fn lane(&self) -> Lane {
        match &self.pixels {
            Pixels::Rgb(_) => Lane::Rgb,
            #[cfg(feature = "simd")]
            Pixels::Planes(_) => Lane::Planes,
        }
    }
}
