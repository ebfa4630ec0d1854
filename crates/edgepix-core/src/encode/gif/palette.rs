//! A GIF palette: the exact colours when a frame has at most 255 of them
//! (flat graphics, stickers), else NeuQuant's 255 (`color_quant`, MIT;
//! libimagequant, which sharp uses, is GPL) at its best setting, speed 1,
//! then refined by k-means rounds (`kmeans.rs`): a palette is made once
//! and reused by the frames it suits, so its cost is paid rarely. Index
//! 255 is kept for transparency and the palette is trained on opaque
//! pixels only, so no opaque colour can land on the transparent entry (the
//! `gif` crate's own `from_rgba` trains on both).
//!
//! No dithering: Floyd–Steinberg (fused with the frame differencing, kept
//! pixels passing their error on) scored 0.4–0.7 higher on the 44-frame
//! GIF at 5–8% more bytes and a worse worst frame; keeping fewer pixels
//! unchanged buys as much for fewer bytes.

use std::collections::HashMap;

use color_quant::NeuQuant;

use super::kmeans::{self, Nearest};

/// NeuQuant's speed, 1 (slowest, best) to 30. Speed 10 then 8 rounds
/// scored 0.4 lower on the 44-frame GIF and saved ~10 ms.
const SPEED: i32 = 1;
/// k-means rounds after NeuQuant: 4 score 85.3 on the 44-frame GIF, 6
/// 85.4, 10 85.5 (each round maps the frame's distinct colours once).
const ROUNDS: usize = 6;
/// The transparent entry.
pub(super) const TRANSPARENT: u8 = 255;

/// Colours and how pixels find theirs.
pub(super) struct Palette {
    rgb: Vec<u8>,
    map: Map,
}

enum Map {
    Exact(HashMap<[u8; 3], u8>),
    /// The nearest entry, remembered per colour: a resized frame has tens
    /// of thousands of colours, but they recur from frame to frame.
    Learned(Nearest, HashMap<[u8; 3], u8>),
}

impl Palette {
    /// A palette for these pixels (RGBA, alpha 0 or 255; only opaque ones count).
    pub(super) fn new(rgba: &[u8]) -> Self {
        let opaque: Vec<u8> = rgba.chunks_exact(4).filter(|p| p[3] != 0).flatten().copied().collect();
        match exact(&opaque) {
            Some(colours) => {
                let mut rgb = vec![0; colours.len() * 3];
                for (colour, &i) in &colours {
                    rgb[usize::from(i) * 3..][..3].copy_from_slice(colour);
                }
                Self { rgb, map: Map::Exact(colours) }
            }
            None => {
                let mut rgb = NeuQuant::new(SPEED, usize::from(TRANSPARENT), &opaque).color_map_rgb();
                let mut colours = HashMap::new();
                for p in opaque.chunks_exact(4) {
                    *colours.entry([p[0], p[1], p[2]]).or_insert(0u32) += 1;
                }
                kmeans::refine(&mut rgb, &colours, ROUNDS);
                let nearest = Nearest::new(&rgb);
                Self { rgb, map: Map::Learned(nearest, HashMap::new()) }
            }
        }
    }

    /// Each pixel's index (transparent ones: [`TRANSPARENT`]) and the mean
    /// squared error per opaque channel; `None` if an exact palette lacks a colour.
    pub(super) fn indices(&mut self, rgba: &[u8]) -> Option<(Vec<u8>, f64)> {
        let (mut error, mut opaque) = (0u64, 0u64);
        let mut indices = Vec::with_capacity(rgba.len() / 4);
        for p in rgba.chunks_exact(4) {
            if p[3] == 0 {
                indices.push(TRANSPARENT);
                continue;
            }
            let i = match &mut self.map {
                Map::Exact(colours) => *colours.get(&[p[0], p[1], p[2]])?,
                Map::Learned(nearest, seen) => {
                    let colour = [p[0], p[1], p[2]];
                    *seen.entry(colour).or_insert_with(|| nearest.find(colour))
                }
            };
            let c = self.colour(i);
            error += (0..3).map(|k| u64::from(p[k].abs_diff(c[k])).pow(2)).sum::<u64>();
            opaque += 1;
            indices.push(i);
        }
        Some((indices, error as f64 / (opaque.max(1) * 3) as f64))
    }

    pub(super) fn colour(&self, i: u8) -> [u8; 3] {
        let at = usize::from(i) * 3;
        self.rgb.get(at..at + 3).map_or([0; 3], |c| [c[0], c[1], c[2]])
    }

    /// The colour table as GIF stores it: 256 entries, the last transparent.
    pub(super) fn table(&self) -> Vec<u8> {
        let mut table = self.rgb.clone();
        table.resize(256 * 3, 0);
        table
    }
}

/// The opaque colours and their indices, if there are at most 255.
fn exact(opaque: &[u8]) -> Option<HashMap<[u8; 3], u8>> {
    let mut colours = HashMap::new();
    for p in opaque.chunks_exact(4) {
        let next = colours.len();
        colours.entry([p[0], p[1], p[2]]).or_insert(next as u8);
        if colours.len() > usize::from(TRANSPARENT) {
            return None;
        }
    }
    Some(colours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_colours_are_kept_exactly_and_transparency_has_its_own_entry() {
        let rgba = [[10, 20, 30, 255], [0, 0, 0, 0], [10, 20, 30, 255], [200, 0, 0, 255]].concat();
        let mut palette = Palette::new(&rgba);
        let (indices, error) = palette.indices(&rgba).unwrap();
        assert_eq!((indices[1], error), (TRANSPARENT, 0.0));
        assert_eq!(indices[0], indices[2]);
        assert_eq!(palette.colour(indices[3]), [200, 0, 0]);
        assert_eq!(palette.table().len(), 768);
        // A colour the exact palette lacks: it does not suit that frame.
        assert!(palette.indices(&[1, 2, 3, 255]).is_none());
    }

    #[test]
    fn many_colours_never_take_the_transparent_index() {
        // 4096 colours in smooth gradients, every ninth pixel transparent.
        let rgba: Vec<u8> = (0..64 * 64u32)
            .flat_map(|i| {
                let (x, y) = (i % 64, i / 64);
                [(x * 4) as u8, (y * 4) as u8, ((x + y) * 2) as u8, if i % 9 == 0 { 0 } else { 255 }]
            })
            .collect();
        let (indices, error) = Palette::new(&rgba).indices(&rgba).unwrap();
        let again = Palette::new(&rgba).indices(&rgba).unwrap().0;
        assert_eq!(indices, again, "deterministic");
        for (p, &i) in rgba.chunks_exact(4).zip(&indices) {
            assert_eq!(p[3] == 0, i == TRANSPARENT);
        }
        assert!(error > 0.0 && error < 100.0, "{error}");
    }
}
