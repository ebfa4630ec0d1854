//! One GIF frame's palette: the exact colours when a frame has at most 255
//! of them (flat graphics, stickers), else NeuQuant's 255 (`color_quant`,
//! MIT; libimagequant, which sharp uses, is GPL) at speed 10, the crate's
//! "good compromise". Index 255 is kept for transparency and trained on
//! opaque pixels only, so no opaque colour can land on the transparent
//! entry (the `gif` crate's own `from_rgba` trains NeuQuant on both).

use std::collections::HashMap;

use color_quant::NeuQuant;

/// NeuQuant's speed, 1 (slowest, best) to 30.
const SPEED: i32 = 4;
/// The transparent entry.
pub(super) const TRANSPARENT: u8 = 255;

/// `rgba` (alpha 0 or 255) as palette indices, the RGB palette, and whether
/// any pixel is transparent.
pub(super) fn quantise(rgba: &[u8]) -> (Vec<u8>, Vec<u8>, bool) {
    let opaque: Vec<u8> = rgba.chunks_exact(4).filter(|p| p[3] != 0).flatten().copied().collect();
    let transparent = opaque.len() < rgba.len();
    let (indices, mut palette) = match exact(&opaque) {
        Some(colours) => {
            let index = |p: &[u8]| colours.get(&[p[0], p[1], p[2]]).copied().unwrap_or(TRANSPARENT);
            (rgba.chunks_exact(4).map(|p| if p[3] == 0 { TRANSPARENT } else { index(p) }).collect(), {
                let mut palette = vec![0; colours.len() * 3];
                for (colour, &i) in &colours {
                    palette[usize::from(i) * 3..][..3].copy_from_slice(colour);
                }
                palette
            })
        }
        None => {
            let quant = NeuQuant::new(SPEED, usize::from(TRANSPARENT), &opaque);
            let index = |p: &[u8]| if p[3] == 0 { TRANSPARENT } else { quant.index_of(p) as u8 };
            (rgba.chunks_exact(4).map(index).collect(), quant.color_map_rgb())
        }
    };
    if transparent {
        palette.resize(256 * 3, 0);
    } else if palette.is_empty() {
        palette.extend_from_slice(&[0, 0, 0]);
    }
    (indices, palette, transparent)
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
        let (indices, palette, transparent) = quantise(&rgba);
        assert!(transparent);
        assert_eq!(indices[1], TRANSPARENT);
        assert_eq!(indices[0], indices[2]);
        assert_ne!(indices[0], indices[3]);
        assert_eq!(&palette[usize::from(indices[3]) * 3..][..3], &[200, 0, 0]);
        assert_eq!(palette.len(), 768);
    }

    #[test]
    fn many_colours_never_take_the_transparent_index() {
        let rgba: Vec<u8> = (0..64 * 64u32)
            .flat_map(|i| {
                [(i * 7) as u8, (i / 3) as u8, (i * 13 / 5) as u8, if i % 9 == 0 { 0 } else { 255 }]
            })
            .collect();
        let (indices, palette, transparent) = quantise(&rgba);
        assert!(transparent);
        for (p, &i) in rgba.chunks_exact(4).zip(&indices) {
            assert_eq!(p[3] == 0, i == TRANSPARENT);
        }
        assert_eq!(palette.len(), 768);
    }
}
