//! libwebp's animation encoder drops a frame that it finds equal (within
//! its lossy tolerance) to the one before and lengthens that one instead:
//! the same picture for the same time, but fewer frames than the source,
//! which callers counting frames (and the tools that compare them) see as
//! a different animation. `unfold` gives the frames back without touching
//! an encoded frame: a lengthened frame keeps its first delay, and each
//! folded frame returns as a blank one (its rectangle, fully transparent,
//! alpha-blended: the canvas does not change) carrying its own delay; the
//! lengthened frame's disposal moves to the last of them.
//!
//! Pure container work on the RIFF chunks (WebP container spec, "ANMF").
//! Anything unexpected (durations that do not add up, a malformed file)
//! leaves the file as libwebp wrote it.

/// The file with one frame per entry of `delays` (the delays, in ms, the
/// frames were added with), or unchanged.
pub(crate) fn unfold(file: Vec<u8>, delays: &[i32]) -> Vec<u8> {
    rebuild(&file, delays).unwrap_or(file)
}

fn rebuild(file: &[u8], delays: &[i32]) -> Option<Vec<u8>> {
    if file.get(0..4)? != b"RIFF" || file.get(8..12)? != b"WEBP" {
        return None;
    }
    let chunks = chunks(file.get(12..)?)?;
    if chunks.iter().filter(|(id, _)| id == b"ANMF").count() == delays.len() {
        return None;
    }
    let mut out = b"RIFF\0\0\0\0WEBP".to_vec();
    let mut left = delays;
    for (id, payload) in chunks {
        match &id {
            b"VP8X" => {
                let mut flags = payload.to_vec();
                *flags.first_mut()? |= 0x10; // the blank frames have alpha
                put(&mut out, id, &flags);
            }
            b"ANMF" => left = frame(&mut out, payload, left)?,
            _ => put(&mut out, id, payload),
        }
    }
    if !left.is_empty() {
        return None;
    }
    let size = u32::try_from(out.len() - 8).ok()?;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Some(out)
}

/// Write one ANMF chunk and, if its duration covers several `delays`, the
/// blank frames after it; the delays not yet used.
fn frame<'a>(out: &mut Vec<u8>, payload: &[u8], delays: &'a [i32]) -> Option<&'a [i32]> {
    let header = payload.get(..16)?;
    let duration = u24(&header[12..15]);
    let (mut sum, mut count) = (0i64, 0);
    while sum < i64::from(duration) {
        sum += i64::from(*delays.get(count)?);
        count += 1;
    }
    let count = count.max(1);
    if delays.is_empty() || (count > 1 && sum != i64::from(duration)) {
        return None;
    }
    if count == 1 {
        put(out, *b"ANMF", payload);
        return Some(&delays[1..]);
    }
    let dispose = header[15] & 1;
    let mut first = payload.to_vec();
    first[12..15].copy_from_slice(&le24(delays[0])?);
    first[15] &= !1;
    put(out, *b"ANMF", &first);
    let (width, height) = (u24(&header[6..9]) + 1, u24(&header[9..12]) + 1);
    let blank = blank_vp8l(width, height)?;
    for (i, &delay) in delays[1..count].iter().enumerate() {
        let mut anmf = header[..12].to_vec();
        anmf.extend_from_slice(&le24(delay)?);
        anmf.push(if i + 2 == count { dispose } else { 0 }); // blend, and dispose only at the end
        put(&mut anmf, *b"VP8L", &blank);
        put(out, *b"ANMF", &anmf);
    }
    Some(&delays[count..])
}

/// The chunks of a RIFF body: id and payload.
fn chunks(mut body: &[u8]) -> Option<Vec<([u8; 4], &[u8])>> {
    let mut chunks = Vec::new();
    while !body.is_empty() {
        let id: [u8; 4] = body.get(0..4)?.try_into().ok()?;
        let size = u32::from_le_bytes(body.get(4..8)?.try_into().ok()?) as usize;
        chunks.push((id, body.get(8..8 + size)?));
        body = body.get((8 + size + (size & 1)).min(body.len())..)?;
    }
    Some(chunks)
}

fn put(out: &mut Vec<u8>, id: [u8; 4], payload: &[u8]) {
    out.extend_from_slice(&id);
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(payload);
    if payload.len() % 2 == 1 {
        out.push(0);
    }
}

fn u24(b: &[u8]) -> u32 {
    u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16
}

fn le24(v: i32) -> Option<[u8; 3]> {
    let v = u32::try_from(v).ok().filter(|&v| v < 1 << 24)?;
    Some([v as u8, (v >> 8) as u8, (v >> 16) as u8])
}

/// A lossless bitstream of a `width × height` image, every pixel
/// transparent black: the header, no transform, no colour cache, one set
/// of prefix codes, each a simple code of the single symbol 0, so every
/// pixel costs no bits at all (8 bytes whatever the size).
fn blank_vp8l(width: u32, height: u32) -> Option<Vec<u8>> {
    if !(1..=1 << 14).contains(&width) || !(1..=1 << 14).contains(&height) {
        return None;
    }
    let mut bits = Bits::default();
    bits.put(0x2f, 8); // signature
    bits.put(width - 1, 14);
    bits.put(height - 1, 14);
    bits.put(1, 1); // alpha is used
    bits.put(0, 3); // version 0
    bits.put(0, 1); // no transform
    bits.put(0, 1); // no colour cache
    bits.put(0, 1); // no meta prefix codes
    for _ in 0..5 {
        // green, red, blue, alpha, distance: simple, one symbol, 1-bit symbol 0
        bits.put(0b0001, 4);
    }
    Some(bits.bytes)
}

/// Bits written least significant first, as VP8L reads them.
#[derive(Default)]
struct Bits {
    bytes: Vec<u8>,
    used: u32,
}

impl Bits {
    fn put(&mut self, value: u32, count: u32) {
        for i in 0..count {
            if self.used.is_multiple_of(8) {
                self.bytes.push(0);
            }
            if let Some(last) = self.bytes.last_mut() {
                *last |= (((value >> i) & 1) as u8) << (self.used % 8);
            }
            self.used += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blank_frame_decodes_as_transparent_pixels() {
        let bits = blank_vp8l(37, 5).unwrap();
        let mut file = b"RIFF\0\0\0\0WEBP".to_vec();
        put(&mut file, *b"VP8L", &bits);
        let size = (file.len() - 8) as u32;
        file[4..8].copy_from_slice(&size.to_le_bytes());
        let image = image::load_from_memory(&file).expect("a valid lossless WebP").to_rgba8();
        assert_eq!(image.dimensions(), (37, 5));
        assert!(image.pixels().all(|p| p.0 == [0; 4]));
    }

    #[test]
    fn durations_that_do_not_add_up_leave_the_file_alone() {
        let mut anmf = vec![0u8; 16];
        anmf[12] = 100; // 100 ms
        let mut file = b"RIFF\0\0\0\0WEBP".to_vec();
        put(&mut file, *b"ANMF", &anmf);
        assert_eq!(unfold(file.clone(), &[60, 60]), file);
        assert_eq!(unfold(file.clone(), &[100]), file);
        assert_ne!(unfold(file.clone(), &[40, 60]), file);
    }
}
