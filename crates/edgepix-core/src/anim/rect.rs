//! A frame's rectangle on the canvas, clipped to it: the one place that
//! does pixel arithmetic on a frame's position, so a frame larger than the
//! canvas or placed outside it can only ever touch the canvas's own pixels.

use image::RgbaImage;

/// Columns `x0..x1` of rows `y0..y1` (empty when a frame lies outside).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rect {
    x0: u32,
    y0: u32,
    x1: u32,
    y1: u32,
}

impl Rect {
    /// A `width × height` frame at `(left, top)` on a canvas of `size`, clipped.
    pub(crate) fn clipped(left: u16, top: u16, width: u16, height: u16, (cw, ch): (u32, u32)) -> Self {
        let (x0, y0) = (u32::from(left).min(cw), u32::from(top).min(ch));
        let x1 = (u32::from(left) + u32::from(width)).min(cw);
        let y1 = (u32::from(top) + u32::from(height)).min(ch);
        Self { x0, y0, x1, y1 }
    }

    fn rows(&self) -> std::ops::Range<u32> {
        self.y0..self.y1
    }

    /// Byte range of row `y` inside a canvas of `width` RGBA pixels.
    fn span(&self, y: u32, width: u32) -> std::ops::Range<usize> {
        let start = (y as usize * width as usize + self.x0 as usize) * 4;
        start..start + (self.x1 - self.x0) as usize * 4
    }

    /// Set every pixel to `pixel`.
    pub(crate) fn fill(&self, canvas: &mut RgbaImage, pixel: &[u8; 4]) {
        let width = canvas.width();
        for y in self.rows() {
            let span = self.span(y, width);
            canvas.as_mut()[span].chunks_exact_mut(4).for_each(|p| p.copy_from_slice(pixel));
        }
    }

    /// A copy of the canvas's pixels here.
    pub(crate) fn take(&self, canvas: &RgbaImage) -> Vec<u8> {
        let width = canvas.width();
        self.rows().flat_map(|y| canvas.as_raw()[self.span(y, width)].iter().copied()).collect()
    }

    /// Put back what [`Rect::take`] copied.
    pub(crate) fn put(&self, canvas: &mut RgbaImage, saved: &[u8]) {
        let width = canvas.width();
        let row = (self.x1 - self.x0) as usize * 4;
        for (y, line) in self.rows().zip(saved.chunks_exact(row.max(1))) {
            let span = self.span(y, width);
            canvas.as_mut()[span].copy_from_slice(line);
        }
    }

    /// Draw a frame's RGBA pixels (`frame_width` a row, its top-left corner
    /// at `origin`) where they are not transparent.
    pub(crate) fn draw(&self, canvas: &mut RgbaImage, pixels: &[u8], frame_width: u32, origin: (u16, u16)) {
        let width = canvas.width();
        let (left, top) = (u32::from(origin.0), u32::from(origin.1));
        for y in self.rows() {
            let from = ((y - top) as usize * frame_width as usize + (self.x0 - left) as usize) * 4;
            let Some(source) = pixels.get(from..from + (self.x1 - self.x0) as usize * 4) else { return };
            let span = self.span(y, width);
            for (to, from) in canvas.as_mut()[span].chunks_exact_mut(4).zip(source.chunks_exact(4)) {
                if from[3] != 0 {
                    to.copy_from_slice(from);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_clipped_to_the_canvas() {
        let inside = Rect::clipped(2, 3, 4, 5, (10, 10));
        assert_eq!(inside, Rect { x0: 2, y0: 3, x1: 6, y1: 8 });
        let larger = Rect::clipped(0, 0, 65535, 65535, (10, 10));
        assert_eq!(larger, Rect { x0: 0, y0: 0, x1: 10, y1: 10 });
        let outside = Rect::clipped(60000, 5, 10, 10, (10, 10));
        assert_eq!(outside.x0, outside.x1, "empty: {outside:?}");
        let mut canvas = RgbaImage::new(10, 10);
        outside.fill(&mut canvas, &[9; 4]);
        outside.draw(&mut canvas, &[255; 400], 10, (60000, 5));
        assert!(canvas.as_raw().iter().all(|&b| b == 0));
    }

    #[test]
    fn drawing_skips_transparent_pixels_and_restores() {
        let mut canvas = RgbaImage::from_pixel(4, 4, image::Rgba([1, 1, 1, 255]));
        let rect = Rect::clipped(1, 1, 2, 2, (4, 4));
        let saved = rect.take(&canvas);
        let frame = [[9, 9, 9, 255], [0, 0, 0, 0], [0, 0, 0, 0], [7, 7, 7, 255]].concat();
        rect.draw(&mut canvas, &frame, 2, (1, 1));
        assert_eq!(canvas.get_pixel(1, 1).0, [9, 9, 9, 255]);
        assert_eq!(canvas.get_pixel(2, 1).0, [1, 1, 1, 255], "transparent: the canvas shows through");
        assert_eq!(canvas.get_pixel(2, 2).0, [7, 7, 7, 255]);
        rect.put(&mut canvas, &saved);
        assert!(canvas.pixels().all(|p| p.0 == [1, 1, 1, 255]));
        rect.fill(&mut canvas, &[0; 4]);
        assert_eq!(canvas.get_pixel(1, 2).0, [0; 4]);
        assert_eq!(canvas.get_pixel(0, 0).0, [1, 1, 1, 255]);
    }
}
