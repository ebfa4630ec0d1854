//! Best-of-N decode time of one JPEG XL file to 8-bit RGB(A), by jxl-oxide
//! (rendered to sRGB through moxcms, as edgepix does) or by jxl-rs (through
//! its `image` integration). Single thread: neither is given a pool.
use jxl_oxide::{EnumColourEncoding, JxlImage, Moxcms, RenderingIntent};
use std::time::Instant;
fn oxide(bytes: &[u8]) -> (u32, u32, usize) {
    let mut image = JxlImage::builder().read(bytes).unwrap();
    image.set_cms(Moxcms);
    image.request_color_encoding(EnumColourEncoding::srgb(RenderingIntent::Relative));
    let render = image.render_frame(0).unwrap();
    let mut stream = render.stream();
    let mut px = vec![0u8; (stream.width() * stream.height() * stream.channels()) as usize];
    stream.write_to_buffer(&mut px);
    (stream.width(), stream.height(), px.len())
}
fn jxlrs(bytes: &[u8]) -> (u32, u32, usize) {
    let img = image::load_from_memory(bytes).unwrap();
    let rgb = img.into_rgb8();
    (rgb.width(), rgb.height(), rgb.len())
}
fn main() {
    jxl_image_rs_integration::register_image_decoding_hook();
    let path = std::env::args().nth(1).unwrap();
    let which = std::env::args().nth(2).unwrap();
    let n: usize = std::env::args().nth(3).unwrap_or("5".into()).parse().unwrap();
    let bytes = std::fs::read(path).unwrap();
    let mut best = f64::MAX;
    let mut out = (0, 0, 0);
    for _ in 0..n {
        let t = Instant::now();
        out = if which == "oxide" { oxide(&bytes) } else { jxlrs(&bytes) };
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!("{which}: {:?} best {best:.1} ms", out);
}
