//! The calls into rav1d's dav1d API, each owned by a guard that releases
//! what it holds on every path (error, early return, panic in the closure).

use std::mem::MaybeUninit;
use std::ptr::NonNull;

use rav1d::include::dav1d::data::Dav1dData;
use rav1d::include::dav1d::dav1d::{Dav1dContext, Dav1dSettings};
use rav1d::include::dav1d::headers::{
    DAV1D_PIXEL_LAYOUT_I400, DAV1D_PIXEL_LAYOUT_I420, DAV1D_PIXEL_LAYOUT_I422, DAV1D_PIXEL_LAYOUT_I444,
};
use rav1d::include::dav1d::picture::Dav1dPicture;
use rav1d::src::lib::{
    dav1d_close, dav1d_data_create, dav1d_data_unref, dav1d_default_settings, dav1d_get_picture, dav1d_open,
    dav1d_picture_unref, dav1d_send_data,
};

use crate::{Error, Layout, Picture, Plane, Samples, SequenceColour};

/// dav1d's "try again": the decoder wants more data or to hand out a picture.
const EAGAIN: i32 = -11;

/// Decode the one picture in `obus` (an AVIF item: a sequence header and a
/// frame) and lend it to `use_picture`. Pictures over `max_pixels` are
/// refused by the decoder before it allocates them.
pub fn decode<T>(
    obus: &[u8],
    max_pixels: u64,
    use_picture: impl FnOnce(&Picture<'_>) -> T,
) -> Result<T, Error> {
    let decoder = Decoder::open(max_pixels)?;
    let mut data = Data::copy_of(obus)?;
    let picture = decoder.picture(&mut data)?;
    Ok(use_picture(&picture.view()?))
}

/// An open decoder, closed on drop.
struct Decoder(Option<Dav1dContext>);

impl Decoder {
    fn open(max_pixels: u64) -> Result<Self, Error> {
        let mut settings = MaybeUninit::<Dav1dSettings>::uninit();
        // SAFETY: the pointer is to writable memory the size of a Dav1dSettings,
        // which dav1d_default_settings fills in completely.
        unsafe { dav1d_default_settings(NonNull::from(&mut settings).cast()) };
        // SAFETY: initialised just above.
        let mut settings = unsafe { settings.assume_init() };
        // Two frame contexts, not one: rav1d 1.1.0's single-context path
        // panics when a frame fails to decode (its error handler unwraps the
        // frame header the failed decode already dropped), and a panic cannot
        // unwind out of its `extern "C"` API, so the process aborts. Found by
        // the decoders fuzz target on a corrupted AVIF; the frame-threaded
        // path reports the error instead. An AVIF item is one frame, so the
        // second context only costs its thread.
        settings.n_threads = 2;
        settings.max_frame_delay = 2;
        settings.frame_size_limit = u32::try_from(max_pixels).unwrap_or(u32::MAX);
        // No log lines on stderr for hostile files: the logger's cookie and
        // callback are a nullable pointer and a nullable function pointer
        // (repr(C), private fields), so all-zero bytes are `None` for both.
        // SAFETY: the field is valid, writable, and zero is a valid value of it.
        unsafe { std::ptr::write_bytes(&mut settings.logger, 0, 1) };
        let mut context: Option<Dav1dContext> = None;
        // SAFETY: both pointers are valid for the call; dav1d_open reads the
        // settings and writes the context (or None on failure).
        let result =
            unsafe { dav1d_open(Some(NonNull::from(&mut context)), Some(NonNull::from(&mut settings))) };
        match (result.0, context) {
            (0, Some(context)) => Ok(Self(Some(context))),
            (code, _) => Err(Error::Open(code)),
        }
    }

    /// Send all of `data`, then take the picture it makes.
    fn picture(&self, data: &mut Data) -> Result<OwnedPicture, Error> {
        let mut picture = OwnedPicture(Dav1dPicture::default());
        // With frame threading the picture comes out of a later call: one
        // made with nothing new sent drains (waits for the frame threads).
        let mut drains = 0;
        loop {
            if data.0.sz > 0 {
                // SAFETY: the context is open; `data` is a valid Dav1dData that
                // dav1d reads and updates (what it consumed).
                let sent = unsafe { dav1d_send_data(self.0, Some(NonNull::from(&mut data.0))) };
                if sent.0 != 0 && sent.0 != EAGAIN {
                    return Err(Error::Decode(sent.0));
                }
            }
            picture.release();
            // SAFETY: the context is open and `picture` is a valid, empty
            // Dav1dPicture that dav1d writes; it is released by OwnedPicture.
            let got = unsafe { dav1d_get_picture(self.0, Some(NonNull::from(&mut picture.0))) };
            match got.0 {
                0 => return Ok(picture),
                EAGAIN if data.0.sz > 0 => continue,
                EAGAIN if drains < 2 => drains += 1,
                EAGAIN => return Err(Error::NoPicture),
                code => return Err(Error::Decode(code)),
            }
        }
    }
}

impl Drop for Decoder {
    fn drop(&mut self) {
        // SAFETY: the context came from dav1d_open and is closed once, here;
        // dav1d_close takes it out of the Option.
        unsafe { dav1d_close(Some(NonNull::from(&mut self.0))) };
    }
}

/// A copy of the input in dav1d's own reference-counted buffer.
struct Data(Dav1dData);

impl Data {
    fn copy_of(bytes: &[u8]) -> Result<Self, Error> {
        let mut data = Self(Dav1dData::default());
        if bytes.is_empty() {
            return Err(Error::NoPicture);
        }
        // SAFETY: `data.0` is a valid Dav1dData to write; the returned pointer
        // is null or the start of `bytes.len()` writable bytes it now owns.
        let buffer = unsafe { dav1d_data_create(Some(NonNull::from(&mut data.0)), bytes.len()) };
        if buffer.is_null() {
            return Err(Error::Open(-12));
        }
        // SAFETY: `buffer` holds `bytes.len()` bytes (above) and cannot overlap
        // `bytes`, which the caller owns.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), buffer, bytes.len()) };
        Ok(data)
    }
}

impl Drop for Data {
    fn drop(&mut self) {
        // SAFETY: a Dav1dData from dav1d_data_create (or default, empty);
        // unref releases what is left of it and empties it.
        unsafe { dav1d_data_unref(Some(NonNull::from(&mut self.0))) };
    }
}

/// A picture handed out by the decoder, released on drop.
struct OwnedPicture(Dav1dPicture);

impl OwnedPicture {
    /// The picture as safe slices, borrowed from `self`.
    fn view(&self) -> Result<Picture<'_>, Error> {
        let p = &self.0;
        let (width, height) = (side(p.p.w)?, side(p.p.h)?);
        let layout = match p.p.layout {
            DAV1D_PIXEL_LAYOUT_I400 => Layout::I400,
            DAV1D_PIXEL_LAYOUT_I420 => Layout::I420,
            DAV1D_PIXEL_LAYOUT_I422 => Layout::I422,
            DAV1D_PIXEL_LAYOUT_I444 => Layout::I444,
            _ => return Err(Error::Unexpected("pixel layout")),
        };
        let bit_depth = match p.p.bpc {
            8 => 8,
            10 => 10,
            12 => 12,
            _ => return Err(Error::Unexpected("bit depth")),
        };
        let (sx, sy) = layout.shifts();
        let chroma = (width.div_ceil(1 << sx), height.div_ceil(1 << sy));
        let plane = |i: usize, (w, h): (usize, usize)| self.plane(i, w, h, bit_depth);
        let planes = match layout {
            Layout::I400 => [Some(plane(0, (width, height))?), None, None],
            _ => [Some(plane(0, (width, height))?), Some(plane(1, chroma)?), Some(plane(2, chroma)?)],
        };
        Ok(Picture { width, height, bit_depth, layout, planes, colour: self.colour() })
    }

    fn plane(&self, index: usize, width: usize, height: usize, bit_depth: u8) -> Result<Plane<'_>, Error> {
        let stride_bytes = usize::try_from(self.0.stride[usize::from(index > 0)])
            .map_err(|_| Error::Unexpected("negative stride"))?;
        let data = self.0.data[index].ok_or(Error::Unexpected("missing plane"))?;
        let sample = if bit_depth == 8 { 1 } else { 2 };
        if height == 0 || stride_bytes < width * sample || stride_bytes % sample != 0 {
            return Err(Error::Unexpected("plane geometry"));
        }
        let len = stride_bytes * (height - 1) + width * sample;
        let stride = stride_bytes / sample;
        let samples = if sample == 1 {
            // SAFETY: dav1d allocated `height` rows `stride_bytes` apart, each at
            // least `width` bytes, and keeps them until the picture is unref'd,
            // which `self` (borrowed for the slice's lifetime) does on drop.
            Samples::U8(unsafe { std::slice::from_raw_parts(data.as_ptr().cast::<u8>(), len) })
        } else {
            if data.as_ptr().align_offset(2) != 0 {
                return Err(Error::Unexpected("misaligned 16-bit plane"));
            }
            // SAFETY: as above, in 16-bit samples (dav1d's high bit-depth
            // pictures), the pointer checked to be 2-aligned just above.
            Samples::U16(unsafe { std::slice::from_raw_parts(data.as_ptr().cast::<u16>(), len / 2) })
        };
        Ok(Plane { samples, stride, width, height })
    }

    fn colour(&self) -> SequenceColour {
        let Some(header) = self.0.seq_hdr else {
            return SequenceColour { primaries: 2, transfer: 2, matrix: 2, full_range: false };
        };
        // SAFETY: a picture's sequence header stays valid while the picture is
        // referenced (`seq_hdr_ref` holds it), which `self` does.
        let header = unsafe { header.as_ref() };
        let code = |v: u32| u8::try_from(v).unwrap_or(2);
        SequenceColour {
            primaries: code(header.pri),
            transfer: code(header.trc),
            matrix: code(header.mtrx),
            full_range: header.color_range != 0,
        }
    }
}

impl Drop for OwnedPicture {
    fn drop(&mut self) {
        self.release();
    }
}

impl OwnedPicture {
    /// Release what the picture holds. Also before every dav1d_get_picture,
    /// which overwrites its output (an empty picture too, on EAGAIN) without
    /// releasing what was there.
    fn release(&mut self) {
        // SAFETY: a picture from dav1d_get_picture (or default, empty); unref
        // releases it and empties it.
        unsafe { dav1d_picture_unref(Some(NonNull::from(&mut self.0))) };
        // rav1d 1.1.0's unref "empties" the picture with Rav1dPicture's
        // Default, whose ITU-T T.35 list is an allocated (empty) Arc: 48 bytes
        // a picture that nothing else would free (found by the decoders fuzz
        // target under LeakSanitizer). Take it back and drop it.
        self.0.itut_t35 = None;
        if let Some(empty) = self.0.itut_t35_ref.take() {
            // SAFETY: the reference was made by RawArc::from_arc inside the
            // unref above and nothing else holds or uses it: taken out of the
            // picture, it is turned back into its Arc once, here.
            drop(unsafe { empty.into_arc() });
        }
    }
}

fn side(v: std::ffi::c_int) -> Result<usize, Error> {
    usize::try_from(v).ok().filter(|&v| v > 0).ok_or(Error::Unexpected("picture size"))
}
