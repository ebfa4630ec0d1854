//! ISO base media file format boxes (ISO/IEC 14496-12), read from a byte
//! slice with every length checked against what is left: a box that claims
//! more than its parent holds is an error, never a read past the end.

use crate::CoreError;

/// A box: its four-character type and its body.
pub(super) type Boxed<'a> = ([u8; 4], &'a [u8]);

/// Reads big-endian fields from a slice.
#[derive(Debug, Clone, Copy)]
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

pub(super) fn bad(what: &str) -> CoreError {
    CoreError::undecodable(format!("malformed HEIF/AVIF container: {what}"))
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0 }
    }

    pub fn left(&self) -> usize {
        self.bytes.len() - self.at
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], CoreError> {
        let end =
            self.at.checked_add(n).filter(|&end| end <= self.bytes.len()).ok_or_else(|| bad("short box"))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    pub fn rest(&mut self) -> &'a [u8] {
        let rest = &self.bytes[self.at..];
        self.at = self.bytes.len();
        rest
    }

    pub fn u8(&mut self) -> Result<u8, CoreError> {
        Ok(self.take(1)?[0])
    }

    pub fn u16(&mut self) -> Result<u16, CoreError> {
        Ok(u16::from_be_bytes(self.take(2)?.try_into().unwrap_or_default()))
    }

    pub fn u32(&mut self) -> Result<u32, CoreError> {
        Ok(u32::from_be_bytes(self.take(4)?.try_into().unwrap_or_default()))
    }

    /// An unsigned field of `size` bytes (0, 1, 2, 4 or 8), as in `iloc`.
    pub fn sized(&mut self, size: u8) -> Result<u64, CoreError> {
        match size {
            0 => Ok(0),
            1 | 2 | 4 | 8 => {
                Ok(self.take(usize::from(size))?.iter().fold(0, |v, &b| (v << 8) | u64::from(b)))
            }
            _ => Err(bad("field size")),
        }
    }

    /// A 16- or 32-bit item ID, by the box's version.
    pub fn item_id(&mut self, wide: bool) -> Result<u32, CoreError> {
        if wide { self.u32() } else { self.u16().map(u32::from) }
    }

    /// A FullBox's version (the flags are returned as the low 24 bits).
    pub fn full(&mut self) -> Result<(u8, u32), CoreError> {
        let word = self.u32()?;
        Ok(((word >> 24) as u8, word & 0xFF_FFFF))
    }

    /// A null-terminated string (UTF-8 where valid).
    pub fn string(&mut self) -> Result<String, CoreError> {
        let rest = &self.bytes[self.at..];
        let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
        let text = String::from_utf8_lossy(&rest[..end]).into_owned();
        self.at += (end + 1).min(rest.len());
        Ok(text)
    }

    /// The next box: its four-character type and its body.
    pub fn next_box(&mut self) -> Result<Option<Boxed<'a>>, CoreError> {
        if self.left() == 0 {
            return Ok(None);
        }
        let size = u64::from(self.u32()?);
        let kind: [u8; 4] = self.take(4)?.try_into().unwrap_or_default();
        let body = match size {
            0 => self.left(),
            1 => usize::try_from(self.sized(8)?.checked_sub(16).ok_or_else(|| bad("box size"))?)
                .map_err(|_| bad("box size"))?,
            _ => usize::try_from(size.checked_sub(8).ok_or_else(|| bad("box size"))?)
                .map_err(|_| bad("box size"))?,
        };
        Ok(Some((kind, self.take(body)?)))
    }
}

/// Every box in `bytes`, in order.
pub(super) fn children(bytes: &[u8]) -> impl Iterator<Item = Result<Boxed<'_>, CoreError>> {
    let mut reader = Reader::new(bytes);
    std::iter::from_fn(move || reader.next_box().transpose())
}

/// The body of the first box of `kind` among `bytes`' boxes.
pub(super) fn find<'a>(bytes: &'a [u8], kind: &[u8; 4]) -> Result<Option<&'a [u8]>, CoreError> {
    for child in children(bytes) {
        let (k, body) = child?;
        if &k == kind {
            return Ok(Some(body));
        }
    }
    Ok(None)
}
