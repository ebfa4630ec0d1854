//! Input formats (sniffed from content, never from the file name) and output
//! formats (chosen by `f` or derived from the input).

/// An image format edgepix can decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// JPEG (baseline or progressive).
    Jpeg,
    /// PNG (any bit depth; APNG reads as its default image).
    Png,
    /// GIF (first frame).
    Gif,
    /// WebP, lossy or lossless (first frame).
    Webp,
    /// TIFF (first page).
    Tiff,
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
            [_, _, _, _, b'f', b't', b'y', b'p', brand @ ..] if brand.starts_with(b"avi") => unsupported(
                "AVIF input is not supported yet (decoding AV1 needs dav1d, a C library built with nasm)",
            ),
            [_, _, _, _, b'f', b't', b'y', b'p', ..] => {
                unsupported("HEIF/HEIC input is not supported (HEVC is patent-encumbered)")
            }
            [] => unsupported("the file is empty"),
            _ => unsupported("not a JPEG, PNG, GIF, WebP or TIFF image"),
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
            Self::Gif | Self::Tiff if has_alpha => OutputFormat::Png,
            Self::Gif | Self::Tiff => OutputFormat::Jpeg,
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
}

impl OutputFormat {
    /// All formats, in the order the docs list them.
    pub const ALL: [Self; 4] = [Self::Jpeg, Self::Png, Self::Webp, Self::Avif];

    /// Parse the `f` parameter's value (`jpg` is an alias of `jpeg`).
    pub fn from_param(value: &str) -> Option<Self> {
        match value {
            "jpeg" | "jpg" => Some(Self::Jpeg),
            "png" => Some(Self::Png),
            "webp" => Some(Self::Webp),
            "avif" => Some(Self::Avif),
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
        }
    }

    /// The `Content-Type` of the encoded output.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Avif => "image/avif",
        }
    }

    /// Quality used when `q` is absent: sharp's and imgproxy's 80 for JPEG
    /// and WebP; AVIF's scale is steeper, 50 looks like JPEG 80 (sharp: 50).
    /// PNG is lossless, its quality is ignored.
    pub fn default_quality(self) -> u8 {
        match self {
            Self::Jpeg | Self::Webp => 80,
            Self::Avif => 50,
            Self::Png => 100,
        }
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
        let heic = InputFormat::sniff(b"\0\0\0\x18ftypheic").unwrap_err().to_string();
        assert!(heic.contains("HEIC"), "{heic}");
        let avif = InputFormat::sniff(b"\0\0\0\x18ftypavif").unwrap_err().to_string();
        assert!(avif.contains("AVIF"), "{avif}");
    }

    #[test]
    fn default_output_keeps_what_it_can_encode() {
        assert_eq!(InputFormat::Webp.default_output(true), OutputFormat::Webp);
        assert_eq!(InputFormat::Gif.default_output(true), OutputFormat::Png);
        assert_eq!(InputFormat::Gif.default_output(false), OutputFormat::Jpeg);
        assert_eq!(InputFormat::Tiff.default_output(false), OutputFormat::Jpeg);
    }
}
