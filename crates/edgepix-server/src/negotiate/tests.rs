use super::*;

/// Agreement with the CloudFront Function (`infra/`).
mod edge_function;

const CHROME: &str = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
const FIREFOX: &str = "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5";
const SAFARI_NO_AVIF: &str = "image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5";
const ON: AutoAvif = AutoAvif { max_pixels: 1_000_000 };
const OFF: AutoAvif = AutoAvif { max_pixels: 0 };

#[test]
fn browsers() {
    use OutputFormat::*;
    let small = Some(300 * 300);
    let cases = [
        (Some(CHROME), ON, small, Some(Avif)),
        (Some(CHROME), OFF, small, Some(Webp)),
        (Some(CHROME), ON, Some(2000 * 2000), Some(Webp)), // box over the AVIF limit
        (Some(CHROME), ON, None, Some(Webp)),              // no size: box unknown
        (Some(FIREFOX), ON, small, Some(Avif)),
        (Some(SAFARI_NO_AVIF), ON, small, Some(Webp)),
        (Some("*/*"), ON, small, None),
        (Some("image/*"), ON, small, None),
        (None, ON, small, None),
        (Some("image/avif;q=0.5,image/webp"), ON, small, Some(Webp)),
        (Some("image/avif;q=0,image/webp;q=0"), ON, small, None),
        (Some("IMAGE/WEBP ; q=0.9"), ON, small, Some(Webp)),
        (Some("image/webp;q=bogus"), ON, small, None),
    ];
    for (accept, avif, pixels, expected) in cases {
        assert_eq!(negotiate(accept, avif, pixels), expected, "{accept:?} {avif:?} {pixels:?}");
    }
}

#[test]
fn qvalues() {
    for (text, q) in
        [("1", 1000), ("1.000", 1000), ("0", 0), ("0.8", 800), ("0.125", 125), ("0.1234", 0), ("2", 0)]
    {
        assert_eq!(parse_q(text), q, "{text}");
    }
}
