//! `pos` and `rect`: where a crop is taken. A side, a corner and a focal
//! point are one thing, a point the crop centres on as far as the image
//! allows, so they share one representation and one canonical spelling:
//! `pos=0.5,0` is `pos=top`, `pos=0.5,0.5` is the default and drops out.

use super::values::{invalid, number};
use crate::CoreError;

/// The compass names and the points they stand for (thousandths).
const NAMES: [(&str, u16, u16); 9] = [
    ("center", 500, 500),
    ("top", 500, 0),
    ("bottom", 500, 1000),
    ("left", 0, 500),
    ("right", 1000, 500),
    ("top-left", 0, 0),
    ("top-right", 1000, 0),
    ("bottom-left", 0, 1000),
    ("bottom-right", 1000, 1000),
];

const POS_EXPECTED: &str = "center, top, bottom, left, right, top-left, top-right, bottom-left, \
    bottom-right, attention, entropy, or a focal point X,Y (each from 0 to 1)";

/// Where `cover` crops and where `contain` places the image in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Position {
    /// A point in thousandths of the image's width and height (of `rect`
    /// when given): the crop centres on it, clamped at the edges; `contain`
    /// splits its padding in the same proportion.
    Point {
        /// 0 (left) to 1000 (right).
        x: u16,
        /// 0 (top) to 1000 (bottom).
        y: u16,
    },
    /// The window where edges, skin tones and saturated colour concentrate.
    Attention,
    /// The window with the most detail (luminance entropy).
    Entropy,
}

impl Default for Position {
    fn default() -> Self {
        Self::CENTER
    }
}

impl Position {
    /// The default: the centre.
    pub const CENTER: Self = Self::Point { x: 500, y: 500 };

    /// The point as fractions of the width and height; the centre for the
    /// content-aware positions (their window is chosen from the pixels).
    pub fn fractions(self) -> (f64, f64) {
        match self {
            Self::Point { x, y } => (f64::from(x) / 1000.0, f64::from(y) / 1000.0),
            Self::Attention | Self::Entropy => (0.5, 0.5),
        }
    }

    /// The canonical spelling: a compass name where one fits, else `X,Y`
    /// with at most three decimals.
    pub(super) fn name(self) -> String {
        match self {
            Self::Attention => "attention".into(),
            Self::Entropy => "entropy".into(),
            Self::Point { x, y } => match NAMES.iter().find(|n| (n.1, n.2) == (x, y)) {
                Some((name, ..)) => (*name).into(),
                None => format!("{},{}", fraction(x), fraction(y)),
            },
        }
    }
}

/// Thousandths as the shortest decimal: 0, 1, 0.5, 0.25, 0.125.
fn fraction(t: u16) -> String {
    match t {
        0 => "0".into(),
        1000 => "1".into(),
        t => format!("0.{t:03}").trim_end_matches('0').into(),
    }
}

/// `pos`: a name (any case) or `X,Y`.
pub(super) fn position(value: &str) -> Result<Position, CoreError> {
    let lower = value.to_ascii_lowercase();
    let named = NAMES.iter().find(|n| n.0 == lower).map(|&(_, x, y)| Position::Point { x, y });
    let point = || {
        let (x, y) = value.split_once(',')?;
        Some(Position::Point { x: thousandths(x)?, y: thousandths(y)? })
    };
    match lower.as_str() {
        "attention" => Ok(Position::Attention),
        "entropy" => Ok(Position::Entropy),
        _ => named.or_else(point).ok_or_else(|| invalid("pos", POS_EXPECTED, value)),
    }
}

/// A fraction from 0 to 1 (`0`, `1`, `0.` and 1 to 9 decimals), rounded
/// half up to thousandths.
fn thousandths(value: &str) -> Option<u16> {
    let (int, frac) = value.split_once('.').unwrap_or((value, "0"));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !matches!(int, "0" | "1") || !(1..=9).contains(&frac.len()) || !digits(frac) {
        return None;
    }
    if int == "1" {
        return frac.bytes().all(|b| b == b'0').then_some(1000);
    }
    let padded = format!("{frac:0<4}");
    let t: u16 = padded[..3].parse().ok()?;
    Some(t + u16::from(padded.as_bytes()[3] >= b'5'))
}

/// A rectangle of the displayed image (`rect=x,y,w,h`), in its pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rect {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width (at least 1).
    pub width: u32,
    /// Height (at least 1).
    pub height: u32,
}

impl Rect {
    /// Whether the rectangle lies within a `width`×`height` image.
    pub fn fits(&self, width: u32, height: u32) -> bool {
        u64::from(self.x) + u64::from(self.width) <= u64::from(width)
            && u64::from(self.y) + u64::from(self.height) <= u64::from(height)
    }
}

impl std::fmt::Display for Rect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{},{},{},{}", self.x, self.y, self.width, self.height)
    }
}

/// `rect`: four integers; the bounds are checked once the image is probed.
pub(super) fn rect(value: &str) -> Result<Rect, CoreError> {
    let bad = || invalid("rect", "x,y,w,h: four integers, w and h at least 1", value);
    let parts: Vec<Option<u32>> = value.split(',').map(number).collect();
    match parts[..] {
        [Some(x), Some(y), Some(width @ 1..), Some(height @ 1..)] => Ok(Rect { x, y, width, height }),
        _ => Err(bad()),
    }
}
