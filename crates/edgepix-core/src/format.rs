//! Input formats (sniffed from content, never from the file name) and output
//! formats (chosen by `f` or derived from the input).

/// An image format edgepix can decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// JPEG (baseline or progressive).
    Jpeg,
    /// PNG (any bit depth; APNG reads as its default image).
    Png,
    /// GIF (every frame, when the output can animate).
    Gif,
    /// WebP, lossy or lossless (every frame, when the output can animate).
    Webp,
    /// TIFF (first page).
    Tiff,
    /// AVIF: AV1 in a HEIF container (the primary still image).
    Avif,
    /// HEIC/HEIF: HEVC in a HEIF container (feature `heic`).
    Heic,
    /// JPEG XL, bare codestream or ISOBMFF container.
    Jxl,
}

impl InputFormat {
    /// Recognise a format from the first bytes. Formats that are recognised
    /// but not decodable yet get a message saying so.
    pub fn sniff(bytes: &[u8]) -> Result<Self, crate::CoreError> {
        let unsupported = |what: &str| Err(crate::CoreError::UnsupportedInput(what.to_owned()));
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] => Ok(Self::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Ok(Self::Png),
            [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Ok(Self::Gif),
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Ok(Self::Webp),
            [b'I', b'I', 0x2A, 0x00, ..] | [b'M', b'M', 0x00, 0x2A, ..] => Ok(Self::Tiff),
            [_, _, _, _, b'f', b't', b'y', b'p', ..] => Self::heif(bytes),
            [0xFF, 0x0A, ..] | [0, 0, 0, 0x0C, b'J', b'X', b'L', b' ', 0x0D, 0x0A, 0x87, 0x0A, ..] => {
                Ok(Self::Jxl)
            }
            [] => unsupported("the file is empty"),
            _ => unsupported("not a JPEG, PNG, GIF, WebP, TIFF, AVIF, HEIC or JPEG XL image"),
        }
    }

    /// AVIF or HEIC by the `ftyp` box's major and compatible brands.
    fn heif(bytes: &[u8]) -> Result<Self, crate::CoreError> {
        let size = bytes.get(..4).map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize);
        let ftyp = bytes.get(8..size.clamp(8, 4096)).unwrap_or_default();
        let brands: Vec<&[u8]> = ftyp.chunks_exact(4).collect();
        let any = |names: &[&[u8]]| brands.iter().any(|b| names.contains(b));
        if any(&[b"avif", b"avis"]) {
            Ok(Self::Avif)
        } else if any(&[b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"]) {
            Ok(Self::Heic)
        } else {
            Err(crate::CoreError::UnsupportedInput("an ISO media file that is neither AVIF nor HEIF".into()))
        }
    }

    /// The output format used when the request names none: the same format
    /// where edgepix can encode it, else PNG for images with alpha and JPEG
    /// for opaque ones.
    pub fn default_output(self, has_alpha: bool) -> OutputFormat {
        match self {
            Self::Jpeg => OutputFormat::Jpeg,
            Self::Png => OutputFormat::Png,
            Self::Webp => OutputFormat::Webp,
            Self::Avif => OutputFormat::Avif,
            Self::Gif | Self::Tiff | Self::Heic | Self::Jxl if has_alpha => OutputFormat::Png,
            Self::Gif | Self::Tiff | Self::Heic | Self::Jxl => OutputFormat::Jpeg,
        }
    }

    /// The media type of an original served unchanged.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
            Self::Tiff => "image/tiff",
            Self::Avif => "image/avif",
            Self::Heic => "image/heic",
            Self::Jxl => "image/jxl",
        }
    }
}

/// An image format edgepix can encode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    /// JPEG, 4:2:0 below q90, optimised Huffman tables.
    Jpeg,
    /// PNG, fast compression.
    Png,
    /// Lossy WebP (libwebp).
    Webp,
    /// AVIF (rav1e).
    Avif,
    /// GIF: 256 colours a frame (NeuQuant), 1-bit transparency; animated
    /// when the source is.
    Gif,
}

impl OutputFormat {
    /// All formats, in the order the docs list them.
    pub const ALL: [Self; 5] = [Self::Jpeg, Self::Png, Self::Webp, Self::Avif, Self::Gif];

    /// Parse the `f` parameter's value (`jpg` is an alias of `jpeg`).
    pub fn from_param(value: &str) -> Option<Self> {
        match value {
            "jpeg" | "jpg" => Some(Self::Jpeg),
            "png" => Some(Self::Png),
            "webp" => Some(Self::Webp),
            "avif" => Some(Self::Avif),
            "gif" => Some(Self::Gif),
            _ => None,
        }
    }

    /// The canonical name, as used in `f=` and in cache keys.
    pub fn name(self) -> &'static str {
        match self {
            Self::Jpeg => "jpeg",
            Self::Png => "png",
            Self::Webp => "webp",
            Self::Avif => "avif",
            Self::Gif => "gif",
        }
    }

    /// The `Content-Type` of the encoded output.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Avif => "image/avif",
            Self::Gif => "image/gif",
        }
    }

    /// Whether the format can carry an animation (`f=webp`, `f=gif`).
    pub fn animates(self) -> bool {
        matches!(self, Self::Webp | Self::Gif)
    }

    /// Quality used when `q` is absent: sharp's and imgproxy's 80 for JPEG
    /// and WebP; AVIF's scale is steeper, 50 looks like JPEG 80 (sharp: 50).
    /// PNG and GIF have no quality setting: theirs is ignored.
    pub fn default_quality(self) -> u8 {
        match self {
            Self::Jpeg | Self::Webp => 80,
            Self::Avif => 50,
            Self::Png | Self::Gif => 100,
        }
    }

    /// Whether `q` changes the output (JPEG, WebP and AVIF are lossy here).
    pub fn is_lossy(self) -> bool {
        matches!(self, Self::Jpeg | Self::Webp | Self::Avif)
    }

    /// Whether the format can carry transparency.
    pub fn supports_alpha(self) -> bool {
        !matches!(self, Self::Jpeg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_name() {
        assert_eq!(InputFormat::sniff(b"\xFF\xD8\xFF\xE0rest").ok(), Some(InputFormat::Jpeg));
        assert_eq!(InputFormat::sniff(b"\x89PNG\r\n\x1a\nIHDR").ok(), Some(InputFormat::Png));
        assert_eq!(InputFormat::sniff(b"GIF89a..").ok(), Some(InputFormat::Gif));
        assert_eq!(InputFormat::sniff(b"RIFF\0\0\0\0WEBPVP8 ").ok(), Some(InputFormat::Webp));
        assert_eq!(InputFormat::sniff(b"MM\0*\0\0\0\x08").ok(), Some(InputFormat::Tiff));
        assert!(InputFormat::sniff(b"").is_err());
        assert!(InputFormat::sniff(b"hello, world").is_err());
        let ftyp = |brands: &[u8]| [&((brands.len() + 8) as u32).to_be_bytes()[..], b"ftyp", brands].concat();
        assert_eq!(InputFormat::sniff(&ftyp(b"heic\0\0\0\0mif1heic")).ok(), Some(InputFormat::Heic));
        assert_eq!(InputFormat::sniff(&ftyp(b"avif\0\0\0\0mif1miaf")).ok(), Some(InputFormat::Avif));
        assert_eq!(InputFormat::sniff(&ftyp(b"mif1\0\0\0\0avis")).ok(), Some(InputFormat::Avif));
        assert!(InputFormat::sniff(&ftyp(b"isom\0\0\0\0mp41")).is_err(), "an MP4 video");
        assert_eq!(InputFormat::sniff(b"\xff\x0a\xfa").ok(), Some(InputFormat::Jxl));
        assert_eq!(InputFormat::sniff(b"\0\0\0\x0cJXL \r\n\x87\n").ok(), Some(InputFormat::Jxl));
    }

    #[test]
    fn default_output_keeps_what_it_can_encode() {
        assert_eq!(InputFormat::Webp.default_output(true), OutputFormat::Webp);
        assert_eq!(InputFormat::Gif.default_output(true), OutputFormat::Png);
        assert_eq!(InputFormat::Gif.default_output(false), OutputFormat::Jpeg);
        assert_eq!(InputFormat::Tiff.default_output(false), OutputFormat::Jpeg);
    }
}
