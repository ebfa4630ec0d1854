//! The command line built from the declarations in `vars`, and the reader
//! that turns its values into typed settings, collecting every problem
//! instead of stopping at the first.

use clap::{Arg, ArgMatches, Command};

use super::vars::{self, DefaultValue, Spec, Var};
use super::{ConfigError, Deployment};

/// `edgepix [--flag=value …]`, every flag also read from its variable.
pub(crate) fn command() -> Command {
    let args = vars::ALL.iter().map(|spec| {
        let arg = Arg::new(spec.flag()).long(spec.flag()).env(spec.name).help(spec.help);
        let arg = arg.hide_env_values(spec.secret);
        match spec.default {
            DefaultValue::Fixed(text) => arg.default_value(text),
            // Applied by `Reader`, which knows the deployment.
            DefaultValue::PerDeployment { .. } => arg,
        }
    });
    Command::new("edgepix")
        .version(env!("CARGO_PKG_VERSION"))
        .about("On-demand image resizing server")
        .after_help("To sign URLs for a server with EDGEPIX_SIGNING_KEYS: edgepix sign --help")
        .args(args)
}

/// Reads typed values from parsed arguments, noting every problem.
pub(crate) struct Reader<'a> {
    matches: &'a ArgMatches,
    deployment: Deployment,
    problems: Vec<String>,
    /// The variables read so far (a test checks that it is all of them).
    pub(crate) read: Vec<&'static str>,
}

impl<'a> Reader<'a> {
    pub fn new(matches: &'a ArgMatches, deployment: Deployment) -> Self {
        Self { matches, deployment, problems: Vec::new(), read: Vec::new() }
    }

    /// The variable's value, or `None` after noting why it is invalid, under
    /// both of its names (the variable and the flag), since either may be
    /// the one the user set.
    pub fn read<T>(&mut self, var: &Var<T>) -> Option<T> {
        let text = self.text(&var.spec);
        let name = format!("{} (--{})", var.spec.name, var.spec.flag());
        self.check(&name, (var.parse)(&text))
    }

    /// Note `result`'s problem, if any, under `name`.
    pub fn check<T>(&mut self, name: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|e| self.problems.push(format!("{name}: {e}"))).ok()
    }

    fn text(&mut self, spec: &Spec) -> String {
        self.read.push(spec.name);
        match self.matches.try_get_one::<String>(&spec.flag()) {
            Ok(Some(text)) => text.clone(),
            _ => spec.default.get(self.deployment).to_owned(),
        }
    }

    /// `value`, if every variable read was valid; else all the problems.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, ConfigError> {
        match value {
            Some(value) if self.problems.is_empty() => Ok(value),
            _ if self.problems.is_empty() => Err(ConfigError(vec!["a setting was not read".into()])),
            _ => Err(ConfigError(self.problems)),
        }
    }
}
