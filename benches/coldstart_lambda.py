#!/usr/bin/env python3
"""Cold start of the Lambda binary: process start to its first response.

A loopback Lambda Runtime API (the three routes a function uses) hands the
freshly started binary one Function URL event (the test fixture, with the
path and query given) and times, from spawn, when the response is posted.
Each run starts a new process, as a cold Lambda sandbox does; the sandbox's
own start and the package download are not included, and neither is an S3
fetch (the source is a local folder).

    cargo build --release -p edgepix-lambda --features edgepix-server/simd
    python3 benches/coldstart_lambda.py target/release/edgepix-lambda ../shared/corpus \\
        /photo-2mp-1920x1080.jpg 'w=400&f=webp' [runs]

Prints the median and range in ms, and the response's status code.
"""
import json, os, statistics, subprocess, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "crates", "edgepix-lambda", "tests", "fixtures", "function-url-event.json")


def event(path, query):
    with open(FIXTURE) as f:
        e = json.load(f)
    e["rawPath"] = path
    e["requestContext"]["http"]["path"] = path
    e["rawQueryString"] = query
    e["queryStringParameters"] = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
    e["requestContext"]["requestId"] = "cold"
    return json.dumps(e).encode()


def run_once(binary, source, body):
    done, result = threading.Event(), {}

    class Api(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # invocation/next: one event, then hold the poll
            if result.get("served"):
                done.wait(10)
            result["served"] = True
            self.send_response(200)
            self.send_header("Lambda-Runtime-Aws-Request-Id", "cold")
            self.send_header("Lambda-Runtime-Deadline-Ms", "4102444800000")
            self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:edgepix")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except BrokenPipeError:  # the process was stopped while polling again
                pass

        def do_POST(self):  # invocation/cold/response or /error, init/error
            data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            result["at"] = time.monotonic()
            result["path"], result["body"] = self.path, data
            self.send_response(202)
            self.end_headers()
            done.set()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{server.server_port}", AWS_LAMBDA_FUNCTION_NAME="edgepix",
               AWS_LAMBDA_FUNCTION_MEMORY_SIZE="1769", AWS_LAMBDA_FUNCTION_VERSION="$LATEST", AWS_REGION="us-east-1",
               AWS_LAMBDA_LOG_STREAM_NAME="cold", AWS_LAMBDA_LOG_GROUP_NAME="/aws/lambda/edgepix",
               EDGEPIX_SOURCE=source, RUST_LOG="warn")
    start = time.monotonic()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not done.wait(30):
            raise SystemExit("no response within 30 s")
    finally:
        proc.kill()
        proc.wait()
        server.shutdown()
    if not result["path"].endswith("/response"):
        raise SystemExit(f"{result['path']}: {result['body'][:300]!r}")
    return (result["at"] - start) * 1000, json.loads(result["body"]).get("statusCode")


def main():
    binary, source, path, query = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 7
    body = event(path, query)
    samples = [run_once(binary, source, body) for _ in range(runs)]
    times = [t for t, _ in samples]
    print(f"| `{path}?{query}` | {statistics.median(times):.0f} ms | {min(times):.0f}–{max(times):.0f} ms "
          f"| {sorted({s for _, s in samples})} |")


if __name__ == "__main__":
    main()
