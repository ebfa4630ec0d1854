//! EXIF orientation, applied after resizing: rotating the small output is far
//! cheaper than rotating the decoded original. The output carries no EXIF,
//! so viewers cannot rotate it a second time.

use image::DynamicImage;
use image::metadata::Orientation;

/// Turn a stored-orientation image upright.
pub(crate) fn apply(mut image: DynamicImage, orientation: Orientation) -> DynamicImage {
    image.apply_orientation(orientation);
    image
}
