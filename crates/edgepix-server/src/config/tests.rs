use std::collections::BTreeSet;

use super::vars::{ALL, DefaultValue};
use super::*;

fn parse(extra: &[&str]) -> Result<Config, ConfigError> {
    parse_for(extra, Deployment::DevServer)
}

fn parse_for(extra: &[&str], deployment: Deployment) -> Result<Config, ConfigError> {
    Config::parse_from(std::iter::once("edgepix").chain(extra.iter().copied()), deployment)
}

#[test]
fn defaults_are_valid() {
    let config = parse(&[]).unwrap();
    assert_eq!(config.limits, Limits::default());
    assert_eq!(config.cache_bytes, 256 * 1024 * 1024);
    assert_eq!(config.listen.to_string(), "127.0.0.1:3000");
    assert!(config.concurrency >= 1);
    assert_eq!(config.encoder, EncoderSettings::default(), "no metadata, sRGB-encoded resizing");
}

/// `--help` and pages name the default source as the README does; tests run
/// in the crate's folder, where `examples/images` is not, so this also
/// finds the repository's copy from elsewhere.
#[test]
fn the_default_source_is_the_bundled_samples_by_their_short_name() {
    let config = parse(&[]).unwrap();
    let SourceConfig::Folder(path) = &config.source else { panic!("not a folder") };
    assert!(path.join("astronaut.png").is_file(), "{}", path.display());
    assert_eq!(config.source.name(), "examples/images");
    let help = reader::command().render_help().to_string();
    assert!(help.contains("[default: examples/images]"), "{help}");
    assert!(!help.contains(env!("CARGO_MANIFEST_DIR")), "a build path in --help");
    let bucket = parse(&["--source=s3://b/p/"]).unwrap();
    assert_eq!(bucket.source.name(), "s3://b/p");
}

#[test]
fn every_declared_variable_is_read_once() {
    let matches = reader::command().try_get_matches_from(["edgepix"]).unwrap();
    let mut r = Reader::new(&matches, Deployment::DevServer);
    assert!(Config::read(&mut r).is_some());
    let read: Vec<_> = r.read.clone();
    let unique: BTreeSet<_> = read.iter().copied().collect();
    assert_eq!(unique.len(), read.len(), "a variable read twice: {read:?}");
    let declared: BTreeSet<_> = ALL.iter().map(|spec| spec.name).collect();
    assert_eq!(unique, declared, "read and declared differ");
}

#[test]
fn flags_follow_the_variable_names() {
    let flags: Vec<_> = ALL.iter().map(|s| s.flag()).collect();
    assert!(flags.contains(&"max-source-pixels".to_string()) && flags.contains(&"s3-timeout-ms".to_string()));
    let config = parse(&["--max-source-pixels=7", "--s3-timeout-ms=5"]).unwrap();
    assert_eq!(config.limits.max_source_pixels, 7);
    assert!(parse(&["--no-such-flag=1"]).is_err());
}

/// The README's configuration table lists exactly the declared variables,
/// each with its flag and default.
#[test]
fn the_readme_table_matches_the_declarations() {
    let readme = include_str!("../../../../README.md");
    let rows: Vec<Vec<&str>> = readme
        .lines()
        .filter(|l| l.starts_with("| `EDGEPIX_"))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    let documented: BTreeSet<_> = rows.iter().map(|r| r[0].trim_matches('`')).collect();
    let declared: BTreeSet<_> = ALL.iter().map(|spec| spec.name).collect();
    assert_eq!(documented, declared, "README's table and the declarations differ");
    for spec in ALL {
        let row = rows.iter().find(|r| r[0].trim_matches('`') == spec.name).unwrap();
        assert_eq!(row[1], format!("`--{}`", spec.flag()), "{}", spec.name);
        let shown = row[2];
        let quoted = |text: &str| shown.contains(&format!("`{text}`"));
        match spec.default {
            DefaultValue::Fixed("") => assert!(shown.starts_with("empty"), "{}: {shown}", spec.name),
            DefaultValue::Fixed(text) => {
                assert!(shown.starts_with(&format!("`{text}`")), "{}: {shown}", spec.name)
            }
            DefaultValue::PerDeployment { dev_server, lambda } => {
                assert!(quoted(dev_server) && quoted(lambda), "{}: {shown}", spec.name)
            }
        }
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let bad = [
        "--source=/no/such/folder",
        "--listen=nowhere",
        "--cache-bytes=lots",
        "--max-source-pixels=0",
        "--max-output-side=70000",
        "--avif-speed=11",
        "--webp-method=7",
        "--cache-control=bad\nvalue",
        "--auto-avif-max-pixels=lots",
        "--linear-light=sometimes",
        "--keep-metadata=gps",
        "--playground=maybe",
        "--metrics=statsd",
        "--memory-budget=1KiB",
        "--size-policy=snap",
        "--shrink-on-load=eager",
    ];
    let message = parse(&bad).unwrap_err().to_string();
    let names = ["SOURCE", "LISTEN", "CACHE_BYTES", "MAX_SOURCE_PIXELS", "MAX_OUTPUT_SIDE", "AVIF_SPEED"];
    let more = ["CACHE_CONTROL", "WEBP_METHOD", "AUTO_AVIF_MAX_PIXELS", "LINEAR_LIGHT", "KEEP_METADATA"];
    let rest = ["PLAYGROUND", "METRICS", "MEMORY_BUDGET", "SIZE_POLICY", "SHRINK_ON_LOAD"];
    for name in names.into_iter().chain(more).chain(rest) {
        let flag = name.to_ascii_lowercase().replace('_', "-");
        assert!(message.contains(&format!("EDGEPIX_{name} (--{flag}):")), "{name} missing from:\n{message}");
    }
}

#[test]
fn s3_sources() {
    let config = parse(&["--source=s3://my-bucket/photos/", "--s3-path-style=true"]).unwrap();
    let SourceConfig::S3(s3) = config.source else { panic!("not S3") };
    assert_eq!((s3.bucket.as_str(), s3.prefix.as_str(), s3.path_style), ("my-bucket", "photos", true));
    assert_eq!(s3.operation_timeout, std::time::Duration::from_secs(10));
    for bad in ["s3://", "s3:///x", "s3://bad bucket"] {
        let message = parse(&[&format!("--source={bad}")]).unwrap_err().to_string();
        assert!(message.contains("EDGEPIX_SOURCE"), "{bad}: {message}");
    }
    let message = parse(&["--s3-path-style=maybe"]).unwrap_err().to_string();
    assert!(message.contains("EDGEPIX_S3_PATH_STYLE"), "{message}");
}

#[test]
fn strict_decoding_is_the_default_and_can_be_relaxed() {
    assert!(parse(&[]).unwrap().limits.strict_decode);
    assert!(!parse(&["--strict-decode=false"]).unwrap().limits.strict_decode);
    let message = parse(&["--strict-decode=maybe"]).unwrap_err().to_string();
    assert!(message.contains("EDGEPIX_STRICT_DECODE"), "{message}");
}

#[test]
fn metadata_to_keep() {
    use edgepix_core::KeepMetadata;
    let keep = parse::keep_metadata;
    assert_eq!(keep("none"), Ok(KeepMetadata::default()));
    assert_eq!(keep("icc"), Ok(KeepMetadata { icc: true, copyright: false }));
    assert_eq!(keep(" Copyright , icc"), Ok(KeepMetadata { icc: true, copyright: true }));
    for bad in ["", "exif", "none,icc", "icc,,copyright"] {
        assert!(keep(bad).is_err(), "{bad:?} accepted");
    }
    let config = parse(&["--keep-metadata=copyright", "--linear-light=true"]).unwrap();
    assert!(config.encoder.keep_metadata.copyright && config.encoder.linear_light);
}

#[test]
fn defaults_depend_on_the_deployment() {
    let dev = parse_for(&[], Deployment::DevServer).unwrap();
    assert!(dev.playground);
    assert_eq!(dev.metrics, MetricsMode { prometheus: true, emf: false });
    let lambda = parse_for(&[], Deployment::Lambda).unwrap();
    assert!(!lambda.playground);
    assert_eq!(lambda.metrics, MetricsMode { prometheus: false, emf: true });
    let set = parse_for(&["--playground=on", "--metrics=both"], Deployment::Lambda).unwrap();
    assert!(set.playground && set.metrics.prometheus && set.metrics.emf);
    let off = parse(&["--metrics=off", "--playground=false"]).unwrap();
    assert!(!off.playground && off.metrics == MetricsMode::default());
}

#[test]
fn a_bad_value_names_its_variable_and_flag_in_a_sentence() {
    let message = parse(&["--cache-bytes=lots"]).unwrap_err().to_string();
    assert!(
        message.contains(
            "EDGEPIX_CACHE_BYTES (--cache-bytes): expected a size like 1048576 or 256MiB, got `lots`"
        ),
        "{message}"
    );
    let message = parse(&["--memory-budget=1KiB"]).unwrap_err().to_string();
    assert!(message.contains("(--memory-budget): expected a size of at least 16 MiB"), "{message}");
}

#[test]
fn byte_sizes_take_suffixes() {
    assert_eq!(parse::bytes("1048576", 0), Ok(1 << 20));
    assert_eq!(parse::bytes("32MiB", 0), Ok(32 << 20));
    assert!(parse::bytes("-1", 0).is_err());
}

#[test]
fn keys_lists_and_policies() {
    use crate::sizes::SizePolicy;
    assert!(parse::keys("").unwrap().is_none());
    assert!(parse::keys("0123456789abcdef,fedcba9876543210").unwrap().is_some());
    assert!(parse::keys("short").unwrap_err().contains("16 bytes"));
    assert!(parse::keys("0123456789abcdef,0123456789abcdef,0123456789abcdef").is_err());
    assert!(!parse::keys("short-secret").unwrap_err().contains("short-secret"), "keys are never echoed");
    assert_eq!(parse::list(" 640, 320,640", 65_535), Ok(vec![320, 640]));
    assert!(parse::list("320,0", 65_535).is_err() && parse::list("101", 100).is_err());
    assert_eq!(parse::policy("Redirect"), Ok(SizePolicy::Redirect));
    assert!(parse::policy("snap").is_err());
}
