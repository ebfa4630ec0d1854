//! EXIF orientation, applied after resizing: rotating the small output is far
//! cheaper than rotating the decoded original. The output carries no EXIF,
//! so viewers cannot rotate it a second time.

use image::DynamicImage;
use image::metadata::Orientation;

use crate::frame::{Frame, Pixels};

/// The orient step. Planes pass unchanged: the plan sends only upright
/// JPEGs down that lane.
pub(crate) fn frame(frame: Frame, orientation: Orientation) -> Frame {
    match frame.pixels {
        Pixels::Rgb(image) => Frame::rgb(apply(image, orientation), frame.colour),
        #[cfg(feature = "simd")]
        Pixels::Planes(_) => frame,
    }
}

/// Turn a stored-orientation image upright.
fn apply(mut image: DynamicImage, orientation: Orientation) -> DynamicImage {
    image.apply_orientation(orientation);
    image
}
