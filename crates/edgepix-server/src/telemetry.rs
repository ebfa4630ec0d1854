//! Log set-up shared by both binaries, so the dev server and Lambda log the
//! same events and differ only in shape: human-readable text locally, one
//! JSON object per line on Lambda (what CloudWatch Logs Insights queries).
//! `RUST_LOG` chooses what is logged (default `info`).

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// How log lines look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable, for a terminal.
    Text,
    /// One JSON object per line, event fields at the top level.
    Json,
}

/// Install the process-wide subscriber writing to stdout. Call once, first
/// thing in `main`; a second call is ignored.
pub fn init(format: LogFormat) {
    // Colours only for a person at a terminal, never into a file or pipe.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let _ = tracing::subscriber::set_global_default(build(format, std::io::stdout, ansi));
}

/// The subscriber [`init`] installs, writing to `writer` without colours
/// (tests capture it).
pub fn subscriber<W>(format: LogFormat, writer: W) -> Box<dyn tracing::Subscriber + Send + Sync>
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    build(format, writer, false)
}

fn build<W>(format: LogFormat, writer: W, ansi: bool) -> Box<dyn tracing::Subscriber + Send + Sync>
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).with_ansi(ansi);
    match format {
        LogFormat::Text => Box::new(builder.finish()),
        // Lambda stamps every line itself; spans add nothing a request line lacks.
        LogFormat::Json => {
            Box::new(builder.json().flatten_event(true).with_current_span(false).without_time().finish())
        }
    }
}
