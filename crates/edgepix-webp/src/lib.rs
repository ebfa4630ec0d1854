//! Lossy WebP from Y'CbCr 4:2:0 planes, the form libwebp encodes from.
//!
//! The `webp` crate only takes RGB or RGBA, which libwebp then converts to
//! Y'CbCr 4:2:0 itself. A JPEG is already stored that way, so edgepix's
//! JPEG → WebP lane (edgepix-core's `yuv.rs`) decodes to planes, resizes
//! them and hands them over here: no chroma upsampling, no conversion to RGB
//! and back, half the resampling work. That needs libwebp's `WebPPicture`
//! API, which no maintained safe wrapper exposes, so this crate makes that
//! one call through `libwebp-sys` (the same libwebp build the `webp` crate
//! links). It is the only crate in the workspace that allows `unsafe`; the
//! inputs are checked before any pointer is made, and each unsafe block says
//! why it holds.
//!
//! It leaves out alpha, lossless and RGB stills: those stay with the `webp`
//! crate, which covers them safely. Animations ([`anim`]) go through
//! libwebp's animation encoder, which that crate does not wrap either, and
//! animated inputs can be read by libwebp's animation decoder ([`decode`])
//! for callers who choose it over a pure-Rust one.
//!
//! The planes are VP8's own: BT.601 with limited range (luma 16–235, chroma
//! 16–240), luma `width × height`, chroma `⌈width/2⌉ × ⌈height/2⌉`, sited
//! between luma samples. Converting a JPEG's full-range planes is the
//! caller's job.

use std::ffi::c_void;

use libwebp_sys::{
    WebPConfig, WebPEncCSP, WebPEncode, WebPMemoryWrite, WebPMemoryWriter, WebPMemoryWriterClear,
    WebPMemoryWriterInit, WebPPicture, WebPPictureFree, WebPValidateConfig,
};

/// libwebp's largest side (`WEBP_MAX_DIMENSION`).
pub const MAX_SIDE: usize = 16383;

/// Three planes of a `width × height` picture, rows `*_stride` bytes apart.
/// Mutable because libwebp's picture holds mutable pointers; it does not
/// write to them for an opaque lossy encode without preprocessing.
#[derive(Debug)]
pub struct Planes<'a> {
    /// Luma, at least `width` wide and `height` high.
    pub y: &'a mut [u8],
    /// Bytes from one luma row to the next.
    pub y_stride: usize,
    /// Blue-difference chroma, at least `⌈width/2⌉ × ⌈height/2⌉`.
    pub u: &'a mut [u8],
    /// Red-difference chroma, the same size as `u`.
    pub v: &'a mut [u8],
    /// Bytes from one chroma row to the next (both chroma planes).
    pub uv_stride: usize,
    /// Picture width in pixels.
    pub width: usize,
    /// Picture height in pixels.
    pub height: usize,
}

/// Why no WebP came out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The planes do not describe a picture libwebp can take.
    #[error("invalid planes: {0}")]
    Planes(&'static str),
    /// libwebp refused the settings.
    #[error("libwebp refused the configuration")]
    Config,
    /// libwebp failed while encoding (its `WebPEncodingError`).
    #[error("libwebp failed: {0}")]
    Encode(String),
}

impl Planes<'_> {
    /// Every row libwebp will read lies inside its slice.
    fn check(&self) -> Result<(), Error> {
        let (w, h) = (self.width, self.height);
        if !(1..=MAX_SIDE).contains(&w) || !(1..=MAX_SIDE).contains(&h) {
            return Err(Error::Planes("a side is 0 or over 16383 px"));
        }
        let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
        let fits = |len: usize, stride: usize, row: usize, rows: usize| {
            stride >= row
                && (rows - 1).checked_mul(stride).and_then(|n| n.checked_add(row)).is_some_and(|n| n <= len)
        };
        if !fits(self.y.len(), self.y_stride, w, h) {
            return Err(Error::Planes("luma plane too small for its size and stride"));
        }
        if !fits(self.u.len(), self.uv_stride, cw, ch) || !fits(self.v.len(), self.uv_stride, cw, ch) {
            return Err(Error::Planes("chroma plane too small for its size and stride"));
        }
        // Strides are C ints; sides are at most 16383, so only a huge stride fails.
        i32::try_from(self.y_stride.max(self.uv_stride)).map_err(|_| Error::Planes("stride over i32"))?;
        Ok(())
    }
}

/// Encode `planes` as lossy WebP at `quality` (0–100) with libwebp `method`
/// (0 fastest … 6 smallest).
pub fn encode(planes: Planes<'_>, quality: f32, method: u8) -> Result<Vec<u8>, Error> {
    planes.check()?;
    let mut config = WebPConfig::new().map_err(|()| Error::Config)?;
    config.quality = quality.clamp(0.0, 100.0);
    config.method = i32::from(method.min(6));
    // SAFETY: `config` is an initialised WebPConfig owned by this frame.
    if unsafe { WebPValidateConfig(&config) } == 0 {
        return Err(Error::Config);
    }
    let mut picture = WebPPicture::new().map_err(|()| Error::Encode("picture init".into()))?;
    // The casts cannot truncate: `check` bounded sides to 16383 and strides to i32.
    picture.use_argb = 0;
    picture.colorspace = WebPEncCSP::WEBP_YUV420;
    picture.width = planes.width as i32;
    picture.height = planes.height as i32;
    picture.y = planes.y.as_mut_ptr();
    picture.u = planes.u.as_mut_ptr();
    picture.v = planes.v.as_mut_ptr();
    picture.y_stride = planes.y_stride as i32;
    picture.uv_stride = planes.uv_stride as i32;
    let mut writer = std::mem::MaybeUninit::<WebPMemoryWriter>::uninit();
    // SAFETY: WebPMemoryWriterInit only writes the (plain-data) writer it is given.
    unsafe { WebPMemoryWriterInit(writer.as_mut_ptr()) };
    // SAFETY: initialised just above.
    let mut writer = unsafe { writer.assume_init() };
    picture.writer = Some(WebPMemoryWrite);
    picture.custom_ptr = (&raw mut writer).cast::<c_void>();
    // SAFETY: the planes outlive this call and hold every row libwebp reads
    // (`check`); `writer` outlives it and is what WebPMemoryWrite expects in
    // `custom_ptr`; the picture owns no memory of its own (no import).
    let ok = unsafe { WebPEncode(&config, &mut picture) } != 0;
    let result = if ok {
        let bytes = if writer.mem.is_null() {
            Vec::new()
        } else {
            // SAFETY: after a successful encode `mem` holds `size` bytes written by libwebp.
            unsafe { std::slice::from_raw_parts(writer.mem, writer.size) }.to_vec()
        };
        Ok(bytes)
    } else {
        Err(Error::Encode(format!("{:?}", picture.error_code)))
    };
    // SAFETY: frees only what libwebp allocated (the output buffer); the
    // planes are not the picture's (its `memory_` is null, so Free resets the
    // pointers and frees nothing else).
    unsafe { WebPMemoryWriterClear(&mut writer) };
    // SAFETY: see above; the picture is not used afterwards.
    unsafe { WebPPictureFree(&mut picture) };
    result
}

pub mod anim;
pub mod decode;
mod timeline;

pub use anim::{AnimEncoder, Pixels};
pub use decode::{AnimDecoder, DecodeError};

#[cfg(test)]
mod tests;
