"""The benchmark's Markdown report: one table per run, the scaling check, the chat load, against the targets."""

# Issue 7's targets on a 2-core machine, one worker.
MIN_RATIO = 0.25
MAX_P99_MS = 50.0
MAX_SCALING = 1.2
MAX_CHAT_P99_MS = 100.0


def _verdict(row: dict) -> str:
    if row["baseline"]:
        return "baseline"
    misses = []
    if row["ratio"] is not None and row["ratio"] < MIN_RATIO:
        misses.append(f"ratio < {MIN_RATIO:.2f}")
    if row["p99_ms"] is None or row["p99_ms"] > MAX_P99_MS:
        misses.append(f"p99 > {MAX_P99_MS:g} ms")
    if row["errors"]:
        misses.append("errors")
    return "meets" if not misses else "misses: " + ", ".join(misses)


def _run_table(run: dict, judged: bool) -> list[str]:
    lines = [
        "| page | req/s | × baseline | p50 ms | p95 ms | p99 ms | errors | SQL/request | peak RSS MiB |"
        + (" target |" if judged else ""),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---|" if judged else ""),
    ]
    for row in run["pages"]:
        ratio = f"{row['ratio']:.3f}" if row["ratio"] is not None else "–"
        late = f"> {run['duration_s']:g} s"
        p50, p95, p99 = (f"{row[k]:.1f}" if row[k] is not None else late for k in ("p50_ms", "p95_ms", "p99_ms"))
        lines.append(
            f"| {row['name']} | {row['rps']:.1f} | {ratio} | {p50} | {p95} | {p99} | {row['errors']} "
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
        f"{s['warmup_s']} s warm-up, over loopback. Servers as production runs them: DEBUG off, collected static "
        "files, gunicorn sync workers for HTTP (uvicorn ASGI workers serve only WebSocket). The baseline is core's "
        "/healthz, the load balancers' endpoint: the full middleware stack, no database, a small JSON body. "
        "SQL/request is counted in a separate pass (Django's test client with CaptureQueriesContext on the same "
        "database); the served code carries no instrumentation. Peak RSS is the sum over the server's processes.",
        "",
    ]
    if results["note"]:
        lines += [f"**Note:** {results['note']}", ""]
    lines += ["Data: " + "; ".join(
        f"{scale}x: " + ", ".join(f"{n:,} {label.split('.')[-1]}" for label, n in d["rows"].items() if n)
        for scale, d in results["data"].items()), ""]
    for run in results["runs"]:
        judged = run["workers"] == 1 and run["scale"] == s["scales"][0]
        lines += [f"## {run['scale']:g}x data, {run['workers']} gunicorn worker(s)", "",
                  f"Load average before/after: {run['load_before']:.2f} / {run['load_after']:.2f}", ""]
        lines += [*_run_table(run, judged), ""]
    scale_rows = scaling(results)
    if scale_rows:
        first = scale_rows[0]
        lines += [f"## Scaling check: {first['large_scale']:g}x against {first['small_scale']:g}x data, one worker",
                  "", f"Target: latency at the larger scale within {MAX_SCALING}x of the smaller.", "",
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
