//! The CloudFront Function (`infra/cloudfront-function.js`) must forward
//! what the origin would make of a request: these tests compute the origin's
//! answer — unknown names dropped (CloudFront forwards only allowlisted
//! names), the query parsed, `f=auto` resolved from `Accept` — and compare it
//! with the function's output, for the shared vectors and for the queries
//! the function's Node test generates.

use edgepix_core::{Limits, Params};
use serde_json::Value;

use crate::negotiate::{AutoAvif, resolve};

/// The defaults the vectors and the function assume.
const AVIF: AutoAvif = AutoAvif { max_pixels: 1_000_000 };
/// Names the origin reads.
const PARAMS: [&str; 10] = ["anim", "bg", "dpr", "f", "fit", "h", "pos", "q", "rect", "w"];
/// Signed-URL names: the edge passes them through for the signing layer.
const SIGNING: [&str; 2] = ["exp", "s"];

fn pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query.split('&').filter(|p| !p.is_empty()).map(|p| p.split_once('=').unwrap_or((p, "")))
}

/// The query without the names in `keep`'s complement, order unchanged.
fn only(query: &str, keep: &[&str]) -> String {
    let kept = pairs(query).filter(|(n, _)| keep.contains(&n.to_ascii_lowercase().as_str()));
    kept.map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("&")
}

/// What the origin makes of a request: its canonical query, resolved.
fn origin(query: &str, accept: Option<&str>) -> Result<String, String> {
    let params = Params::parse(&only(query, &PARAMS), &Limits::default()).map_err(|e| e.to_string())?;
    let params = if params.is_auto() { resolve(&params, accept, AVIF) } else { params };
    Ok(params.canonical())
}

/// Check one forwarded query against the origin's view of the request.
fn check(query: &str, accept: Option<&str>, edge: &str) {
    let forwarded = only(edge, &PARAMS);
    match origin(query, accept) {
        Ok(canonical) => assert_eq!(forwarded, canonical, "query {query:?} accept {accept:?}"),
        Err(error) => assert!(
            Params::parse(&forwarded, &Limits::default()).is_err(),
            "{query:?} is rejected ({error}) but the edge forwards the valid {edge:?}"
        ),
    }
    // s and exp: the last value, of the spelling that sorts last, unchanged.
    for name in SIGNING {
        let mut given: Vec<_> = pairs(query).filter(|(n, _)| n.eq_ignore_ascii_case(name)).collect();
        given.sort_by_key(|(n, _)| *n); // stable: repeats keep their order
        let passed = pairs(edge).find(|(n, _)| *n == name).map(|(_, v)| v);
        assert_eq!(passed, given.last().map(|(_, v)| *v), "{name} in {query:?} -> {edge:?}");
    }
}

fn cases(json: &str) -> Vec<Value> {
    let file: Value = serde_json::from_str(json).unwrap();
    file["cases"].as_array().unwrap().clone()
}

#[test]
fn shared_vectors_resolve_like_the_origin() {
    let cases = cases(include_str!("../../../../../tests/vectors/canonical.json"));
    let mut with_accept = 0;
    for case in &cases {
        let query = case["query"].as_str().unwrap();
        let accept = case["accept"].as_str();
        with_accept += usize::from(accept.is_some());
        let edge = case["edge"].as_str().or(case["canonical"].as_str()).unwrap();
        check(query, accept, edge);
    }
    assert!(with_accept >= 10, "only {with_accept} vectors exercise Accept");
}

/// The 4000 queries `node infra/test/cloudfront-function.test.mjs OUT`
/// generated and ran through the function (CI writes them first, then runs
/// this with `--ignored`).
#[test]
#[ignore = "needs target/cloudfront-function-cases.json from the Node test"]
fn edge_function_generated_cases() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/cloudfront-function-cases.json");
    let json = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let cases = cases(&json);
    assert!(cases.len() >= 1000, "{} cases", cases.len());
    let (mut valid, mut auto) = (0, 0);
    for case in &cases {
        let query = case["query"].as_str().unwrap();
        let accept = case["accept"].as_str();
        check(query, accept, case["edge"].as_str().unwrap());
        valid += usize::from(origin(query, accept).is_ok());
        auto += usize::from(query.to_ascii_lowercase().contains("f=auto"));
    }
    // The generator must reach both outcomes and negotiation, or this proves little.
    assert!(valid > cases.len() / 10 && valid < cases.len() * 9 / 10, "{valid} valid");
    assert!(auto > 100, "{auto} with f=auto");
}
