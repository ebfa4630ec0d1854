//! AVIF: the container (`heif`) says which item is the primary image, its
//! grid, alpha, clean aperture and colour; rav1d (`edgepix-av1`) decodes
//! each AV1 item; `yuv_rgb` turns the planes into 8-bit R'G'B'(A). The
//! pixel limit is the decoder's frame size limit too, so a coded picture
//! larger than its container says is refused before it is allocated.
//! Rotation and mirroring are left to the orient step (the probe reports
//! them as an orientation); the clean aperture is cut here.

use super::hdr;
use super::yuv_rgb::{self, Coding, Target};
use crate::colour::SourceColour;
use crate::frame::Frame;
use crate::heif::{Codec, Colour, Heif, Image};
use crate::{CoreError, Limits};

pub(super) fn decode(bytes: &[u8], limits: &Limits) -> Result<Frame, CoreError> {
    let heif = Heif::parse(bytes)?;
    let image = heif.primary()?;
    if image.codec != Codec::Av1 {
        return Err(CoreError::UnsupportedInput("an AVIF file whose image is not AV1-coded".into()));
    }
    let (width, height) = image.size;
    let grey = is_grey(&heif, &image);
    let channels = usize::from(!grey) * 2 + 1 + usize::from(image.alpha.is_some());
    let mut pixels = vec![0u8; width as usize * height as usize * channels];
    let mut target =
        Target { pixels: &mut pixels, stride: width as usize * channels, channels, at: (0, 0), size: (0, 0) };
    let colour = paint(&heif, &image, limits, &mut target, Paint::Colour)?;
    if let Some(alpha) = image.alpha {
        let alpha = heif.image(alpha)?;
        if alpha.size != image.size {
            return Err(CoreError::undecodable("AVIF alpha image of another size than the colour image"));
        }
        paint(&heif, &alpha, limits, &mut target, Paint::Alpha(channels - 1))?;
        if image.premultiplied {
            unpremultiply(&mut pixels, channels);
        }
    }
    let decoded = super::interleaved(pixels, width, height, channels)?;
    let decoded = match image.crop {
        Some((x, y, w, h)) => decoded.crop_imm(x, y, w, h),
        None => decoded,
    };
    Ok(Frame::rgb(super::normalise(decoded), colour))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Paint {
    Colour,
    /// Into this channel.
    Alpha(usize),
}

/// An item and where its top-left corner goes in the image.
type Placed = (u32, (usize, usize));

/// The coded pictures of `image` with their places, and the size every one
/// of them must be: the whole image, or a grid's tile (the tiles must cover
/// the grid), as the container declares.
fn layout(heif: &Heif<'_>, image: &Image<'_>) -> Result<(Vec<Placed>, (usize, usize)), CoreError> {
    let (width, height) = (image.size.0 as usize, image.size.1 as usize);
    let Some(grid) = &image.grid else { return Ok((vec![(image.id, (0, 0))], (width, height))) };
    let first = heif.image(grid.tiles[0])?;
    let (tw, th) = (first.size.0 as usize, first.size.1 as usize);
    if tw * (grid.columns as usize) < width || th * (grid.rows as usize) < height {
        return Err(CoreError::undecodable("AVIF grid tiles do not cover the image"));
    }
    let at = |i: usize| ((i % grid.columns as usize) * tw, (i / grid.columns as usize) * th);
    Ok((grid.tiles.iter().enumerate().map(|(i, &id)| (id, at(i))).collect(), (tw, th)))
}

/// Decode `image` (one item or a grid of them) into `target`; returns the
/// colours' space (for colour images).
fn paint(
    heif: &Heif<'_>,
    image: &Image<'_>,
    limits: &Limits,
    target: &mut Target<'_>,
    what: Paint,
) -> Result<SourceColour, CoreError> {
    let (width, height) = (image.size.0 as usize, image.size.1 as usize);
    let (tiles, tile) = layout(heif, image)?;
    let mut colour = SourceColour::Untagged;
    for (id, at) in tiles {
        let data = heif.data(id)?;
        let result = edgepix_av1::decode(&data, limits.max_source_pixels, |picture| {
            if (picture.width, picture.height) != tile || at.0 >= width || at.1 >= height {
                return Err(CoreError::undecodable("AVIF picture not the size its container declares"));
            }
            target.at = at;
            target.size = (width - at.0, height - at.1);
            match what {
                Paint::Alpha(channel) => yuv_rgb::alpha(picture, picture.colour.full_range, channel, target),
                Paint::Colour => {
                    let (coding, space) = colour_of(image, picture.colour);
                    match space {
                        Space::Hdr(transfer) => hdr::convert(picture, coding, transfer, target),
                        Space::Sdr(space) => {
                            yuv_rgb::convert(picture, coding, target);
                            colour = space;
                        }
                    }
                }
            }
            Ok(())
        });
        result.map_err(|e| CoreError::undecodable(format!("AVIF: {e}")))??;
    }
    Ok(colour)
}

enum Space {
    Sdr(SourceColour),
    /// PQ (16) or HLG (18): tone-mapped to sRGB while converting.
    Hdr(u16),
}

/// The matrix and range, and the colour space: the container's `colr`
/// where it has one, else the AV1 sequence header's.
fn colour_of(image: &Image<'_>, sequence: edgepix_av1::SequenceColour) -> (Coding, Space) {
    let from_sequence = crate::heif::Cicp {
        primaries: u16::from(sequence.primaries),
        transfer: u16::from(sequence.transfer),
        matrix: u16::from(sequence.matrix),
        full_range: sequence.full_range,
    };
    let (cicp, icc) = match image.colour {
        Some(Colour::Cicp(cicp)) => (cicp, None),
        Some(Colour::Icc(icc)) => (from_sequence, Some(icc)),
        None => (from_sequence, None),
    };
    let coding = Coding::new(cicp.matrix, cicp.full_range);
    let space = match (icc, cicp.transfer) {
        (Some(icc), _) => Space::Sdr(SourceColour::Icc(icc.to_vec())),
        (None, 16 | 18) => Space::Hdr(cicp.transfer),
        (None, _) => Space::Sdr(crate::colour::from_cicp(cicp.primaries, cicp.transfer)),
    };
    (coding, space)
}

/// Whether the colour image is monochrome, by its (first tile's) `av1C`:
/// the `mono_chrome` bit of its third byte. Without one it is taken as
/// colour, and a grey picture then fills all three channels.
fn is_grey(heif: &Heif<'_>, image: &Image<'_>) -> bool {
    let first = image.grid.as_ref().map_or(image.id, |g| g.tiles[0]);
    heif.config(first).and_then(|c| c.get(2)).is_some_and(|b| b & 0x10 != 0)
}

fn unpremultiply(pixels: &mut [u8], channels: usize) {
    for pixel in pixels.chunks_exact_mut(channels) {
        let (colour, alpha) = pixel.split_at_mut(channels - 1);
        let a = u16::from(alpha[0]);
        if a > 0 && a < 255 {
            colour.iter_mut().for_each(|c| *c = ((u16::from(*c) * 255 + a / 2) / a).min(255) as u8);
        }
    }
}
