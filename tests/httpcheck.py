"""Shared helper for the Python suites in tests/: one GET, never raising on
an HTTP error status."""

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
