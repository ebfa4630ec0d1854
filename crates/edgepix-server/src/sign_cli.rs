//! `edgepix sign`: signed URLs from the shipped binary, what a site's
//! backend does when it renders `<img>` tags for a server running with
//! `EDGEPIX_SIGNING_KEYS`. A subcommand rather than an example so that
//! signing a URL needs no build. Any language can do the same: the message
//! format is in `signing.rs`.

use clap::{Arg, ArgAction, Command, value_parser};
use edgepix_core::{Limits, Params};
use edgepix_storage::ObjectKey;

use crate::guard::{encoded, now};

/// `edgepix sign [--ttl SECONDS] URL…`, keys from `--keys` or the variable.
pub fn command() -> Command {
    Command::new("sign")
        .about("Print signed URLs for a server running with EDGEPIX_SIGNING_KEYS")
        .after_help(
            "Each URL is a key with an optional query, in any spelling, e.g. 'rocket.jpg?w=200&f=webp'.\n\
             Prints one '/key?canonical-query[&exp=…]&s=…' per URL (the first key signs).",
        )
        .arg(
            Arg::new("keys")
                .long("keys")
                .env("EDGEPIX_SIGNING_KEYS")
                .hide_env_values(true)
                .required(true)
                .help("One or two comma-separated secrets of at least 16 bytes, as the server's"),
        )
        .arg(
            Arg::new("ttl")
                .long("ttl")
                .value_parser(value_parser!(u64))
                .help("Seconds until the URL expires (adds exp=); without it the URL never expires"),
        )
        .arg(Arg::new("urls").value_name("URL").action(ArgAction::Append).required(true))
}

/// Run `edgepix sign …` (`args` from `sign` on); the lines to print, or why not.
pub fn run<I, T>(args: I) -> Result<Vec<String>, String>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let matches = command().try_get_matches_from(args).map_err(|e| e.to_string())?;
    let keys = matches.get_one::<String>("keys").map(String::as_str).unwrap_or_default();
    let signer = crate::config::signer(keys).map_err(|e| format!("EDGEPIX_SIGNING_KEYS: {e}"))?;
    let expires = matches.get_one::<u64>("ttl").map(|ttl| now() + ttl);
    let urls = matches.get_many::<String>("urls").into_iter().flatten();
    urls.map(|url| {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let key = ObjectKey::parse(path.trim_start_matches('/')).map_err(|e| format!("`{url}`: {e}"))?;
        let params = Params::parse(query, &Limits::default()).map_err(|e| format!("`{url}`: {e}"))?;
        Ok(format!("/{}?{}", encoded(&key), signer.signed_query(&key, &params, expires)))
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Signer;

    const KEY: &str = "0123456789abcdef0123";

    #[test]
    fn signs_the_canonical_url_the_server_verifies() {
        let lines = run(["sign", "--keys", KEY, "--ttl", "60", "/sub dir/rocket.jpg?w=200&f=webp"]).unwrap();
        let [line] = lines.as_slice() else { panic!("{lines:?}") };
        assert!(line.starts_with("/sub%20dir/rocket.jpg?f=webp&w=200&exp="), "{line}");
        // Parsed back as the server parses a request.
        let (params, fields) =
            Params::parse_signed(line.split_once('?').unwrap().1, &Limits::default()).unwrap();
        assert!(fields.expires.is_some_and(|exp| exp >= now() + 59), "{line}");
        let key = ObjectKey::parse("sub dir/rocket.jpg").unwrap();
        let signer = Signer::new(vec![KEY.as_bytes().to_vec()]);
        assert!(signer.verify(&key, &params, &fields, now()).is_ok());
        let other = Signer::new(vec![b"another key of 16+ bytes".to_vec()]);
        assert!(other.verify(&key, &params, &fields, now()).is_err());
    }

    #[test]
    fn short_keys_and_bad_queries_say_what_is_wrong() {
        let short = run(["sign", "--keys", "short", "a.jpg"]).unwrap_err();
        assert!(short.contains("EDGEPIX_SIGNING_KEYS") && short.contains("16 bytes"), "{short}");
        let bad = run(["sign", "--keys", KEY, "a.jpg?w=abc"]).unwrap_err();
        assert!(bad.contains("a.jpg?w=abc") && bad.contains("`w`"), "{bad}");
    }
}
