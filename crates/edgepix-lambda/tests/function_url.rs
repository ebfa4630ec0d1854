//! The Lambda path for real: the `edgepix-lambda` binary runs against a
//! loopback implementation of the Lambda Runtime API (what the Lambda service
//! and `cargo lambda watch` provide), is handed Function URL events (payload
//! 2.0, from `fixtures/`) and its responses are checked as the Function URL
//! would read them: status, headers, base64 flag and the decoded image.
//! Its stdout (what CloudWatch Logs receives) is captured: every line must be
//! JSON, with one access line per request and CloudWatch EMF metric lines.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::routing::{get, post};
use base64::Engine;
use serde_json::{Value, json};
use tokio::sync::{Mutex, mpsc};

type Events = Arc<Mutex<mpsc::Receiver<Value>>>;

struct Runtime {
    events: mpsc::Sender<Value>,
    responses: mpsc::Receiver<(String, Value)>,
    lambda: Child,
    /// The binary's stdout, line by line.
    stdout: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Drop for Runtime {
    fn drop(&mut self) {
        let _ = self.lambda.kill();
    }
}

/// Start a Runtime API on loopback and the Lambda binary polling it.
async fn start(source: &std::path::Path) -> Runtime {
    let (events_tx, events_rx) = mpsc::channel::<Value>(16);
    let (responses_tx, responses_rx) = mpsc::channel::<(String, Value)>(16);
    let events: Events = Arc::new(Mutex::new(events_rx));
    let next = |State((events, _)): State<(Events, mpsc::Sender<(String, Value)>)>| async move {
        let event = events.lock().await.recv().await.unwrap_or(Value::Null);
        let mut headers = HeaderMap::new();
        let id = event["requestContext"]["requestId"].as_str().unwrap_or("none").to_owned();
        headers.insert("lambda-runtime-aws-request-id", HeaderValue::from_str(&id).unwrap());
        headers.insert("lambda-runtime-deadline-ms", HeaderValue::from_static("4102444800000"));
        headers.insert(
            "lambda-runtime-invoked-function-arn",
            HeaderValue::from_static("arn:aws:lambda:us-east-1:123456789012:function:edgepix"),
        );
        (headers, event.to_string())
    };
    let respond = |kind: &'static str| {
        move |State((_, out)): State<(Events, mpsc::Sender<(String, Value)>)>,
              Path(id): Path<String>,
              body: String| async move {
            let value = serde_json::from_str(&body).unwrap_or(Value::String(body));
            out.send((format!("{kind}:{id}"), value)).await.unwrap();
            axum::http::StatusCode::ACCEPTED
        }
    };
    let api = Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route("/2018-06-01/runtime/invocation/{id}/response", post(respond("response")))
        .route("/2018-06-01/runtime/invocation/{id}/error", post(respond("error")))
        .route(
            "/2018-06-01/runtime/init/error",
            post(
                |State((_, out)): State<(Events, mpsc::Sender<(String, Value)>)>, body: String| async move {
                    let _ = out.send(("init-error".into(), Value::String(body))).await;
                    axum::http::StatusCode::ACCEPTED
                },
            ),
        )
        .with_state((events, responses_tx));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, api).await });

    let mut lambda = Command::new(env!("CARGO_BIN_EXE_edgepix-lambda"))
        .env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "edgepix")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1769")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "test")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/edgepix")
        .env("AWS_REGION", "us-east-1")
        .env("EDGEPIX_SOURCE", source)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (lines, pipe) = (Arc::clone(&stdout), lambda.stdout.take().unwrap());
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
            lines.lock().unwrap().push(line);
        }
    });
    Runtime { events: events_tx, responses: responses_rx, lambda, stdout }
}

fn event(path: &str, query: &str, id: &str) -> Value {
    let mut event: Value = serde_json::from_str(include_str!("fixtures/function-url-event.json")).unwrap();
    event["rawPath"] = json!(path);
    event["requestContext"]["http"]["path"] = json!(path);
    event["rawQueryString"] = json!(query);
    let params: serde_json::Map<String, Value> =
        query.split('&').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.to_owned(), json!(v))).collect();
    event["queryStringParameters"] = Value::Object(params);
    event["requestContext"]["requestId"] = json!(id);
    event
}

async fn invoke(runtime: &mut Runtime, event: Value) -> Value {
    let id = event["requestContext"]["requestId"].as_str().unwrap().to_owned();
    runtime.events.send(event).await.unwrap();
    let (kind, value) =
        tokio::time::timeout(Duration::from_secs(60), runtime.responses.recv()).await.unwrap().unwrap();
    assert_eq!(kind, format!("response:{id}"), "{value}");
    value
}

fn body_bytes(response: &Value) -> Vec<u8> {
    let body = response["body"].as_str().unwrap_or("");
    if response["isBase64Encoded"] == json!(true) {
        base64::engine::general_purpose::STANDARD.decode(body).unwrap()
    } else {
        body.as_bytes().to_vec()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn function_url_events_through_the_lambda_runtime() {
    let dir = tempfile::tempdir().unwrap();
    let photo = image::RgbImage::from_fn(640, 480, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    photo.save(dir.path().join("photo.jpg")).unwrap();
    // Noise does not compress: a 2900-px PNG of it is far over the ~4.4 MB limit.
    let mut seed = 1u32;
    let noise = image::RgbImage::from_fn(2900, 2900, |_, _| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        image::Rgb(seed.to_le_bytes()[..3].try_into().unwrap())
    });
    noise.save(dir.path().join("noise.png")).unwrap();
    let mut runtime = start(dir.path()).await;

    // The fixture as it is: w=300, f=webp.
    let response = invoke(&mut runtime, event("/photo.jpg", "w=300&f=webp", "r1")).await;
    assert_eq!(response["statusCode"], 200, "{response}");
    assert_eq!(response["headers"]["content-type"], "image/webp");
    assert_eq!(response["isBase64Encoded"], true, "images must be base64, never text");
    assert!(response["headers"]["etag"].is_string());
    assert_eq!(response["headers"]["cache-control"], "public, max-age=31536000, immutable");
    let image = image::load_from_memory(&body_bytes(&response)).unwrap();
    assert_eq!((image.width(), image.height()), (300, 225));

    // f=auto with the fixture's (Chrome) Accept header.
    let response = invoke(&mut runtime, event("/photo.jpg", "w=64&f=auto", "r2")).await;
    assert_eq!(response["headers"]["content-type"], "image/avif", "{response}");
    assert_eq!(response["headers"]["vary"], "Accept");
    assert_eq!(&body_bytes(&response)[4..12], b"ftypavif");

    // Errors are JSON text with the same codes as everywhere else.
    let response = invoke(&mut runtime, event("/photo.jpg", "w=abc", "r3")).await;
    assert_eq!(response["statusCode"], 400);
    assert_eq!(response["isBase64Encoded"], false);
    let error: Value = serde_json::from_slice(&body_bytes(&response)).unwrap();
    assert_eq!(error["code"], "invalid_param");
    let response = invoke(&mut runtime, event("/missing.jpg", "w=10", "r4")).await;
    assert_eq!(response["statusCode"], 404);

    // Over the buffered Function URL limit: a clear 422, not a failed invocation.
    let response = invoke(&mut runtime, event("/noise.png", "w=2900&f=png", "r5")).await;
    assert_eq!(response["statusCode"], 422, "{}", response["body"]);
    let error: Value = serde_json::from_slice(&body_bytes(&response)).unwrap();
    assert_eq!(error["code"], "output_too_large");

    // Still serving after all that.
    let response = invoke(&mut runtime, event("/photo.jpg", "w=10", "r6")).await;
    assert_eq!(response["statusCode"], 200);

    // The Lambda's output: JSON lines only, one access line per request
    // (status, key, parameters, cache result, timings) and one EMF line.
    let lines = wait_for_lines(&runtime, 6).await;
    let access: Vec<&Value> = lines.iter().filter(|l| l["message"] == "request").collect();
    let emf: Vec<&Value> = lines.iter().filter(|l| l.get("_aws").is_some()).collect();
    assert_eq!(access.len(), 6, "{lines:#?}");
    assert_eq!(emf.len(), 6, "{lines:#?}");
    let first = access[0];
    assert_eq!((first["status"].as_u64(), first["key"].as_str()), (Some(200), Some("photo.jpg")), "{first}");
    assert_eq!(first["cache"], "MISS");
    assert!(first["params"].as_str().unwrap().contains("w=300"), "{first}");
    assert!(first["decode_ms"].as_f64().is_some() && first["bytes"].as_u64() > Some(0), "{first}");
    assert_eq!(
        (access[2]["status"].as_u64(), access[2]["code"].as_str()),
        (Some(400), Some("invalid_param"))
    );
    assert_eq!(access[4]["code"], "output_too_large");
    let metrics = &emf[0]["_aws"]["CloudWatchMetrics"][0];
    assert_eq!(metrics["Namespace"], "edgepix");
    let names: Vec<&str> =
        metrics["Metrics"].as_array().unwrap().iter().map(|m| m["Name"].as_str().unwrap()).collect();
    for name in names.iter().chain(["Requests", "DecodeMs", "BytesOut"].iter()) {
        assert!(emf[0][name].is_number(), "{name} has no value in {}", emf[0]);
    }
    assert_eq!((emf[0]["Status"].as_str(), emf[3]["Status"].as_str()), (Some("200"), Some("404")));
}

/// Wait until `count` access lines arrived, then return every stdout line,
/// parsed: a line that is not JSON fails the test.
async fn wait_for_lines(runtime: &Runtime, count: usize) -> Vec<Value> {
    for _ in 0..100 {
        let lines = runtime.stdout.lock().unwrap().clone();
        if lines.iter().filter(|l| l.contains(r#""message":"request""#)).count() >= count {
            return lines
                .iter()
                .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
                .collect();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("fewer than {count} access lines: {:#?}", runtime.stdout.lock().unwrap());
}
