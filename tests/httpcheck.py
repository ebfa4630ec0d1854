"""Shared helpers for the Python suites in tests/: one GET that never raises
on an HTTP error status, a free loopback port, waiting for a server."""

import socket
import time
import urllib.error
import urllib.request


def fetch(url, timeout=120):
    """(status, headers, body, seconds) for a GET of `url`."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.headers, r.read(), time.monotonic() - start
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read(), time.monotonic() - start


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, timeout=30):
    """Return once `url` answers anything (an HTTP error status counts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")
