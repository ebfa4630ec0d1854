use super::*;

/// The vectors include signed-URL fields, so they go through `parse_signed`.
fn parse(q: &str) -> Result<Params, CoreError> {
    Params::parse_signed(q, &Limits::default()).map(|(params, _)| params)
}

/// A query without its `s` and `exp` pairs (which never reach the canonical form).
fn unsigned(q: &str) -> String {
    let kept = q.split('&').filter(|p| !(p.starts_with("s=") || p.starts_with("exp=")));
    kept.collect::<Vec<_>>().join("&")
}

fn vectors() -> Vec<serde_json::Value> {
    let file: serde_json::Value =
        serde_json::from_str(include_str!("../../../../tests/vectors/canonical.json")).unwrap();
    file["cases"].as_array().unwrap().clone()
}

/// The error a query gives, as "`name`" as the message quotes it.
fn rejected(query: &str, name: &serde_json::Value) -> (CoreError, String) {
    (parse(query).expect_err(query), format!("`{}`", name.as_str().unwrap()))
}

/// The shared vectors (also run against the CloudFront Function).
#[test]
fn canonical_test_vectors() {
    let cases = vectors();
    assert!(cases.len() > 60);
    for case in &cases {
        let query = case["query"].as_str().unwrap();
        match (case.get("canonical"), case.get("error")) {
            (Some(canonical), None) => {
                let got = parse(query).map(|p| p.canonical());
                assert_eq!(got.ok().as_deref(), canonical.as_str(), "query {query:?}");
            }
            (None, Some(name)) => {
                let (error, needle) = rejected(query, name);
                assert!(error.to_string().contains(&needle), "{query:?} gave {error}");
            }
            _ => panic!("bad vector {case}"),
        }
    }
}

/// Canonical output is a fixed point: parsing it gives it back unchanged.
/// The same holds for what the CloudFront Function forwards (`edge`): the
/// origin accepts it unchanged, or, for a query the origin rejects, rejects
/// it for the same parameter. Only an unknown name is dropped at the edge,
/// which is then a valid query (CloudFront forwards allowlisted names only).
#[test]
fn canonical_and_edge_outputs_parse_back_unchanged() {
    let unchanged = |q: &str| {
        let got = parse(q).unwrap_or_else(|e| panic!("{q:?} rejected: {e}")).canonical();
        assert_eq!(got, unsigned(q), "not a fixed point");
    };
    let mut edges = 0;
    for case in vectors() {
        let query = case["query"].as_str().unwrap();
        if let Some(canonical) = case["canonical"].as_str() {
            unchanged(canonical);
        }
        let Some(edge) = case["edge"].as_str() else {
            assert!(case.get("error").is_none(), "{query:?}: a rejected query needs `edge`");
            continue;
        };
        edges += 1;
        match case.get("error") {
            None => unchanged(edge),
            Some(name) => match rejected(query, name) {
                (CoreError::UnknownParam { .. }, _) => unchanged(edge),
                (_, needle) => {
                    let error = parse(edge).expect_err(edge).to_string();
                    assert!(error.contains(&needle), "edge {edge:?} of {query:?} gave {error}");
                }
            },
        }
    }
    assert!(edges > 30, "only {edges} edge outputs");
}

#[test]
fn later_f_wins_over_auto_and_back() {
    assert!(parse("F=webp&f=auto").unwrap().is_auto());
    let concrete = parse("F=auto&f=webp").unwrap();
    assert_eq!((concrete.is_auto(), concrete.format()), (false, Some(OutputFormat::Webp)));
}

#[test]
fn output_side_limit_is_configurable() {
    let limits = Limits { max_output_side: 100, ..Limits::default() };
    assert!(Params::parse("w=100", &limits).is_ok());
    assert!(Params::parse("w=101", &limits).unwrap_err().to_string().contains("1 to 100"));
    // dpr never takes a side over the limit.
    assert_eq!(Params::parse("w=80&dpr=2", &limits).unwrap().width(), Some(100));
}

#[test]
fn passthrough_only_without_parameters() {
    assert!(parse("").unwrap().is_passthrough());
    assert!(!parse("q=50").unwrap().is_passthrough());
    assert!(!parse("f=auto").unwrap().is_passthrough());
}

#[test]
fn auto_resolves_to_a_concrete_format() {
    let params = parse("f=auto&w=10").unwrap();
    assert!(params.is_auto());
    let resolved = params.with_format(Some(OutputFormat::Webp));
    assert!(!resolved.is_auto());
    assert_eq!(resolved.canonical(), "f=webp&w=10");
    assert_eq!(params.with_format(None).canonical(), "w=10");
}

#[test]
fn background_colours() {
    assert_eq!(parse("bg=fff").unwrap().background(), Some([255, 255, 255, 255]));
    assert_eq!(parse("bg=%2300000080").unwrap().background(), Some([0, 0, 0, 128]));
}

#[test]
fn signature_fields_are_kept_apart() {
    let (params, fields) = Params::parse_signed("w=10&s=abc-_9&EXP=1767225600", &Limits::default()).unwrap();
    assert_eq!(params.canonical(), "w=10");
    assert_eq!(fields.signature.as_deref(), Some("abc-_9"));
    assert_eq!(fields.expires, Some(1_767_225_600));
    assert!(Params::parse_signed("w=10", &Limits::default()).unwrap().1.is_empty());
    for bad in ["s=", "s=a+b", "s=abc%3D", "exp=", "exp=-1", "exp=1.5", "exp=1234567890123"] {
        assert!(Params::parse_signed(bad, &Limits::default()).is_err(), "{bad} accepted");
    }
}

#[test]
fn plain_parse_refuses_signature_fields() {
    for (query, name) in [("w=10&s=abc", "`s`"), ("exp=5", "`exp`")] {
        let error = parse_plain(query).unwrap_err();
        assert!(
            matches!(error, CoreError::UnknownParam { .. }) && error.to_string().contains(name),
            "{error}"
        );
    }
}

#[test]
fn unknown_name_message_lists_every_accepted_name() {
    let message = parse_plain("width=10").unwrap_err().to_string();
    let (_, listed) = message.split_once("expected one of:").expect(&message);
    let words: Vec<&str> = listed.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    for name in ["w", "h", "f", "q", "fit", "bg", "dpr", "s", "exp"] {
        assert!(words.contains(&name), "{name} missing: {message}");
    }
}

#[test]
fn sizes_can_be_replaced() {
    let params = parse("w=10&h=20&q=30&f=webp").unwrap();
    assert_eq!(params.with_size(Some(16), None, None).canonical(), "f=webp&w=16");
}

fn parse_plain(q: &str) -> Result<Params, CoreError> {
    Params::parse(q, &Limits::default())
}

/// Spellings of `pos` and where it drops out (the shared vectors hold more).
#[test]
fn positions_and_their_canonical_spelling() {
    let cases = [
        ("pos=TOP-Left&w=10&h=10", "h=10&pos=top-left&w=10"),
        ("pos=0.5,0&w=10&h=10", "h=10&pos=top&w=10"),
        ("pos=0.5,0.5&w=10&h=10", "h=10&w=10"),
        ("pos=0.25,0.7500&w=10&h=10", "h=10&pos=0.25,0.75&w=10"),
        ("pos=0.12345,1.0&w=10&h=10", "h=10&pos=0.123,1&w=10"),
        ("pos=0.9996,0.0004&w=10&h=10", "h=10&pos=top-right&w=10"),
        ("pos=0.0005,0.1&w=10&h=10", "h=10&pos=0.001,0.1&w=10"),
        ("pos=top&w=10", "w=10"),
        ("pos=top&w=10&h=10&fit=fill", "fit=fill&h=10&w=10"),
        ("pos=top&w=10&h=10&fit=contain", "fit=contain&h=10&pos=top&w=10"),
        ("pos=attention&w=10&h=10&fit=contain", "fit=contain&h=10&w=10"),
        ("pos=Entropy&w=10&h=10", "h=10&pos=entropy&w=10"),
        ("rect=010,0,1,1", "rect=10,0,1,1"),
    ];
    for (query, canonical) in cases {
        assert_eq!(parse(query).unwrap().canonical(), canonical, "{query}");
    }
    assert!(parse("pos=top").unwrap().is_passthrough());
    assert!(!parse("rect=0,0,1,1").unwrap().is_passthrough());
    let bad =
        ["pos=middle", "pos=1.1,0", "pos=0.5", "pos=.5,.5", "pos=0.,0", "pos=0,0,0", "pos=0.1234567891,0"];
    for query in
        bad.into_iter().chain(["rect=1,2,3", "rect=0,0,0,5", "rect=-1,0,5,5", "rect=1,2,3,4,5", "rect="])
    {
        let error = parse(query).expect_err(query).to_string();
        let name = query.split('=').next().unwrap();
        assert!(error.contains(&format!("`{name}`")), "{query}: {error}");
    }
}
