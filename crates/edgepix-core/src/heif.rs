//! The HEIF container (ISO/IEC 23008-12) that AVIF and HEIC share, read in
//! safe Rust: which item is the primary image, its size (`ispe`), clean
//! aperture (`clap`), rotation and mirroring (`irot`, `imir`), colour
//! (`colr`), alpha (an `auxl` auxiliary image), grid tiles (`dimg`) and where
//! each item's coded data lies. The probe reads the size from here, so the
//! pixel limit is checked before any decoder allocates; the decoders take
//! the coded data from here.
//!
//! It leaves out image sequences (`moov` tracks: an animated AVIF is read
//! by its primary still image, which libavif and browsers also write),
//! thumbnails, depth maps and gain maps (the primary image is what is shown).

mod boxes;
mod meta;
mod property;

use std::borrow::Cow;

use image::metadata::Orientation;

pub(crate) use property::{Cicp, Colour};

use self::boxes::{Reader, bad, find};
use self::meta::{Item, Meta};
use self::property::Property;
use crate::CoreError;

/// The coding of an image item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Codec {
    Av1,
    Hevc,
}

/// A grid of coded tiles (`grid` item), row after row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Grid {
    pub columns: u32,
    pub rows: u32,
    pub width: u32,
    pub height: u32,
    pub tiles: Vec<u32>,
}

/// One image of the file (the primary one, or its alpha), as it is to be shown.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Image<'a> {
    pub id: u32,
    pub codec: Codec,
    pub grid: Option<Grid>,
    /// The coded size (`ispe`, or the grid's output size).
    pub size: (u32, u32),
    /// The clean aperture as (x, y, width, height), if there is a valid one.
    pub crop: Option<(u32, u32, u32, u32)>,
    pub orientation: Orientation,
    pub colour: Option<Colour<'a>>,
    /// The alpha auxiliary image's item ID.
    pub alpha: Option<u32>,
    /// The colour is premultiplied by the alpha (`prem` reference).
    pub premultiplied: bool,
}

impl Image<'_> {
    /// The size before orientation: the clean aperture, else the coded size.
    pub fn stored_size(&self) -> (u32, u32) {
        self.crop.map_or(self.size, |(_, _, w, h)| (w, h))
    }
}

/// A parsed container over the file's bytes.
#[derive(Debug)]
pub(crate) struct Heif<'a> {
    bytes: &'a [u8],
    meta: Meta<'a>,
}

const ALPHA_URNS: [&str; 2] = ["urn:mpeg:mpegB:cicp:systems:auxiliary:alpha", "urn:mpeg:hevc:2015:auxid:1"];

impl<'a> Heif<'a> {
    pub fn parse(bytes: &'a [u8]) -> Result<Self, CoreError> {
        let body = find(bytes, b"meta")?
            .ok_or_else(|| bad("no meta box (an image sequence without a still image?)"))?;
        Ok(Self { bytes, meta: meta::parse(body)? })
    }

    /// The primary image.
    pub fn primary(&self) -> Result<Image<'a>, CoreError> {
        self.image(self.meta.primary)
    }

    /// An image item by ID.
    pub fn image(&self, id: u32) -> Result<Image<'a>, CoreError> {
        let item = self.item(id)?;
        let grid = (&item.kind == b"grid").then(|| self.grid(item)).transpose()?;
        let first = grid.as_ref().map_or(Ok(item), |g| self.item(g.tiles[0]))?;
        let codec = match &first.kind {
            b"av01" => Codec::Av1,
            b"hvc1" => Codec::Hevc,
            other => {
                return Err(CoreError::UnsupportedInput(format!("HEIF image coded as `{}`", name(other))));
            }
        };
        let props = || item.properties.iter().filter_map(|&i| self.meta.properties.get(i));
        let size = match (
            &grid,
            props().find_map(|p| if let Property::Size(w, h) = p { Some((*w, *h)) } else { None }),
        ) {
            (Some(g), _) => (g.width, g.height),
            (None, Some(size)) => size,
            (None, None) => return Err(bad("image without ispe")),
        };
        let crop =
            props().find_map(|p| if let Property::Clap(c) = p { c.rect(size.0, size.1) } else { None });
        let turns = props().find_map(|p| if let Property::Rotation(t) = p { Some(*t) } else { None });
        let mirror = props().find_map(|p| if let Property::Mirror(m) = p { Some(*m) } else { None });
        let colour = props().find_map(|p| if let Property::Colour(c) = p { Some(*c) } else { None });
        Ok(Image {
            id,
            codec,
            grid,
            size,
            crop,
            orientation: orientation(turns.unwrap_or(0), mirror),
            colour,
            alpha: self.alpha_of(id),
            premultiplied: self
                .references(b"prem")
                .any(|(from, to)| to.contains(&id) && Some(from) == self.alpha_of(id)),
        })
    }

    /// An item's coded data: its extents, joined if there are several.
    pub fn data(&self, id: u32) -> Result<Cow<'a, [u8]>, CoreError> {
        let item = self.item(id)?;
        let source = match item.construction {
            0 => self.bytes,
            1 => self.meta.idat.ok_or_else(|| bad("idat missing"))?,
            _ => return Err(CoreError::UnsupportedInput("HEIF item data built from other items".into())),
        };
        let slice = |e: &meta::Extent| {
            let start = usize::try_from(e.offset).ok()?;
            // Length 0: to the end of the source.
            let end = if e.length == 0 {
                source.len()
            } else {
                start.checked_add(usize::try_from(e.length).ok()?)?
            };
            source.get(start..end)
        };
        match &item.extents[..] {
            [] => Err(bad("item without data")),
            [one] => slice(one).map(Cow::Borrowed).ok_or_else(|| bad("item data past the end of the file")),
            many => many
                .iter()
                .try_fold(Vec::new(), |mut all, e| {
                    all.extend_from_slice(slice(e)?);
                    Some(all)
                })
                .map(Cow::Owned)
                .ok_or_else(|| bad("item data past the end of the file")),
        }
    }

    /// The codec configuration (`av1C`, `hvcC`) of an image item or its first tile.
    pub fn config(&self, id: u32) -> Option<&'a [u8]> {
        let item = self.item(id).ok()?;
        item.properties.iter().find_map(|&i| match self.meta.properties.get(i) {
            Some(Property::Config(_, body)) => Some(*body),
            _ => None,
        })
    }

    fn item(&self, id: u32) -> Result<&Item, CoreError> {
        self.meta.items.iter().find(|i| i.id == id).ok_or_else(|| bad("reference to a missing item"))
    }

    fn references(&self, kind: &'static [u8; 4]) -> impl Iterator<Item = (u32, &[u32])> {
        self.meta.references.iter().filter(move |r| &r.kind == kind).map(|r| (r.from, &r.to[..]))
    }

    fn alpha_of(&self, id: u32) -> Option<u32> {
        self.references(b"auxl").filter(|(_, to)| to.contains(&id)).map(|(from, _)| from).find(|&from| {
            self.item(from).is_ok_and(|item| {
                item.properties.iter().any(|&i| {
                    matches!(self.meta.properties.get(i), Some(Property::Auxiliary(urn)) if ALPHA_URNS.contains(&urn.as_str()))
                })
            })
        })
    }

    fn grid(&self, item: &Item) -> Result<Grid, CoreError> {
        let data = self.data(item.id)?;
        let mut r = Reader::new(&data);
        let (_version, flags) = (r.u8()?, r.u8()?);
        let (rows, columns) = (u32::from(r.u8()?) + 1, u32::from(r.u8()?) + 1);
        let wide = flags & 1 == 1;
        let (width, height) =
            if wide { (r.u32()?, r.u32()?) } else { (u32::from(r.u16()?), u32::from(r.u16()?)) };
        let tiles: Vec<u32> = self
            .references(b"dimg")
            .find(|(from, _)| *from == item.id)
            .map(|(_, to)| to.to_vec())
            .unwrap_or_default();
        if tiles.len() != (rows * columns) as usize || width == 0 || height == 0 {
            return Err(bad("grid tiles do not match its rows and columns"));
        }
        Ok(Grid { columns, rows, width, height, tiles })
    }
}

/// `irot` (anticlockwise quarter turns) then `imir` as one EXIF-style
/// orientation: a clockwise rotation, then a left-right flip. Mirroring top
/// and bottom is a half turn more and a left-right flip.
pub(crate) fn orientation(anticlockwise: u8, mirror: Option<u8>) -> Orientation {
    use Orientation::*;
    let clockwise = (4 - anticlockwise % 4) % 4;
    let (turns, flip) = match mirror {
        None => (clockwise, false),
        Some(0) => ((clockwise + 2) % 4, true),
        Some(_) => (clockwise, true),
    };
    match (turns, flip) {
        (0, false) => NoTransforms,
        (1, false) => Rotate90,
        (2, false) => Rotate180,
        (3, false) => Rotate270,
        (0, true) => FlipHorizontal,
        (1, true) => Rotate90FlipH,
        (2, true) => FlipVertical,
        _ => Rotate270FlipH,
    }
}

fn name(kind: &[u8; 4]) -> String {
    kind.iter().map(|&b| if b.is_ascii_graphic() { b as char } else { '?' }).collect()
}

#[cfg(test)]
mod tests;
