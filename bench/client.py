"""A small HTTP load client: threads with their own keep-alive ``http.client``
connections, bounded by a request count and a time limit.

Why not locust: one more (large) dependency for what is a loop around
``http.client``; this client also runs the load tests that need a CSRF token and a
session per simulated person. Gunicorn's sync workers close the connection after each
response; ``http.client`` then reconnects for the next request, as a browser would, and
that time is part of the latency.

Figures: latencies in milliseconds, percentiles by linear interpolation between the
closest ranks (numpy's default, Excel's PERCENTILE.INC), throughput as completed
requests per second of wall-clock time over the measured phase.
"""

from __future__ import annotations

import http.client
import itertools
import re
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

CSRF_FIELD_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (0–100) of ``values`` by linear interpolation."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Sample:
    started: float  # time.perf_counter() at the start
    seconds: float
    status: int  # 0: the request failed (connection error, time-out)


@dataclass
class Summary:
    n: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    max_ms: float
    rps: float
    wall_s: float  # from the first request's start to the last one's end
    errors: int  # anything but the expected status
    statuses: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "n": self.n,
            "p50_ms": round(self.p50_ms, 1),
            "p95_ms": round(self.p95_ms, 1),
            "mean_ms": round(self.mean_ms, 1),
            "max_ms": round(self.max_ms, 1),
            "rps": round(self.rps, 1),
            "wall_s": round(self.wall_s, 2),
            "errors": self.errors,
            "statuses": self.statuses,
        }


def summarize(samples: list[Sample], expected: tuple[int, ...] = (200,)) -> Summary:
    """Latency percentiles, mean and throughput of ``samples``."""
    if not samples:
        return Summary(0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0)
    millis = [s.seconds * 1000 for s in samples]
    wall = max(s.started + s.seconds for s in samples) - min(s.started for s in samples)
    statuses = Counter(str(s.status) for s in samples)
    return Summary(
        n=len(samples),
        p50_ms=percentile(millis, 50),
        p95_ms=percentile(millis, 95),
        mean_ms=sum(millis) / len(millis),
        max_ms=max(millis),
        rps=len(samples) / wall if wall > 0 else 0.0,
        wall_s=wall,
        errors=sum(1 for s in samples if s.status not in expected),
        statuses=dict(sorted(statuses.items())),
    )


def throughput_ratio(rps: float, ceiling_rps: float) -> float:
    """A page's throughput as a share of the trivial view's (0 when there is no ceiling)."""
    return rps / ceiling_rps if ceiling_rps > 0 else 0.0


class Browser:
    """One simulated person: a connection, a cookie jar, GET and form POST."""

    def __init__(self, host: str, port: int, cookies: dict[str, str] | None = None, timeout=60):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = dict(cookies or {})
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _headers(self) -> dict[str, str]:
        headers = {"Host": f"{self.host}:{self.port}", "Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        headers = self._headers()
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin  # what a browser sends; CSRF checks it
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed a kept-alive connection between two requests.
                self.connection.close()
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, content

    def get(self, path: str) -> tuple[int, bytes]:
        return self.request("GET", path)

    def csrf_token(self, path: str) -> str:
        """Opens a page with a form, as the person would, and returns its CSRF token."""
        status, content = self.get(path)
        match = CSRF_FIELD_RE.search(content.decode("utf-8", "replace"))
        if status != 200 or not match:
            raise RuntimeError(f"no CSRF token on {path} (status {status})")
        return match.group(1)

    def post(self, path: str, form: dict, token: str) -> tuple[int, bytes]:
        return self.request("POST", path, {**form, "csrfmiddlewaretoken": token})

    def timed(self, method: str, path: str, form: dict | None = None) -> Sample:
        started = time.perf_counter()
        try:
            status, _content = self.request(method, path, form)
        except (OSError, http.client.HTTPException):
            status = 0
            self.connection.close()
        return Sample(started, time.perf_counter() - started, status)

    def close(self) -> None:
        self.connection.close()


def hammer(
    host: str,
    port: int,
    path: str,
    *,
    cookie_sets: list[dict[str, str]],
    requests: int,
    concurrency: int,
    time_limit: float,
    warmup: int = 0,
) -> list[Sample]:
    """GETs ``path`` ``requests`` times (or until ``time_limit`` seconds have passed)
    from ``concurrency`` threads, each with its own connection and its own cookies
    (``cookie_sets[i % len(cookie_sets)]``); ``warmup`` requests first, not recorded."""
    cookie_sets = cookie_sets or [{}]
    browsers = [Browser(host, port, cookie_sets[i % len(cookie_sets)]) for i in range(concurrency)]

    def run(count: int, deadline: float, record: bool) -> list[Sample]:
        counter = itertools.count()
        lock = threading.Lock()
        samples: list[Sample] = []

        def worker(browser: Browser) -> None:
            while time.monotonic() < deadline:
                with lock:
                    if next(counter) >= count:
                        return
                sample = browser.timed("GET", path)
                if record:
                    with lock:
                        samples.append(sample)

        threads = [threading.Thread(target=worker, args=(b,)) for b in browsers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return samples

    try:
        if warmup:
            run(warmup, time.monotonic() + time_limit, record=False)
        return run(requests, time.monotonic() + time_limit, record=True)
    finally:
        for browser in browsers:
            browser.close()
