"""Judges the figures against the targets of issue 7 and writes bench/results.md.

Targets: at full scale every key page answers with p95 ≤ 150 ms (10 concurrent
clients, 2 cores), uses ≤ 15 SQL queries and the same number at 1/100 scale, and
serves ≥ 25% of the trivial view's throughput; no request fails; the load tests
overbook nothing and lose no question.
"""

from __future__ import annotations

from bench.client import throughput_ratio

TARGETS = {
    "p95_ms": 150.0,
    "queries": 15,
    "ratio": 0.25,
}
FULL, SMALL = "1", "0.01"


def scale_key(scale: float) -> str:
    """The key of a scale in results.json: "1", "0.01", "0.1"."""
    return f"{scale:g}"


def misses(page: dict, small: dict | None, *, full_scale: bool) -> list[str]:
    """What keeps ``page`` from passing; [] when it meets every target. The latency and
    throughput targets hold at full scale; queries and errors at every scale."""
    found = []
    if page.get("errors"):
        found.append(f"{page['errors']} errors")
    if page.get("queries", 0) > TARGETS["queries"]:
        found.append(f"queries > {TARGETS['queries']}")
    if small is not None and small.get("queries") != page.get("queries"):
        found.append("queries differ between scales")
    if full_scale:
        if page.get("p95_ms", 0) > TARGETS["p95_ms"]:
            found.append(f"p95 > {TARGETS['p95_ms']:g} ms")
        if page.get("ratio", 0) < TARGETS["ratio"]:
            found.append(f"throughput < {TARGETS['ratio']:.0%} of ceiling")
    return found


def verdicts(results: dict) -> dict[str, dict[str, list[str]]]:
    """scale -> page -> misses, for every measured scale."""
    scales = results.get("scales", {})
    small = scales.get(SMALL, {}).get("pages", {})
    out = {}
    for key, data in scales.items():
        full = key == FULL
        out[key] = {
            name: misses(page, small.get(name) if full and small else None, full_scale=full)
            for name, page in data.get("pages", {}).items()
        }
    return out


def load_ok(data: dict) -> bool:
    load = data.get("load") or {}
    return all(test.get("ok") for test in load.values()) and not any(
        (data.get("roster_check") or {}).values()
    )


def passed(results: dict, *, correctness_only: bool = False) -> bool:
    """Correctness: every page 200, nothing overbooked or lost. With the targets too
    unless ``correctness_only``."""
    for key, data in results.get("scales", {}).items():
        if data.get("errors") or not load_ok(data):
            return False
        for page in data.get("pages", {}).values():
            if page.get("errors"):
                return False
        if not correctness_only and any(verdicts(results)[key].values()):
            return False
    return True


def _fmt(value, digits=1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def before_and_after(results: dict, baseline: dict) -> list[str]:
    """Full scale, page by page: the baseline run (bench/baseline.json, before the
    fixes of issue 7) against this one."""
    before = baseline.get("scales", {}).get(FULL, {}).get("pages", {})
    after = results.get("scales", {}).get(FULL, {}).get("pages", {})
    if not before or not after:
        return []
    machine = baseline.get("machine", {})
    ceiling = baseline.get("scales", {}).get(FULL, {}).get("ceiling", {})
    lines = [
        "## Before and after (full scale)",
        "",
        f"Before: commit {machine.get('commit', '?')[:10]} with its own bench and seeder, "
        f"measured {machine.get('date', '?')[:16].replace('T', ' ')} on "
        f"{machine.get('cpu', '?')}, {machine.get('cores', '?')} cores (ceiling "
        f"{_fmt(ceiling.get('rps'))} req/s; bench/baseline.json).",
        "",
        "| page | p95 ms before | p95 ms after | req/s before | req/s after "
        "| × ceiling before | × ceiling after "
        "| alone ms before | alone ms after | KB before | KB after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, page in after.items():
        old = before.get(name, {})
        lines.append(
            f"| {page.get('title', name)} | {_fmt(old.get('p95_ms'))} | {_fmt(page.get('p95_ms'))} "
            f"| {_fmt(old.get('rps'))} | {_fmt(page.get('rps'))} "
            f"| {_fmt(old.get('ratio'), 2)} | {_fmt(page.get('ratio'), 2)} "
            f"| {_fmt(old.get('single_ms'))} | {_fmt(page.get('single_ms'))} "
            f"| {_fmt(old.get('html_kb'), 0)} | {_fmt(page.get('html_kb'), 0)} |"
        )
    return [*lines, ""]


def staff_ceiling_lines(staff: dict | None, ceiling: dict) -> list[str]:
    """The trivial view again, with a medewerker's session: what being logged in costs
    every staff page before it does anything of its own. For information only."""
    if not staff:
        return []
    return [
        f"The same trivial view logged in (a medewerker's session, as every staff page has): "
        f"{_fmt(staff.get('rps'))} req/s (before {_fmt(staff.get('before', {}).get('rps'))}, "
        f"after {_fmt(staff.get('after', {}).get('rps'))}), "
        f"{_fmt(throughput_ratio(staff.get('rps', 0), ceiling.get('rps', 0)), 2)} × the ceiling; "
        f"{staff.get('queries', '–')} queries (session, user, roles), alone "
        f"{_fmt(staff.get('single_ms'))} ms ({_fmt(staff.get('sql_ms'))} SQL). The column "
        "*× logged-in trivial* sets each staff page against it; it is not a target.",
        "",
    ]


def to_markdown(results: dict, baseline: dict | None = None) -> str:
    machine = results.get("machine", {})
    config = results.get("config", {})
    lines = [
        "# Benchmark results",
        "",
        f"Measured {machine.get('date', '?')} on {machine.get('cpu', '?')}, "
        f"{machine.get('cores', '?')} cores, {machine.get('ram_gb', '?')} GB RAM, "
        f"PostgreSQL {machine.get('postgres', '?')}, Python {machine.get('python', '?')}, "
        f"commit {machine.get('commit', '?')[:10]}; load average at the start "
        f"{machine.get('load_average', '?')}.",
        "",
        f"Server: {config.get('server', '?')}. Client: {config.get('client', '?')}.",
        "",
        "Targets (issue 7), at full scale: p95 ≤ 150 ms, ≤ 15 queries and the same at 1/100 "
        "scale, throughput ≥ 25% of the trivial view (the ceiling); no errors; no "
        "overbooking, no lost questions.",
        "",
        "Columns: latency and throughput under load (10 concurrent clients); *alone*: one "
        "request in-process with nothing else running in the bench, the median of five (its "
        "SQL time in brackets), which shows whether a page spends its time in the database "
        "or in Python and templates; KB: size of the HTML.",
        "",
    ]
    if baseline:
        lines += before_and_after(results, baseline)
    all_verdicts = verdicts(results)
    scales = results.get("scales", {})
    small_pages = scales.get(SMALL, {}).get("pages", {})
    for key in sorted(scales, key=lambda k: -float(k)):
        data = scales[key]
        seed = data.get("seed", {})
        counts = data.get("counts", {})
        ceiling = data.get("ceiling", {})
        staff = data.get("ceiling_staff")
        lines += [
            f"## Scale {key}" + (" (full city)" if key == FULL else ""),
            "",
            "Data: "
            + ", ".join(f"{name.split('.')[-1]} {count:,}" for name, count in counts.items())
            + (f". Seeded in {seed['seconds']:.0f} s." if seed.get("seconds") else "."),
            "",
            f"Ceiling (trivial view): {_fmt(ceiling.get('rps'))} req/s "
            f"(before {_fmt(ceiling.get('before', {}).get('rps'))}, after "
            f"{_fmt(ceiling.get('after', {}).get('rps'))}), p95 "
            f"{_fmt(ceiling.get('before', {}).get('p95_ms'))} ms, "
            f"{ceiling.get('queries', '–')} queries.",
            "",
            *staff_ceiling_lines(staff, ceiling),
            "| page | role | queries | p50 ms | p95 ms | mean ms | req/s | × ceiling "
            + ("| × logged-in trivial " if staff else "")
            + "| n | errors | alone ms (SQL ms) | KB | verdict |",
            "|---|---|---:|---:|---:|---:|---:|---:|"
            + ("---:|" if staff else "")
            + "---:|---:|---:|---:|---|",
        ]
        for name, page in data.get("pages", {}).items():
            queries = _fmt(page.get("queries"))
            if key == FULL and name in small_pages:
                queries += f" ({small_pages[name].get('queries')} at 1/100)"
            found = all_verdicts[key].get(name, [])
            verdict = "pass" if not found else "FAIL: " + "; ".join(found)
            lines.append(
                f"| {page.get('title', name)} | {page.get('role')} | {queries} "
                f"| {_fmt(page.get('p50_ms'))} | {_fmt(page.get('p95_ms'))} "
                f"| {_fmt(page.get('mean_ms'))} | {_fmt(page.get('rps'))} "
                f"| {_fmt(page.get('ratio'), 2)} "
                + (f"| {_fmt(page.get('ratio_staff'), 2)} " if staff else "")
                + f"| {page.get('n')} | {page.get('errors')} "
                f"| {_fmt(page.get('single_ms'))} ({_fmt(page.get('sql_ms'))}) "
                f"| {_fmt(page.get('html_kb'), 0)} | {verdict} |"
            )
        for skipped in data.get("skipped", []):
            empty = "| " * (12 if staff else 11)
            lines.append(f"| {skipped['key']} {empty}| skipped: {skipped['reason']} |")
        for error in data.get("errors", []):
            lines.append(f"\n**Error:** {error}")
        load = data.get("load") or {}
        if load:
            lines += ["", "Load tests:", ""]
            signup = load.get("signup")
            if signup:
                lines.append(
                    f"- **Sign-ups**: {signup['people']} people, {signup['posts']} POSTs at once "
                    f"for {signup['shifts']} shifts of {signup['places_per_shift']} places: "
                    f"{_fmt(signup.get('rps'))} req/s, p50 {_fmt(signup.get('p50_ms'))} ms, "
                    f"p95 {_fmt(signup.get('p95_ms'))} ms; {signup['places_taken']} of "
                    f"{signup['capacity']} places taken; overbooked shifts: "
                    f"{signup['overbooked']}; checks {signup['problems']} — "
                    + ("**pass**" if signup.get("ok") else "**FAIL**")
                )
            desk = load.get("desk")
            if desk:
                lines.append(
                    f"- **Desk**: {desk['hosts']} hosts, {desk['posts']} questions posted at "
                    f"once: {_fmt(desk.get('rps'))} req/s, p50 {_fmt(desk.get('p50_ms'))} ms, "
                    f"p95 {_fmt(desk.get('p95_ms'))} ms; saved (302) {desk['answered_saved']}, "
                    f"stored {desk['stored']}, lost {desk['lost']} — "
                    + ("**pass**" if desk.get("ok") else "**FAIL**")
                )
        check = data.get("roster_check")
        if check:
            lines.append(f"- Whole roster after the tests: {check}")
        lines.append("")
    return "\n".join(lines) + "\n"
