"""`make bench`: seed a city-scale year into PostgreSQL, serve the portal as production
does, and measure every key page side by side with the fastest page the stack can serve.

For each scale (default: 1/100, then the full city):

1. drop and create the database ``wijkhubs_bench`` (``wijkhubs_bench_0_01`` for scale
   0.01, ...; never any other database), migrate, ``manage.py seed_bench --scale``;
2. collect the static files and start gunicorn as docker-compose.yml does (sync
   workers, ``WEB_WORKERS`` default 3) under production settings: DEBUG off, a fresh
   SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, the same middleware. Only what plain http on
   loopback needs is switched off by environment: SECURE_SSL_REDIRECT and the secure
   cookie flags. BENCH_CEILING=true adds the trivial view (bench/ceiling.py);
3. ``python -m bench.measure``: query counts, latency and throughput per page, the
   ceiling, the load tests (bench/measure.py);
4. stop gunicorn; merge the figures into bench/results.json and write bench/results.md.

The server to use: BENCH_DATABASE_URL, else DATABASE_URL if it is PostgreSQL, else
postgres://postgres@127.0.0.1:5432 — only its host, port and credentials; the database
name is always the bench's own.

Exit status 1 when a page did not answer 200 or a load test overbooked or lost
something; with ``--strict`` also when a page misses a target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as `python bench/run.py`
    sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402

VAR = ROOT / "var" / "bench"
RESULTS_JSON = ROOT / "bench" / "results.json"
# The run before the fixes of issue 7, for the before-and-after table.
BASELINE_JSON = ROOT / "bench" / "baseline.json"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "wijkhubs_bench"


def log(message: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def server_url() -> str:
    """The PostgreSQL server, without a database name."""
    for name in ("BENCH_DATABASE_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://", "pgsql://")):
            parts = urllib.parse.urlsplit(url)
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    return DEFAULT_SERVER


def database_name(scale: float) -> str:
    key = report.scale_key(scale)
    return DATABASE if key == "1" else f"{DATABASE}_{key.replace('.', '_')}"


def recreate_database(server: str, name: str) -> None:
    import psycopg

    assert name.startswith(DATABASE), name  # never touch anyone else's database
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def production_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    # Production caches in Redis (docker-compose.yml); BENCH_REDIS_URL does the same here.
    # Without it, each gunicorn worker has Django's memory cache.
    env.pop("REDIS_URL", None)
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            # Plain http on loopback: no redirect to https, cookies without "Secure".
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "STATIC_ROOT": str(VAR / "static"),
            # Tasks enqueued by the load tests (notifications) go nowhere.
            "CELERY_BROKER_URL": "memory://",
            "EMAIL_URL": "dummymail://",
            # All clients come from 127.0.0.1: the feeds' per-address limit (120/m) would
            # answer 429 to the measurement. The limiter still runs, with room to spare.
            "PUBLIC_FEED_RATE_LIMIT": "1000000/m",
            "PERSONAL_FEED_RATE_LIMIT": "1000000/m",
            "BENCH_CEILING": "true",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "wijkhubs.settings",
        }
    )
    return env


def manage(env: dict, *args: str, capture: bool = False) -> str:
    completed = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE if capture else None,
        text=True,
    )
    return completed.stdout or ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """The production web server, as docker-compose.yml runs it, on loopback."""

    def __init__(self, env: dict, port: int, workers: int, worker_class: str, threads: int):
        self.port = port
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "wijkhubs.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
        ]
        if worker_class != "sync":
            self.command += ["--worker-class", worker_class, "--threads", str(threads)]
        self.env = env
        self.process: subprocess.Popen | None = None

    def describe(self) -> str:
        return " ".join(["gunicorn", *self.command[3:]])

    def __enter__(self) -> Gunicorn:
        VAR.mkdir(parents=True, exist_ok=True)
        self.log = open(VAR / "gunicorn.log", "a")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one
        )
        url = f"http://127.0.0.1:{self.port}/bench/ceiling/"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {VAR / 'gunicorn.log'}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer on {url}; see {VAR / 'gunicorn.log'}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def machine(server: str) -> dict:
    import psycopg

    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = round(kib / 1024 / 1024, 1)
    except (OSError, StopIteration):
        ram = None
    with psycopg.connect(server + "/postgres") as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        commit += " (with uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "?"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram,
        "postgres": postgres,
        "python": platform.python_version(),
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": commit,
        "load_average": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def run_scale(scale: float, args, server: str) -> dict:
    name = database_name(scale)
    env = production_env(f"{server}/{name}")
    seed = {}
    if not args.skip_seed:
        log(f"scale {scale:g}: database {name} (drop and create), migrate")
        recreate_database(server, name)
    manage(env, "migrate", "--noinput", "-v", "0")
    if not args.skip_seed:
        log(f"scale {scale:g}: seed_bench --scale {scale:g}")
        started = time.monotonic()
        output = manage(env, "seed_bench", "--scale", f"{scale:g}", capture=True)
        seed = {"seconds": round(time.monotonic() - started, 1), "output": output.splitlines()}
        for line in seed["output"]:
            log(line)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    port = args.port or free_port()
    out = VAR / f"measure-{report.scale_key(scale)}.json"
    server_process = Gunicorn(env, port, args.workers, args.worker_class, args.threads)
    log(f"scale {scale:g}: {server_process.describe()}")
    with server_process:
        command = [
            sys.executable,
            "-m",
            "bench.measure",
            "--port",
            str(port),
            "--requests",
            str(args.requests),
            "--concurrency",
            str(args.concurrency),
            "--time-limit",
            str(args.time_limit),
            "--warmup",
            str(args.warmup),
            "--out",
            str(out),
        ]
        if args.pages:
            command += ["--pages", args.pages]
        if args.skip_load:
            command.append("--skip-load")
        subprocess.run(command, cwd=ROOT, env=env, check=True)
    data = json.loads(out.read_text())
    data["database"] = name
    data["server"] = server_process.describe()
    if seed:
        data["seed"] = seed
    else:
        previous = load_results(RESULTS_JSON).get("scales", {}).get(report.scale_key(scale), {})
        if previous.get("seed"):
            data["seed"] = previous["seed"]
    return data


def load_results(path: Path = RESULTS_JSON) -> dict:
    if path.exists():
        return json.loads(path.read_text())
    return {}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Seed, serve and measure the portal (issue 7).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--scale", default="0.01,1", help="scale(s), comma-separated")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page")
    parser.add_argument("--concurrency", type=int, default=10, help="concurrent clients")
    parser.add_argument("--time-limit", type=float, default=120, help="seconds per page, at most")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests first")
    parser.add_argument("--skip-seed", action="store_true", help="use the seeded database")
    parser.add_argument("--skip-load", action="store_true", help="no sign-up and desk bursts")
    parser.add_argument("--pages", default="", help="only these page keys (bench/pages.py)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (production: 3)")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class")
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--strict", action="store_true", help="fail when a target is missed")
    parser.add_argument(
        "--results",
        default=str(RESULTS_JSON.with_suffix("")),
        help="where the results go: <this>.json and <this>.md (e.g. var/bench/try-gthread "
        "for an experiment that must not replace bench/results.json)",
    )
    args = parser.parse_args(argv)
    results_json = Path(args.results).with_suffix(".json")
    results_md = Path(args.results).with_suffix(".md")
    scales = [float(s) for s in args.scale.split(",") if s.strip()]
    server = server_url()
    VAR.mkdir(parents=True, exist_ok=True)

    results = load_results(results_json)
    results["machine"] = machine(server)
    results["config"] = {
        "server": "gunicorn wijkhubs.wsgi, "
        + (
            f"{args.workers} sync workers"
            if args.worker_class == "sync"
            else f"{args.workers} {args.worker_class} workers × {args.threads} threads"
        )
        + ", DEBUG off, PostgreSQL with CONN_MAX_AGE=60, "
        + ("cache in Redis" if os.environ.get("BENCH_REDIS_URL") else "no Redis (memory cache)")
        + ", feed rate limits raised",
        "client": f"bench/client.py, {args.concurrency} threads with keep-alive http.client, "
        f"{args.requests} requests per page after {args.warmup} warm-up requests, "
        f"at most {args.time_limit:g} s per page",
        "targets": report.TARGETS,
    }
    results.setdefault("scales", {})
    for scale in scales:
        data = run_scale(scale, args, server)
        data["machine"] = results["machine"]  # figures of other scales may be older
        results["scales"][report.scale_key(scale)] = data
        results_json.write_text(json.dumps(results, indent=2, default=str) + "\n")
        results_md.write_text(report.to_markdown(results, load_results(BASELINE_JSON)))
    log(f"results: {results_json} and {results_md}")
    print(results_md.read_text())
    ok = report.passed(results, correctness_only=not args.strict)
    if not ok:
        log("FAILED: see the verdicts above")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
