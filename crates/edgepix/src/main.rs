//! The edgepix dev server: `cargo run --release` serves resized images from a
//! local folder (by default the bundled samples in `examples/images`).
//!
//! Thin on purpose: configuration, logging, bind, serve. What is served is
//! decided in `edgepix-server`, shared with the Lambda binary.

use edgepix_server::telemetry::{self, LogFormat};
use edgepix_server::{AppState, Config, router};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let mut args = std::env::args_os().skip(1);
    if args.next().is_some_and(|first| first == "sign") {
        return sign(std::env::args_os().skip(1));
    }
    telemetry::init(LogFormat::Text);
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("edgepix: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::load()?;
    let state = AppState::from_config(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.listen).await.map_err(|e| config.bind_error(&e))?;
    tracing::info!("{}", config.ready_line(listener.local_addr()?));
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown()).await?;
    Ok(())
}

/// `edgepix sign …`: print signed URLs (see `edgepix sign --help`).
fn sign(args: impl Iterator<Item = std::ffi::OsString>) -> std::process::ExitCode {
    match edgepix_server::sign_cli::run(args) {
        Ok(lines) => {
            lines.iter().for_each(|line| println!("{line}"));
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("edgepix sign: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down");
}
