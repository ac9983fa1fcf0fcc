"""The measuring half of the benchmark: ``python -m bench.measure`` (bench/run.py starts
it with the production environment, against the seeded database and the gunicorn it
serves).

1. Sessions for the bench cast, made directly in the session store (with the flag
   ``RequireMFAMiddleware`` sets after a TOTP login), one per client thread.
2. Every page is requested once over HTTP: it must answer 200, not a redirect.
3. Its SQL query count: the page requested in-process with ``django.test.Client``
   under ``CaptureQueriesContext``, against the same database, after one warm request.
4. The ceiling (a trivial view), every page, the ceiling again: a warm-up, then
   ``--requests`` requests from ``--concurrency`` clients (bench/client.py).
5. The load tests: 200 people signing up at once for 50 shifts of 3 places, then 50
   hosts logging questions at once; the database is checked afterwards.

Prints the results of this scale as JSON to ``--out``; bench/run.py merges them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import threading
import time
from dataclasses import dataclass

# Runs as a script of its own: Django is set up from the environment bench/run.py gives.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkhubs.settings")


@dataclass
class Cast:
    """Who and what the bench looks at in the seeded city."""

    users: dict  # role -> User
    hub: object  # the busy hub of the first host and wijkmanager (Feijenoord)
    team: object  # the team with the most open callbacks
    proposal: object  # the proposal in conversation with the most messages

    @classmethod
    def load(cls) -> Cast:
        from django.db.models import Count, Q

        from accounts.models import User
        from bench.pages import ROLES
        from bench.seeding import cast_email
        from hubs.models import Hub
        from proposals.constants import Status
        from proposals.models import Proposal
        from questions.constants import OPEN_STATUSES
        from questions.models import Team

        users = {role: User.objects.get(email=cast_email(role)) for role in ROLES}
        team = (
            Team.objects.filter(members=users["kcc"])
            .annotate(open=Count("callbacks", filter=Q(callbacks__status__in=OPEN_STATUSES)))
            .order_by("-open", "pk")
            .first()
        )
        # The same state at every scale (the page's queries depend on the state).
        proposal = (
            Proposal.objects.filter(status=Status.IN_CONVERSATION)
            .annotate(n=Count("messages"))
            .order_by("-n", "pk")
            .first()
        )
        return cls(
            users=users,
            hub=Hub.objects.select_related("gebied").get(slug="feijenoord"),
            team=team,
            proposal=proposal,
        )


def make_session(user) -> str:
    """A logged-in session, as after a password (and, for managers, TOTP) login."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.middleware import SESSION_KEY as MFA_CHECKED

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[MFA_CHECKED] = True  # what RequireMFAMiddleware records after a TOTP login
    store.create()
    return store.session_key


ALONE_RUNS = 5  # in-process requests timed per page; the median is reported


def count_queries(path: str, session_key: str | None) -> dict:
    """The page's SQL queries, requested in-process after one warm request, with the time
    one request takes (the median of ALONE_RUNS) and how much of it was SQL."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    client.get(path)
    runs = []
    for _ in range(ALONE_RUNS):
        queries: list[tuple[float, str]] = []

        def timed(execute, sql, params, many, context, queries=queries):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                elapsed = time.perf_counter() - started
                # As it ran, with its parameters (the slowest ones are EXPLAINed).
                queries.append(
                    (elapsed, connection.ops.last_executed_query(context["cursor"], sql, params))
                )

        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            response = client.get(path)
            seconds = time.perf_counter() - started
        runs.append((seconds, queries, response))
    seconds, queries, response = sorted(runs, key=lambda run: run[0])[len(runs) // 2]
    slowest = sorted(queries, key=lambda q: -q[0])[:3]
    return {
        "queries": len(queries),
        "query_status": response.status_code,
        # One request alone, in-process: where the time goes (SQL or Python/templates).
        "single_ms": round(seconds * 1000, 1),
        "sql_ms": round(sum(q[0] for q in queries) * 1000, 1),
        "html_kb": round(len(response.content) / 1024, 1),
        "slowest_sql": [{"ms": round(ms * 1000, 1), "sql": sql} for ms, sql in slowest],
    }


def explain(sql: str) -> str:
    """EXPLAIN ANALYZE of a (read-only) query, for the pages that miss a target."""
    from django.db import connection

    if not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


# --- load tests ---------------------------------------------------------------------------------


def _new_people(count: int, role: str, label: str, hubs=None) -> list:
    from accounts.models import Cluster, RoleAssignment, User
    from bench.seeding import EMAIL_DOMAIN

    stamp = int(time.time())
    cluster = Cluster.objects.order_by("pk").first()
    people = User.objects.bulk_create(
        User(
            email=f"load.{label}.{stamp}.{n:03d}@{EMAIL_DOMAIN}",
            first_name="Load",
            last_name=f"{label} {n}",
            cluster=cluster,
        )
        for n in range(count)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=p, role=role, hub=hubs[n % len(hubs)] if hubs else None)
        for n, p in enumerate(people)
    )
    return people


def _burst(people_sessions, host, port, prepare, act):
    """Every person prepares (``prepare(n, browser)`` opens the page and returns its CSRF
    token), then all act at the same moment (a barrier): ``act(n, browser, token)``
    returns the samples. Returns all samples and the errors of preparing."""
    from bench.client import Browser

    barrier = threading.Barrier(len(people_sessions))
    samples, errors = [], []
    lock = threading.Lock()

    def person(n, session_key):
        browser = Browser(host, port, {"sessionid": session_key}, timeout=120)
        try:
            token = prepare(n, browser)
        except Exception as exc:  # noqa: BLE001 - reported, and the burst goes on
            with lock:
                errors.append(repr(exc))
            token = ""
        try:
            barrier.wait(timeout=300)
        except threading.BrokenBarrierError:
            return
        mine = act(n, browser, token)
        browser.close()
        with lock:
            samples.extend(mine)

    threads = [
        threading.Thread(target=person, args=(n, key)) for n, key in enumerate(people_sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, errors


def signup_load(host: str, port: int, cast: Cast, *, people=200, shifts=50, places=3, tries=5):
    """``people`` medewerkers sign up at once for ``shifts`` shifts of ``places`` places,
    each trying ``tries`` of them (two hubs × the same dagdelen, so some tries also hit
    "already a place in this dagdeel"). Then the database must show no overbooking."""
    from django.db.models import Max

    from accounts.constants import Role
    from bench.checks import roster_problems
    from bench.client import summarize
    from hubs.constants import DEFAULT_TIMES, Dagdeel
    from hubs.models import Hub
    from hubs.opening import aware
    from scheduling.constants import SignUpStatus
    from scheduling.models import Shift, SignUp

    hubs = [cast.hub, Hub.objects.get(slug="bloemhof")]
    first = Shift.objects.aggregate(last=Max("date"))["last"] + dt.timedelta(days=14)
    dagdelen = list(Dagdeel)
    slots = [
        (first + dt.timedelta(days=n // len(dagdelen)), dagdelen[n % len(dagdelen)])
        for n in range(shifts // len(hubs))
    ]
    made = Shift.objects.bulk_create(
        Shift(
            hub=hub,
            date=day,
            dagdeel=dagdeel,
            starts_at=aware(day, DEFAULT_TIMES[dagdeel][0]),
            ends_at=aware(day, DEFAULT_TIMES[dagdeel][1]),
            min_staff=1,
            max_staff=places,
        )
        for hub in hubs
        for day, dagdeel in slots
    )
    shift_ids = [s.pk for s in made]
    crowd = _new_people(people, Role.MEDEWERKER, "signup")
    sessions = [make_session(p) for p in crowd]

    def act(n, browser, token):
        rng = random.Random(n)
        return [
            browser.timed(
                "POST",
                f"/rooster/dagdeel/{pk}/aanmelden/",
                {"next": "/rooster/mijn-dagdelen/", "csrfmiddlewaretoken": token},
            )
            for pk in rng.sample(shift_ids, min(tries, len(shift_ids)))
        ]

    samples, errors = _burst(sessions, host, port, lambda n, b: b.csrf_token("/"), act)
    summary = summarize(samples, expected=(302,))
    taken = SignUp.objects.filter(shift_id__in=shift_ids, status=SignUpStatus.CONFIRMED).count()
    problems = roster_problems(shift_ids)
    return {
        "people": people,
        "shifts": len(shift_ids),
        "places_per_shift": places,
        "capacity": len(shift_ids) * places,
        "posts": len(samples),
        **summary.as_dict(),
        "places_taken": taken,
        "prepare_errors": errors[:5],
        "problems": problems,
        "overbooked": problems["overbooked_shifts"] + problems["confirmed_count_over_max"],
        "ok": summary.errors == 0
        and not any(problems.values())
        and taken <= len(shift_ids) * places,
    }


def desk_load(host: str, port: int, *, hosts=50, questions_each=10):
    """``hosts`` hosts, each at a hub's desk, log ``questions_each`` questions at once;
    every post that was answered with the redirect of a saved question must be a row."""
    from accounts.constants import Role
    from bench.client import summarize
    from hubs.models import Hub
    from questions.constants import Outcome
    from questions.models import Question, ReferralTarget, Topic

    desks = list(Hub.objects.filter(is_mobile=False, is_active=True).order_by("pk"))
    people = _new_people(hosts, Role.HOST, "desk", hubs=desks)
    sessions = [make_session(p) for p in people]
    subtopics = list(
        Topic.objects.filter(is_active=True, parent__isnull=False, parent__is_active=True)
    )
    everywhere = list(ReferralTarget.objects.filter(all_hubs=True, is_active=True))

    def desk_path(n):
        return f"/balie/{desks[n % len(desks)].slug}/"

    def act(n, browser, token):
        rng = random.Random(1000 + n)
        samples = []
        for _ in range(questions_each):
            topic = rng.choice(subtopics)
            referred = rng.random() < 0.25
            form = {
                "topic": topic.parent_id,
                "subtopic": topic.pk,
                "outcome": Outcome.REFERRED if referred else Outcome.ANSWERED,
                "referral_target": rng.choice(everywhere).pk if referred else "",
                "note": "",
                "language": "",
                "csrfmiddlewaretoken": token,
            }
            samples.append(browser.timed("POST", desk_path(n), form))
        return samples

    def prepare(n, browser):
        return browser.csrf_token(desk_path(n))

    samples, errors = _burst(sessions, host, port, prepare, act)
    summary = summarize(samples, expected=(302,))
    saved = summary.statuses.get("302", 0)
    stored = Question.objects.filter(created_by__in=people).count()
    return {
        "hosts": hosts,
        "posts": len(samples),
        **summary.as_dict(),
        "answered_saved": saved,
        "stored": stored,
        "lost": saved - stored,
        "prepare_errors": errors[:5],
        "ok": summary.errors == 0 and saved == stored == hosts * questions_each,
    }


# --- the run --------------------------------------------------------------------------------


def table_counts() -> dict[str, int]:
    from django.apps import apps
    from django.db import connection

    names = [
        "accounts.User",
        "hubs.Hub",
        "scheduling.Shift",
        "scheduling.SignUp",
        "questions.Question",
        "questions.CallbackRequest",
        "questions.Article",
        "proposals.Proposal",
    ]
    counts = {}
    with connection.cursor() as cursor:
        for name in names:
            model = apps.get_model(name)
            cursor.execute(
                f"SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)}"
            )
            counts[model._meta.label_lower] = cursor.fetchone()[0]
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--pages", default="", help="comma-separated page keys (default all)")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--p95-target", type=float, default=150.0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.urls import NoReverseMatch

    from bench.client import hammer, summarize, throughput_ratio
    from bench.pages import CEILING, PAGES, STAFF_CEILING

    def log(message):
        print(message, file=sys.stderr, flush=True)

    cast = Cast.load()
    ceiling_path = CEILING.url(cast)
    wanted = {k for k in args.pages.split(",") if k}
    sessions = {
        role: [make_session(user) for _ in range(args.concurrency)]
        for role, user in cast.users.items()
    }
    result = {"pages": {}, "skipped": [], "errors": []}
    pages = []
    for page in PAGES:
        if wanted and page.key not in wanted:
            continue
        try:
            path = page.url(cast)
        except NoReverseMatch:
            if not page.optional:
                raise
            result["skipped"].append({"key": page.key, "reason": "URL does not exist (yet)"})
            continue
        pages.append((page, path))

    def cookies(page):
        if page.role is None:
            return [{}]
        return [{"sessionid": key} for key in sessions[page.role]]

    def load(page, path):
        samples = hammer(
            args.host,
            args.port,
            path,
            cookie_sets=cookies(page),
            requests=args.requests,
            concurrency=args.concurrency,
            time_limit=args.time_limit,
            warmup=args.warmup,
        )
        return summarize(samples)

    # Each page must answer 200 before it is measured: a redirect (to the login or MFA
    # page) would measure the wrong thing.
    from bench.client import Browser

    for page, path in [(CEILING, ceiling_path), (STAFF_CEILING, ceiling_path), *pages]:
        browser = Browser(args.host, args.port, cookies(page)[0])
        status, _content = browser.get(path)
        browser.close()
        if status != 200:
            result["errors"].append(f"{page.key}: {path} answered {status}, not 200")
    if result["errors"]:
        for error in result["errors"]:
            log(error)
        pages = [
            (p, path)
            for p, path in pages
            if not any(e.startswith(p.key + ":") for e in result["errors"])
        ]

    log(f"{'page':<22} {'queries':>7} {'p50':>7} {'p95':>7} {'mean':>7} {'rps':>6} {'ratio':>6}")
    ceiling_before = load(CEILING, ceiling_path)
    log(f"{'ceiling':<22} {'':>7} {ceiling_before.p50_ms:7.1f} {ceiling_before.p95_ms:7.1f} "
        f"{ceiling_before.mean_ms:7.1f} {ceiling_before.rps:6.1f}")  # fmt: skip
    staff_before = load(STAFF_CEILING, ceiling_path)
    log(f"{'ceiling, logged in':<22} {'':>7} {staff_before.p50_ms:7.1f} {staff_before.p95_ms:7.1f} "
        f"{staff_before.mean_ms:7.1f} {staff_before.rps:6.1f}")  # fmt: skip
    for page, path in pages:
        key = sessions[page.role][0] if page.role else None
        counted = count_queries(path, key)
        summary = load(page, path)
        entry = {
            "title": page.title,
            "role": page.role or "anonymous",
            "path": path,
            **summary.as_dict(),
            **counted,
        }
        result["pages"][page.key] = entry
        log(f"{page.key:<22} {counted['queries']:>7} {summary.p50_ms:7.1f} {summary.p95_ms:7.1f} "
            f"{summary.mean_ms:7.1f} {summary.rps:6.1f}")  # fmt: skip
    staff_after = load(STAFF_CEILING, ceiling_path)
    ceiling_after = load(CEILING, ceiling_path)
    ceiling_rps = (ceiling_before.rps + ceiling_after.rps) / 2
    log(f"{'ceiling (again)':<22} {'':>7} {ceiling_after.p50_ms:7.1f} {ceiling_after.p95_ms:7.1f} "
        f"{ceiling_after.mean_ms:7.1f} {ceiling_after.rps:6.1f}")  # fmt: skip
    result["ceiling"] = {
        "before": ceiling_before.as_dict(),
        "after": ceiling_after.as_dict(),
        "rps": round(ceiling_rps, 1),
        "queries": count_queries(ceiling_path, None)["queries"],
    }
    staff_rps = (staff_before.rps + staff_after.rps) / 2
    staff_counted = count_queries(ceiling_path, sessions[STAFF_CEILING.role][0])
    result["ceiling_staff"] = {
        "before": staff_before.as_dict(),
        "after": staff_after.as_dict(),
        "rps": round(staff_rps, 1),
        "queries": staff_counted["queries"],
        "single_ms": staff_counted["single_ms"],
        "sql_ms": staff_counted["sql_ms"],
    }
    for entry in result["pages"].values():
        entry["ratio"] = round(throughput_ratio(entry["rps"], ceiling_rps), 3)
        if entry["role"] != "anonymous":
            entry["ratio_staff"] = round(throughput_ratio(entry["rps"], staff_rps), 3)
        if entry["p95_ms"] > args.p95_target and entry["slowest_sql"]:
            entry["explain"] = explain(entry["slowest_sql"][0]["sql"])

    result["counts"] = table_counts()  # the seeded city, before the load tests add to it
    if not args.skip_load:
        log("load test: 200 people sign up at once for 50 shifts of 3 places ...")
        result["load"] = {"signup": signup_load(args.host, args.port, cast)}
        log(json.dumps({k: v for k, v in result["load"]["signup"].items() if k != "statuses"}))
        log("load test: 50 hosts log questions at once ...")
        result["load"]["desk"] = desk_load(args.host, args.port)
        log(json.dumps({k: v for k, v in result["load"]["desk"].items() if k != "statuses"}))

    from bench.checks import roster_problems

    result["roster_check"] = roster_problems()
    with open(args.out, "w") as out:
        json.dump(result, out, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
