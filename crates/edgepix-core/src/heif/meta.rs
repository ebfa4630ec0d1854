//! The `meta` box of a HEIF file: items (`iinf`), where their data is
//! (`iloc`, `idat`), how they refer to each other (`iref`) and their
//! properties (`iprp`: `ipco` + `ipma`). Counts are bounded by the bytes that
//! hold them, so a hostile count costs at most a failed read.

use super::boxes::{Reader, bad, children};
use super::property::{self, Property};
use crate::CoreError;

/// One stretch of an item's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Extent {
    pub offset: u64,
    pub length: u64,
}

/// An item: a coded image, a grid, EXIF, …
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Item {
    pub id: u32,
    pub kind: [u8; 4],
    /// 0: offsets into the file; 1: into `idat`.
    pub construction: u8,
    pub extents: Vec<Extent>,
    /// Indexes into [`Meta::properties`], in association order.
    pub properties: Vec<usize>,
}

/// A typed reference between items (`dimg`, `auxl`, `prem`, `thmb`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reference {
    pub kind: [u8; 4],
    pub from: u32,
    pub to: Vec<u32>,
}

/// What the `meta` box holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Meta<'a> {
    pub primary: u32,
    pub items: Vec<Item>,
    pub references: Vec<Reference>,
    pub properties: Vec<Property<'a>>,
    pub idat: Option<&'a [u8]>,
}

pub(super) fn parse(body: &[u8]) -> Result<Meta<'_>, CoreError> {
    let mut r = Reader::new(body);
    r.full()?;
    let mut meta = Meta::default();
    let (mut locations, mut associations) = (Vec::new(), Vec::new());
    for child in children(r.rest()) {
        let (kind, body) = child?;
        match &kind {
            b"pitm" => meta.primary = primary(body)?,
            b"iinf" => meta.items = infos(body)?,
            b"iloc" => locations = locations_of(body)?,
            b"iref" => meta.references = references(body)?,
            b"idat" => meta.idat = Some(body),
            b"iprp" => (meta.properties, associations) = item_properties(body)?,
            _ => {}
        }
    }
    for item in &mut meta.items {
        if let Some((construction, extents)) = locations.iter().find(|l| l.0 == item.id).map(|l| (l.1, &l.2))
        {
            item.construction = construction;
            item.extents.clone_from(extents);
        }
        if let Some((_, indexes)) = associations.iter().find(|a| a.0 == item.id) {
            item.properties.clone_from(indexes);
        }
    }
    Ok(meta)
}

fn primary(body: &[u8]) -> Result<u32, CoreError> {
    let mut r = Reader::new(body);
    let (version, _) = r.full()?;
    r.item_id(version > 0)
}

fn infos(body: &[u8]) -> Result<Vec<Item>, CoreError> {
    let mut r = Reader::new(body);
    let (version, _) = r.full()?;
    let count = if version == 0 { u32::from(r.u16()?) } else { r.u32()? };
    let mut items = Vec::new();
    for child in children(r.rest()).take(count as usize) {
        let (kind, body) = child?;
        if &kind != b"infe" {
            continue;
        }
        let mut e = Reader::new(body);
        let (version, _) = e.full()?;
        if version < 2 {
            continue; // pre-HEIF item infos carry no item type
        }
        let id = e.item_id(version > 2)?;
        e.u16()?; // protection index
        let kind: [u8; 4] = e.take(4)?.try_into().unwrap_or_default();
        items.push(Item { id, kind, ..Item::default() });
    }
    Ok(items)
}

type Location = (u32, u8, Vec<Extent>);

fn locations_of(body: &[u8]) -> Result<Vec<Location>, CoreError> {
    let mut r = Reader::new(body);
    let (version, _) = r.full()?;
    if version > 2 {
        return Err(bad("iloc version"));
    }
    let sizes = r.u8()?;
    let (offset_size, length_size) = (sizes >> 4, sizes & 15);
    let sizes = r.u8()?;
    let (base_size, index_size) = (sizes >> 4, if version > 0 { sizes & 15 } else { 0 });
    let count = if version < 2 { u32::from(r.u16()?) } else { r.u32()? };
    let mut locations = Vec::new();
    for _ in 0..count {
        let id = r.item_id(version == 2)?;
        let construction = if version > 0 { (r.u16()? & 15) as u8 } else { 0 };
        r.u16()?; // data reference index: always this file here
        let base = r.sized(base_size)?;
        let extents = (0..r.u16()?)
            .map(|_| {
                r.sized(index_size)?;
                let offset = base.checked_add(r.sized(offset_size)?).ok_or_else(|| bad("iloc offset"))?;
                Ok(Extent { offset, length: r.sized(length_size)? })
            })
            .collect::<Result<Vec<_>, CoreError>>()?;
        locations.push((id, construction, extents));
    }
    Ok(locations)
}

fn references(body: &[u8]) -> Result<Vec<Reference>, CoreError> {
    let mut r = Reader::new(body);
    let (version, _) = r.full()?;
    let mut references = Vec::new();
    for child in children(r.rest()) {
        let (kind, body) = child?;
        let mut e = Reader::new(body);
        let from = e.item_id(version > 0)?;
        let to = (0..e.u16()?).map(|_| e.item_id(version > 0)).collect::<Result<_, _>>()?;
        references.push(Reference { kind, from, to });
    }
    Ok(references)
}

type Association = (u32, Vec<usize>);

fn item_properties(body: &[u8]) -> Result<(Vec<Property<'_>>, Vec<Association>), CoreError> {
    let (mut properties, mut associations) = (Vec::new(), Vec::new());
    for child in children(body) {
        let (kind, body) = child?;
        match &kind {
            b"ipco" => {
                properties = children(body)
                    .map(|c| c.and_then(|(k, b)| property::parse(k, b)))
                    .collect::<Result<_, _>>()?
            }
            b"ipma" => associations.extend(associations_of(body)?),
            _ => {}
        }
    }
    Ok((properties, associations))
}

fn associations_of(body: &[u8]) -> Result<Vec<Association>, CoreError> {
    let mut r = Reader::new(body);
    let (version, flags) = r.full()?;
    let count = r.u32()?;
    let mut associations = Vec::new();
    for _ in 0..count {
        let id = r.item_id(version > 0)?;
        let indexes = (0..r.u8()?)
            .map(|_| {
                let index =
                    if flags & 1 == 1 { usize::from(r.u16()? & 0x7FFF) } else { usize::from(r.u8()? & 0x7F) };
                // 1-based; 0 means "no property".
                Ok(index.checked_sub(1))
            })
            .collect::<Result<Vec<_>, CoreError>>()?;
        associations.push((id, indexes.into_iter().flatten().collect()));
    }
    Ok(associations)
}
