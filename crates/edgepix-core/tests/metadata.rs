//! Metadata on real files: by default nothing of the original's survives
//! (EXIF with GPS, XMP, Photoshop blocks, comments, ICC); with
//! `keep_metadata` only the sRGB tag and Artist/Copyright do.

mod common;

use edgepix_core::{EncoderSettings, KeepMetadata};

/// The metadata containers found in an encoded file, by name.
fn containers(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    match bytes {
        [0xFF, 0xD8, ..] => {
            let mut at = 2;
            while let [0xFF, marker, hi, lo, ..] = bytes[at..] {
                if marker == 0xDA {
                    break;
                }
                let end = at + 2 + usize::from(u16::from_be_bytes([hi, lo]));
                let body = &bytes[at + 4..end];
                match marker {
                    0xE0 if body.starts_with(b"JFIF") => {}
                    0xFE => found.push("COM".into()),
                    0xE0..=0xEF => found.push(format!(
                        "APP{}:{}",
                        marker - 0xE0,
                        String::from_utf8_lossy(&body[..body.len().min(12)])
                    )),
                    _ => {}
                }
                at = end;
            }
        }
        [0x89, b'P', ..] => {
            let mut at = 8;
            while at + 8 <= bytes.len() {
                let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
                let kind = String::from_utf8_lossy(&bytes[at + 4..at + 8]).to_string();
                if !["IHDR", "IDAT", "IEND", "PLTE", "tRNS"].contains(&kind.as_str()) {
                    found.push(kind);
                }
                at += 12 + len;
            }
        }
        [b'R', b'I', b'F', b'F', ..] => {
            let mut at = 12;
            while at + 8 <= bytes.len() {
                let len = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
                let kind = String::from_utf8_lossy(&bytes[at..at + 4]).to_string();
                if ["EXIF", "XMP ", "ICCP"].contains(&kind.as_str()) {
                    found.push(kind);
                }
                at += 8 + len + len % 2;
            }
        }
        // AVIF: metadata would be an `Exif` or `mime` (XMP) item in the meta box.
        _ => {
            let head = &bytes[..bytes.len().min(2048)];
            for item in [&b"Exif"[..], b"mime", b"prof"] {
                if head.windows(4).any(|w| w == item) {
                    found.push(String::from_utf8_lossy(item).into());
                }
            }
        }
    }
    found
}

const RICH: [&str; 4] = [
    "photo-12mp-exif-orientation-6.jpg", // EXIF with GPS
    "photo-adobergb-progressive.jpg",    // EXIF, XMP, Photoshop IRB, ICC
    "grayscale.jpg",                     // EXIF copyright, ICC
    "photo-2mp-1920x1080.jpg",           // a JPEG comment
];

#[test]
#[ignore = "needs the test corpus (EDGEPIX_CORPUS, default ../shared/corpus): cargo test -- --include-ignored"]
fn outputs_carry_no_metadata_by_default() {
    let corpus = common::corpus();
    for file in RICH {
        let bytes = std::fs::read(corpus.join(file)).unwrap();
        for f in ["jpeg", "png", "webp", "avif"] {
            let out = common::render_bytes(&bytes, &format!("w=64&f={f}"), &EncoderSettings::default());
            assert_eq!(containers(&out), Vec::<String>::new(), "{file} as {f}");
        }
    }
}

#[test]
#[ignore = "needs the test corpus (EDGEPIX_CORPUS, default ../shared/corpus): cargo test -- --include-ignored"]
fn kept_metadata_is_the_srgb_tag_and_the_copyright_only() {
    let corpus = common::corpus();
    let keep =
        EncoderSettings { keep_metadata: KeepMetadata { icc: true, copyright: true }, ..Default::default() };
    let grey = std::fs::read(corpus.join("grayscale.jpg")).unwrap();
    let out = common::render_bytes(&grey, "w=64&f=jpeg", &keep);
    assert_eq!(containers(&out), ["APP1:Exif\0\0MM\0*\0\0", "APP2:ICC_PROFILE\0"]);
    let mut decoder = jpeg_decoder::Decoder::new(&out[..]);
    decoder.decode().unwrap();
    let exif = exif::Reader::new().read_raw(decoder.exif_data().unwrap().to_vec()).unwrap();
    let copyright = exif.get_field(exif::Tag::Copyright, exif::In::PRIMARY).unwrap();
    assert!(copyright.display_value().to_string().contains("Marsel Minga"));
    assert_eq!(exif.fields().count(), 1, "only the copyright (this file has no Artist)");
    // GPS and camera EXIF but no copyright, and no ICC: nothing to keep.
    let phone = std::fs::read(corpus.join("photo-12mp-exif-orientation-6.jpg")).unwrap();
    for f in ["jpeg", "png", "webp", "avif"] {
        let out = common::render_bytes(&phone, &format!("w=64&f={f}"), &keep);
        assert_eq!(containers(&out), Vec::<String>::new(), "{f}");
    }
    let png = common::render_bytes(&grey, "w=64&f=png", &keep);
    assert_eq!(containers(&png), ["sRGB", "eXIf"]);
    let webp = common::render_bytes(&grey, "w=64&f=webp", &keep);
    assert_eq!(containers(&webp), ["ICCP", "EXIF"]);
    let avif = common::render_bytes(&grey, "w=64&f=avif", &keep);
    assert_eq!(containers(&avif), ["Exif"]);
}
