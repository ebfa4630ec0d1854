//! Animated WebP decoding through libwebp's `WebPAnimDecoder`: the demuxer
//! and compositor every browser built on libwebp uses, and the one sharp
//! and libvips decode with.
//!
//! Why a C decoder beside image-webp: on animations, image-webp's
//! arithmetic decoding, per-pixel blending and chroma upsampling take about
//! twice libwebp's time, and that decode was most of an animated WebP
//! resize. Why it is opt-in (edgepix-core's `libwebp-decode`, which its
//! `simd` build turns on): it is C reading untrusted bytes, the trade the
//! `simd` build already makes for JPEG (libjpeg-turbo). Callers check the
//! frame count and canvas against their limits before opening a file here;
//! libwebp holds two canvases (the current and the previous frame).
//!
//! The canvas starts transparent and frames disposed to the background are
//! cleared to transparent: libwebp ignores the file's background colour, as
//! browsers do.

use std::ffi::c_int;
use std::marker::PhantomData;
use std::ptr::NonNull;

use libwebp_sys::{
    WEBP_CSP_MODE, WebPAnimDecoder, WebPAnimDecoderDelete, WebPAnimDecoderGetInfo, WebPAnimDecoderGetNext,
    WebPAnimDecoderHasMoreFrames, WebPAnimDecoderNew, WebPAnimDecoderOptions, WebPAnimDecoderOptionsInit,
    WebPAnimInfo, WebPData,
};

/// Why an animation could not be opened or a frame not decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// libwebp's demuxer refused the file (not a WebP, truncated headers, a
    /// frame outside the canvas, …).
    #[error("libwebp could not open the animation")]
    Open,
    /// A frame's bitstream is broken or truncated.
    #[error("libwebp could not decode frame {0}")]
    Frame(u32),
}

/// An animated WebP's frames, each composited onto the canvas as
/// non-premultiplied RGBA, one at a time.
pub struct AnimDecoder<'a> {
    decoder: NonNull<WebPAnimDecoder>,
    info: WebPAnimInfo,
    previous_end: c_int,
    decoded: u32,
    /// The decoder reads `bytes` in place until it is deleted.
    bytes: PhantomData<&'a [u8]>,
}

impl<'a> AnimDecoder<'a> {
    /// Open `bytes` (headers only: no frame is decoded yet).
    pub fn new(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut options = std::mem::MaybeUninit::<WebPAnimDecoderOptions>::uninit();
        // SAFETY: the init call writes every field of the (plain-data) options it is given.
        if unsafe { WebPAnimDecoderOptionsInit(options.as_mut_ptr()) } == 0 {
            return Err(DecodeError::Open);
        }
        // SAFETY: initialised just above (the call returned success).
        let mut options = unsafe { options.assume_init() };
        options.color_mode = WEBP_CSP_MODE::MODE_RGBA;
        options.use_threads = 0;
        let data = WebPData { bytes: bytes.as_ptr(), size: bytes.len() };
        // SAFETY: `data` points at `bytes.len()` readable bytes that outlive
        // the decoder (the `'a` borrow); libwebp copies `data` and `options`.
        let decoder =
            NonNull::new(unsafe { WebPAnimDecoderNew(&data, &options) }).ok_or(DecodeError::Open)?;
        let mut info = WebPAnimInfo::default();
        // SAFETY: `decoder` is live; `info` is a plain struct it fills in.
        if unsafe { WebPAnimDecoderGetInfo(decoder.as_ptr(), &mut info) } == 0 {
            // SAFETY: created above and not used again.
            unsafe { WebPAnimDecoderDelete(decoder.as_ptr()) };
            return Err(DecodeError::Open);
        }
        Ok(Self { decoder, info, previous_end: 0, decoded: 0, bytes: PhantomData })
    }

    /// The canvas's width and height.
    pub fn canvas(&self) -> (u32, u32) {
        (self.info.canvas_width, self.info.canvas_height)
    }

    /// How many frames the file holds.
    pub fn frame_count(&self) -> u32 {
        self.info.frame_count
    }

    /// How often the animation plays: 0 for forever, as in the file.
    pub fn loop_count(&self) -> u32 {
        self.info.loop_count
    }

    /// The next frame, composited onto the canvas (`width × height × 4`
    /// bytes, rows packed, borrowed until the next call), and its delay in
    /// milliseconds; `None` after the last frame.
    pub fn next_frame(&mut self) -> Result<Option<(&[u8], u32)>, DecodeError> {
        // SAFETY: `decoder` is live for as long as `self`.
        if unsafe { WebPAnimDecoderHasMoreFrames(self.decoder.as_ptr()) } == 0 {
            return Ok(None);
        }
        let mut buffer: *mut u8 = std::ptr::null_mut();
        let mut end: c_int = 0;
        // SAFETY: `decoder` is live; the out-pointers are valid locals.
        if unsafe { WebPAnimDecoderGetNext(self.decoder.as_ptr(), &mut buffer, &mut end) } == 0
            || buffer.is_null()
        {
            return Err(DecodeError::Frame(self.decoded + 1));
        }
        self.decoded += 1;
        let delay = u32::try_from(end.saturating_sub(self.previous_end)).unwrap_or(0);
        self.previous_end = end;
        let len = self.info.canvas_width as usize * self.info.canvas_height as usize * 4;
        // SAFETY: after a successful GetNext the decoder's canvas holds
        // `canvas_width × canvas_height` RGBA pixels, packed (libwebp's
        // `stride = width × 4`), and stays untouched until the next call on
        // the decoder, which the `&mut self` borrow of the result rules out.
        let frame = unsafe { std::slice::from_raw_parts(buffer, len) };
        Ok(Some((frame, delay)))
    }
}

impl Drop for AnimDecoder<'_> {
    fn drop(&mut self) {
        // SAFETY: created in `new`, deleted only here.
        unsafe { WebPAnimDecoderDelete(self.decoder.as_ptr()) };
    }
}

// SAFETY: the decoder holds no thread-local state and is used through
// `&mut self` only; moving it to another thread with its borrowed bytes is
// as safe as moving the borrow.
unsafe impl Send for AnimDecoder<'_> {}
