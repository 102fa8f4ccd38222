"""The benchmark's Markdown report: issue 13's targets met or not, one table per run, the scaling check, chat."""

import statistics

# Issue 13's targets: PostgreSQL and Redis, one worker, in one run.
VISITOR_MIN_RATIO = 0.5  # a visitor's public page, unchanged content: throughput as a share of /healthz
MEMBER_MAX_CPU_RATIO = 2.0  # every member page and API list: CPU per request against the member anchor
MEMBER_MIN_RATIO = 0.05  # ... and throughput as a share of /healthz
SEARCH_MAX_P99_MS = 60.0  # directory, practice and site search, rare to common terms, at 8 clients
SEARCH_MIN_RATIO = 0.02
MAX_SCALING = 1.2  # every page: latency at 10x data against 1x
MAX_CHAT_P99_MS = 100.0  # 1,000 sockets, one 100-member group posting 5 msg/s, no socket dropped


def page_class(row: dict) -> str:
    if row["baseline"]:
        return "baseline"
    if row.get("anchor"):
        return "anchor"
    if row.get("search"):
        return "search"
    if row["login"] or row.get("api"):
        return "member"
    return "visitor"


def _misses(row: dict) -> list[str]:
    kind = page_class(row)
    misses = []
    ratio, cpu = row["ratio"], row.get("anchor_cpu_ratio")
    if kind == "visitor" and (ratio is None or ratio < VISITOR_MIN_RATIO):
        misses.append(f"× baseline < {VISITOR_MIN_RATIO:g}")
    if kind == "member":
        if cpu is None or cpu > MEMBER_MAX_CPU_RATIO:
            misses.append(f"CPU > {MEMBER_MAX_CPU_RATIO:g}× anchor")
        if ratio is None or ratio < MEMBER_MIN_RATIO:
            misses.append(f"× baseline < {MEMBER_MIN_RATIO:g}")
    if kind == "search":
        if row["p99_ms"] is None or row["p99_ms"] > SEARCH_MAX_P99_MS:
            misses.append(f"p99 > {SEARCH_MAX_P99_MS:g} ms")
        if ratio is None or ratio < SEARCH_MIN_RATIO:
            misses.append(f"× baseline < {SEARCH_MIN_RATIO:g}")
    if row["errors"]:
        misses.append("errors")
    return misses


def _verdict(row: dict) -> str:
    kind = page_class(row)
    if kind in {"baseline", "anchor"}:
        return kind
    misses = _misses(row)
    return "meets" if not misses else "misses: " + ", ".join(misses)


def _worst(rows: list[dict], key, label) -> str:
    missed = [r for r in rows if _misses(r)]
    if not rows:
        return "not measured", ""
    verdict = "met" if not missed else "not met"
    detail = f"{len(rows) - len(missed)} of {len(rows)} pages"
    if missed:
        worst = min(missed, key=key)
        detail += f"; worst: {worst['name']} ({label(worst)})"
    return verdict, detail


def targets(results: dict) -> list[str]:
    """Issue 13's targets table, each row met or not met, from the main run (main scale, one worker)."""
    s = results["settings"]
    main = next((r for r in results["runs"] if r["scale"] == s["scales"][0] and r["workers"] == 1), None)
    rows: list[tuple[str, str, str, str]] = []
    if main is not None:
        pages = main["pages"]

        def fmt(value: float | None, spec: str) -> str:
            return format(value, spec) if value is not None else "–"

        visitor = [r for r in pages if page_class(r) == "visitor"]
        rows.append(("a visitor's public page, unchanged content", f"≥ {VISITOR_MIN_RATIO:g} of /healthz",
                     *_worst(visitor, lambda r: r["ratio"] or 0, lambda r: f"{fmt(r['ratio'], '.3f')}")))
        member = [r for r in pages if page_class(r) == "member"]
        rows.append(("every member page and API list",
                     f"CPU ≤ {MEMBER_MAX_CPU_RATIO:g}× the member anchor; ≥ {MEMBER_MIN_RATIO:g} of /healthz",
                     *_worst(member, lambda r: -(r.get("anchor_cpu_ratio") or 1e9),
                             lambda r: f"CPU {fmt(r.get('anchor_cpu_ratio'), '.1f')}× anchor, "
                                       f"{fmt(r['ratio'], '.3f')} of /healthz")))
        search = [r for r in pages if page_class(r) == "search"]
        rows.append(("directory, practice and site search, rare to common terms",
                     f"p99 ≤ {SEARCH_MAX_P99_MS:g} ms at {s['connections']} clients; "
                     f"≥ {SEARCH_MIN_RATIO:g} of /healthz",
                     *_worst(search, lambda r: -(r["p99_ms"] or 1e9),
                             lambda r: f"p99 {fmt(r['p99_ms'], '.0f')} ms, {fmt(r['ratio'], '.3f')} of /healthz")))
    scale_rows = [r for r in scaling(results) if not r["name"].startswith("baseline")]
    if scale_rows:
        grown = [r for r in scale_rows if r["p50_ratio"] is None or r["p50_ratio"] > MAX_SCALING]
        first = scale_rows[0]
        detail = f"{len(scale_rows) - len(grown)} of {len(scale_rows)} pages (p50)"
        if grown:
            worst = max(grown, key=lambda r: r["p50_ratio"] or 1e9)
            detail += f"; worst: {worst['name']} ({worst['p50_ratio'] or 0:.2f})"
        rows.append((f"every page, {first['large_scale']:g}x data against {first['small_scale']:g}x",
                     f"latency ratio ≤ {MAX_SCALING:g}", "met" if not grown else "not met", detail))
        constant = [r for r in scale_rows if r["queries_small"] != r["queries_large"]]
        rows.append(("queries per page", "constant in rows", "met" if not constant else "not met",
                     f"{len(scale_rows) - len(constant)} of {len(scale_rows)} pages the same at both scales"
                     + (f"; differs: {', '.join(r['name'] for r in constant)}" if constant else "")))
    chat = [c for c in results.get("chat", []) if c["workers"] == 1 and c["clients"] >= 1000]
    if chat:
        c = chat[0]
        ok = c["p99_ms"] < MAX_CHAT_P99_MS and not c["dropped"] and not c["lost"] and not c["refused"]
        rows.append(("chat: 1,000 sockets, one 100-member group posting 5 msg/s",
                     f"delivery p99 < {MAX_CHAT_P99_MS:g} ms, no socket dropped", "met" if ok else "not met",
                     f"p99 {c['p99_ms']:.0f} ms, {c['dropped']} dropped, {c['lost']} of {c['expected']} lost"))
    lines = ["## Targets (issue 13)", "", "| what | target | result | detail |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | **{c}** | {d} |" for a, b, c, d in rows]
    return [*lines, ""]


def _run_table(run: dict, judged: bool) -> list[str]:
    lines = [
        "| page | req/s | × baseline | × anchor | CPU ms | CPU × anchor | p50 ms | p95 ms | p99 ms | errors "
        "| SQL/request | peak RSS MiB |" + (" target |" if judged else ""),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---|" if judged else ""),
    ]

    def number(value: float | None, spec: str) -> str:
        return format(value, spec) if value is not None else "–"

    for row in run["pages"]:
        late = f"> {run['duration_s']:g} s"
        p50, p95, p99 = (f"{row[k]:.1f}" if row[k] is not None else late for k in ("p50_ms", "p95_ms", "p99_ms"))
        lines.append(
            f"| {row['name']} | {row['rps']:.1f} | {number(row['ratio'], '.3f')} "
            f"| {number(row.get('anchor_ratio'), '.2f')} | {number(row.get('cpu_ms'), '.1f')} "
            f"| {number(row.get('anchor_cpu_ratio'), '.2f')} | {p50} | {p95} | {p99} | {row['errors']} "
            f"| {row['queries']} | {row['peak_rss_mib']:.0f} |" + (f" {_verdict(row)} |" if judged else ""))
    return lines


def scaling(results: dict) -> list[dict]:
    """Per page: latency at the largest scale over latency at the smallest, one worker each."""
    runs = [r for r in results["runs"] if r["workers"] == results["settings"]["workers"][0]]
    if len(runs) < 2:
        return []
    small = min(runs, key=lambda r: r["scale"])
    large = max(runs, key=lambda r: r["scale"])
    by_name = {row["name"]: row for row in small["pages"]}
    rows = []
    for row in large["pages"]:
        other = by_name.get(row["name"])
        if other is None:
            continue

        def ratio(key: str, large: dict = row, small: dict = other) -> float | None:
            return large[key] / small[key] if large[key] and small[key] else None

        rows.append({"name": row["name"], "small_scale": small["scale"], "large_scale": large["scale"],
                     "p50_small": other["p50_ms"], "p50_large": row["p50_ms"], "p50_ratio": ratio("p50_ms"),
                     "p99_small": other["p99_ms"], "p99_large": row["p99_ms"], "p99_ratio": ratio("p99_ms"),
                     "queries_small": other["queries"], "queries_large": row["queries"]})
    return rows


def markdown(results: dict) -> str:
    m = results["machine"]
    v = results.get("versions", {})
    s = results["settings"]
    lines = [
        f"# Benchmark results: {results['backend']}",
        "",
        f"Run {results['started_at']} at commit {m['commit']}, {results['seconds']} s in all.",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']} GiB, Linux {m['kernel']}; "
        f"{v.get('database', '?')}, {v.get('redis', '?')}; Python {v.get('python', '?')}, "
        f"Django {v.get('django', '?')}, "
        f"{m['gunicorn']}, {m['uvicorn']}, {m['wrk']}.",
        "",
        f"Load: wrk, {s['connections']} connections, one thread, {s['duration_s']} s a page after a "
        f"{s['warmup_s']} s warm-up, over loopback; every request sends `Accept-Encoding: gzip, deflate, br` as a "
        "browser does, so visitors' cached pages and the iCal feeds are answered gzip-compressed (members' pages "
        "plain) and bytes are the bytes sent. Servers as production runs them: DEBUG off, collected static "
        "files, gunicorn sync workers for HTTP (uvicorn ASGI workers serve only WebSocket). The baseline is core's "
        "/healthz, the load balancers' endpoint: the full middleware stack, no database, a small JSON body. "
        "SQL/request is counted in a separate pass (Django's test client with CaptureQueriesContext on the same "
        "database), on each page's third request, after two warm-up requests, as the load finds the page (a "
        "page's first requests after the data is generated may do one-off work: the group conversation's first "
        "view marks it read and its second re-renders the cards that changed); the served code carries no "
        "instrumentation. Peak RSS is the sum over the server's processes. "
        "The anchor (bench/views.py, served only under bench.settings) is a plain 20-row list inside base.html, "
        "one for a visitor and one for a member: × anchor is a page's throughput against the anchor of its class, "
        "CPU ms the serving process's CPU per request measured in-process (Django's test client, warm) and "
        "CPU × anchor that against the anchor's.",
        "",
    ]
    samples = [load for _t, load in results.get("load_samples", [])]
    if samples:
        lines += [f"Machine load (1-minute average): {' / '.join(results.get('load_at_start', []))} at the start "
                  f"(1/5/15 min); during the run min {min(samples):.2f}, median {statistics.median(samples):.2f}, "
                  f"max {max(samples):.2f} ({len(samples)} samples, every 10 s)."
                  + (" Settled (a sync, then the load average under 0.8, at most 120 s) before "
                     + ", ".join(f"{what} in {seconds} s" for what, seconds in results["settled_s"].items()) + "."
                     if results.get("settled_s") else ""), ""]
    if results["note"]:
        lines += [f"**Note:** {results['note']}", ""]
    lines += targets(results)
    lines += ["Data: " + "; ".join(
        f"{scale}x: " + ", ".join(f"{n:,} {label.split('.')[-1]}" for label, n in d["rows"].items() if n)
        for scale, d in results["data"].items()), ""]
    lines += ["Generation (migrate, empty, generate with COPY, VACUUM ANALYZE; budget 10 minutes at 10x): " + "; ".join(
        f"{scale}x in {d['generation_seconds']:.0f} s"
        + (" (" + ", ".join(f"{k.removeprefix('generate_')} {v:.0f} s" for k, v in d["generation_steps"].items())
           + ")" if d.get("generation_steps") else "")
        for scale, d in results["data"].items()), ""]
    for run in results["runs"]:
        judged = run["workers"] == 1 and run["scale"] == s["scales"][0]
        lines += [f"## {run['scale']:g}x data, {run['workers']} gunicorn worker(s)", "",
                  f"Load average before/after: {run['load_before']:.2f} / {run['load_after']:.2f}"
                  + (" (the pass of every scale side by side, see the scaling check)" if run.get("side_by_side")
                     else ""), ""]
        lines += [*_run_table(run, judged), ""]
    scale_rows = scaling(results)
    if scale_rows:
        first = scale_rows[0]
        side_by_side = all(r.get("side_by_side") for r in results["runs"]
                           if r["workers"] == s["workers"][0])
        method = ("Each page was measured at both scales back to back, seconds apart: each scale served by its own "
                  "gunicorn (one worker, its own database, its cache under its own key prefix in the same Redis "
                  "database), both up throughout, only the one measured loaded, the scales' order alternating from "
                  "page to page." if side_by_side else
                  "Each scale was measured in a pass of its own, minutes apart.")
        lines += [f"## Scaling check: {first['large_scale']:g}x against {first['small_scale']:g}x data, one worker",
                  "", f"Target: latency at the larger scale within {MAX_SCALING}x of the smaller. {method}", "",
                  "| page | p50 ms small | p50 ms large | p50 ratio | p99 ratio | SQL/request small → large |",
                  "|---|---:|---:|---:|---:|---|"]
        def number(value: float | None, digits: int) -> str:
            return f"{value:.{digits}f}" if value is not None else "–"

        for row in scale_rows:
            lines.append(f"| {row['name']} | {number(row['p50_small'], 1)} | {number(row['p50_large'], 1)} "
                         f"| {number(row['p50_ratio'], 2)} | {number(row['p99_ratio'], 2)} "
                         f"| {row['queries_small']} → {row['queries_large']} |")
        lines.append("")
    for chat_run in results.get("chat", []):
        if chat_run == results["chat"][0]:
            lines += ["## Chat delivery", "",
                      f"Target: 1,000 clients connected to one worker, p99 under {MAX_CHAT_P99_MS:g} ms to "
                      "100 members of a group.", "",
                      "| run | clients connected | refused | dropped | receivers | sent | delivered | lost "
                      "| msg/s delivered | p50 ms | p99 ms | peak RSS MiB |",
                      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        lines.append(f"| {chat_run['name']} | {chat_run['clients']} | {chat_run['refused']} | {chat_run['dropped']} "
                     f"| {chat_run['receivers']} | {chat_run['sent']} | {chat_run['delivered']} | {chat_run['lost']} "
                     f"| {chat_run['delivered_per_s']:.0f} | {chat_run['p50_ms']:.1f} | {chat_run['p99_ms']:.1f} "
                     f"| {chat_run['peak_rss_mib']:.0f} |")
    return "\n".join(lines) + "\n"
