//! Animated WebP through libwebp's `WebPAnimEncoder`, which the `webp`
//! crate does not wrap: frames go in one at a time (RGB or RGBA, each with
//! its start time), and the encoder keeps only what it needs to find the
//! changed rectangle of the next frame (its previous canvas and the
//! encoded frames so far), so a caller never holds the whole animation
//! decoded.

use libwebp_sys::{
    WEBP_MUX_ABI_VERSION, WebPAnimEncoder, WebPAnimEncoderAdd, WebPAnimEncoderAssemble,
    WebPAnimEncoderDelete, WebPAnimEncoderGetError, WebPAnimEncoderNewInternal, WebPAnimEncoderOptions,
    WebPAnimEncoderOptionsInitInternal, WebPConfig, WebPData, WebPDataClear, WebPPicture, WebPPictureFree,
    WebPPictureImportRGB, WebPPictureImportRGBA, WebPValidateConfig,
};

use crate::{Error, MAX_SIDE};

/// One frame's pixels: `width × height`, rows packed, 3 (RGB) or 4 (RGBA,
/// straight alpha) bytes a pixel.
#[derive(Debug, Clone, Copy)]
pub struct Pixels<'a> {
    /// The samples, `width × height × channels` of them.
    pub data: &'a [u8],
    /// 3 or 4.
    pub channels: usize,
}

/// An animation being encoded; [`AnimEncoder::finish`] gives the file.
pub struct AnimEncoder {
    encoder: *mut WebPAnimEncoder,
    config: WebPConfig,
    width: usize,
    height: usize,
    /// The next frame's start, in milliseconds.
    time: i32,
    /// Each frame's delay, as added (to restore frames libwebp folds).
    delays: Vec<i32>,
}

impl std::fmt::Debug for AnimEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnimEncoder").field("width", &self.width).field("height", &self.height).finish()
    }
}

impl AnimEncoder {
    /// An encoder for `width × height` frames, played `loops` times (0:
    /// forever), each frame lossy at `quality` (0–100, alpha lossless) with
    /// libwebp `method` (0 fastest … 6 smallest).
    pub fn new(width: usize, height: usize, loops: u16, quality: f32, method: u8) -> Result<Self, Error> {
        if !(1..=MAX_SIDE).contains(&width) || !(1..=MAX_SIDE).contains(&height) {
            return Err(Error::Planes("a side is 0 or over 16383 px"));
        }
        let mut config = WebPConfig::new().map_err(|()| Error::Config)?;
        config.quality = quality.clamp(0.0, 100.0);
        config.method = i32::from(method.min(6));
        // SAFETY: `config` is an initialised WebPConfig owned by this frame.
        if unsafe { WebPValidateConfig(&config) } == 0 {
            return Err(Error::Config);
        }
        let mut options = std::mem::MaybeUninit::<WebPAnimEncoderOptions>::uninit();
        // SAFETY: the init function only writes the (plain-data) options it is given.
        let ok =
            unsafe { WebPAnimEncoderOptionsInitInternal(options.as_mut_ptr(), WEBP_MUX_ABI_VERSION as i32) };
        if ok == 0 {
            return Err(Error::Config);
        }
        // SAFETY: initialised just above (the call succeeded).
        let mut options = unsafe { options.assume_init() };
        options.anim_params.loop_count = i32::from(loops);
        // Transparent, as browsers draw the canvas whatever the file says.
        options.anim_params.bgcolor = 0;
        // Lossy frames only: mixing in lossless trials doubles the work.
        options.allow_mixed = 0;
        // The sides were checked to be at most 16383, so the casts hold.
        // SAFETY: `options` is initialised and only read during the call.
        let encoder = unsafe {
            WebPAnimEncoderNewInternal(width as i32, height as i32, &options, WEBP_MUX_ABI_VERSION as i32)
        };
        if encoder.is_null() {
            return Err(Error::Encode("libwebp could not start an animation".into()));
        }
        Ok(Self { encoder, config, width, height, time: 0, delays: Vec::new() })
    }

    /// Add the next frame, shown for `delay_ms` milliseconds.
    pub fn add(&mut self, pixels: Pixels<'_>, delay_ms: u32) -> Result<(), Error> {
        let expected = self.width.checked_mul(self.height).and_then(|n| n.checked_mul(pixels.channels));
        if !matches!(pixels.channels, 3 | 4) || expected != Some(pixels.data.len()) {
            return Err(Error::Planes("frame buffer does not match the animation's size"));
        }
        let mut picture = WebPPicture::new().map_err(|()| Error::Encode("picture init".into()))?;
        picture.use_argb = 1;
        picture.width = self.width as i32;
        picture.height = self.height as i32;
        let stride = (self.width * pixels.channels) as i32;
        let imported = if pixels.channels == 4 {
            // SAFETY: `data` holds `height` rows of `stride` bytes (checked
            // above); the import copies them into memory the picture owns.
            unsafe { WebPPictureImportRGBA(&mut picture, pixels.data.as_ptr(), stride) }
        } else {
            // SAFETY: as above, with three bytes per pixel.
            unsafe { WebPPictureImportRGB(&mut picture, pixels.data.as_ptr(), stride) }
        };
        let result = if imported == 0 {
            Err(Error::Encode("out of memory importing a frame".into()))
        } else {
            // SAFETY: the encoder is live (owned by self), the picture was
            // imported and the config validated; the encoder copies what it keeps.
            let added = unsafe { WebPAnimEncoderAdd(self.encoder, &mut picture, self.time, &self.config) };
            if added == 0 { Err(self.error()) } else { Ok(()) }
        };
        // SAFETY: frees the imported pixels; the picture is not used afterwards.
        unsafe { WebPPictureFree(&mut picture) };
        result?;
        // Frame times are C ints of milliseconds: clamp a hostile sum.
        let delay = i32::try_from(delay_ms).unwrap_or(i32::MAX);
        self.time = self.time.saturating_add(delay);
        self.delays.push(delay);
        Ok(())
    }

    /// The animated WebP file.
    pub fn finish(self) -> Result<Vec<u8>, Error> {
        // SAFETY: a null frame tells the live encoder the last frame's end time.
        let flushed =
            unsafe { WebPAnimEncoderAdd(self.encoder, std::ptr::null_mut(), self.time, std::ptr::null()) };
        if flushed == 0 {
            return Err(self.error());
        }
        let mut data = WebPData::default();
        // SAFETY: the encoder is live; on success `data` points to memory libwebp allocated.
        if unsafe { WebPAnimEncoderAssemble(self.encoder, &mut data) } == 0 {
            return Err(self.error());
        }
        let bytes = if data.bytes.is_null() {
            Vec::new()
        } else {
            // SAFETY: after a successful assemble `bytes` holds `size` bytes.
            unsafe { std::slice::from_raw_parts(data.bytes, data.size) }.to_vec()
        };
        // SAFETY: frees the buffer libwebp allocated for `data`, once.
        unsafe { WebPDataClear(&mut data) };
        Ok(crate::timeline::unfold(bytes, &self.delays))
    }

    /// The encoder's last error message.
    fn error(&self) -> Error {
        // SAFETY: the encoder is live; the message is a static or encoder-owned C string.
        let message = unsafe { WebPAnimEncoderGetError(self.encoder) };
        if message.is_null() {
            return Error::Encode("libwebp's animation encoder failed".into());
        }
        // SAFETY: non-null, NUL-terminated, valid while the encoder lives.
        let text = unsafe { std::ffi::CStr::from_ptr(message) }.to_string_lossy().into_owned();
        Error::Encode(text)
    }
}

impl Drop for AnimEncoder {
    fn drop(&mut self) {
        // SAFETY: the encoder was created by WebPAnimEncoderNew and is deleted once, here.
        unsafe { WebPAnimEncoderDelete(self.encoder) };
    }
}

// SAFETY: the encoder is owned exclusively by this value and libwebp keeps no
// thread-local state for it, so it may move to another thread (not be shared).
unsafe impl Send for AnimEncoder {}
