//! `fit=contain` padding: the resized image placed on a canvas of the
//! requested size, filled with the background colour.

use image::{DynamicImage, RgbaImage, imageops};

use crate::OutputFormat;
use crate::frame::{Frame, Pixels};
use crate::geometry::Canvas;
use crate::plan::Plan;

/// The pad step: onto the plan's canvas, if it has one, filled with `bg`,
/// else transparent where `format` can hold it, else white. Planes pass
/// unchanged: the plan sends no padded request down that lane.
pub(crate) fn frame(frame: Frame, plan: &Plan, format: OutputFormat) -> Frame {
    let Some(canvas) = &plan.canvas else { return frame };
    match frame.pixels {
        Pixels::Rgb(image) => {
            let transparent = if format.supports_alpha() { [0, 0, 0, 0] } else { [255; 4] };
            Frame::rgb(pad(image, canvas, plan.background.unwrap_or(transparent)), frame.colour)
        }
        #[cfg(feature = "simd")]
        Pixels::Planes(_) => frame,
    }
}

/// Place `image` on `canvas`, filled with `background` (RGBA).
fn pad(image: DynamicImage, canvas: &Canvas, background: [u8; 4]) -> DynamicImage {
    let mut out = RgbaImage::from_pixel(canvas.width, canvas.height, background.into());
    let (x, y) = (i64::from(canvas.x), i64::from(canvas.y));
    if image.color().has_alpha() {
        imageops::overlay(&mut out, &image.to_rgba8(), x, y);
    } else {
        imageops::replace(&mut out, &image.to_rgba8(), x, y);
    }
    // Opaque throughout (an opaque background, or an image filling the
    // canvas): drop the alpha channel, as after decoding.
    crate::decode::normalise(DynamicImage::ImageRgba8(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::RgbImage;

    #[test]
    fn pads_with_the_background() {
        let image = DynamicImage::ImageRgb8(RgbImage::from_pixel(4, 2, [9, 9, 9].into()));
        let canvas = Canvas { width: 4, height: 4, x: 0, y: 1 };
        let opaque = pad(image.clone(), &canvas, [255, 0, 0, 255]).to_rgb8();
        assert_eq!(opaque.get_pixel(0, 0).0, [255, 0, 0]);
        assert_eq!(opaque.get_pixel(0, 1).0, [9, 9, 9]);
        assert_eq!(opaque.get_pixel(3, 3).0, [255, 0, 0]);
        let clear = pad(image, &canvas, [0, 0, 0, 0]);
        assert!(clear.color().has_alpha());
        assert_eq!(clear.to_rgba8().get_pixel(0, 0).0[3], 0);
    }
}
