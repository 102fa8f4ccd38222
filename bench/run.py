"""`make bench`: generate the data, serve it as production does, load every page with wrk, write the results.

Steps (BENCH_SCALES, the first is the main scale):
1. for each scale, a database of its own, filled by bench/generate.py unless it already holds this data set,
   and a plan from bench/prepare.py: the pages' URLs, the bench member's session, SQL queries per request;
   before each plan and before the measurements the machine settles (a CHECKPOINT after generating, a sync,
   then the load average under BENCH_SETTLE_LOAD, 0.8, for at most BENCH_SETTLE_MAX_S, 120 s);
2. one gunicorn WSGI worker per scale, all up at once, each on its own port, with DEBUG off behind no proxy,
   on loopback, each keeping its cache under a key prefix of its own in REDIS_URL's database; each page is
   then measured at every scale back to back (the order alternating from page to page), so that a page's
   ratio between scales compares two measurements seconds apart, not two passes minutes apart: a warm-up,
   then wrk from its own process at a fixed concurrency and duration, only the one server loaded, while its
   memory is sampled from /proc;
3. at the main scale, the further worker counts of BENCH_WORKERS (2), one server at a time;
4. at the main scale, the chat load (bench/chat.py) against uvicorn ASGI workers, one then two;
5. mail (bench/mail.py): the organiser's cancel request for 1,000 registrants with the mails inside it and
   with one job enqueued, and the worker's mails per second to a local SMTP sink (BENCH_MAIL=0 skips it);
then bench/results/<backend>.json and .md (mail: bench/results/mail-<database>.md). Settings come from the
environment (see README, Performance).
"""

import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from hashlib import sha256
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import chat, mail, report

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "report.lua"
BIN = Path(sys.executable).parent

DURATION = int(os.environ.get("BENCH_DURATION", "5"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "1"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
SCALES = [float(s) for s in os.environ.get("BENCH_SCALES", "1,10").split(",")]
WORKERS = [int(w) for w in os.environ.get("BENCH_WORKERS", "1,2").split(",")]
NOTE = os.environ.get("BENCH_NOTE", "")
# Substrings of page names to measure (all when unset), e.g. BENCH_PAGES="baseline,iCal" to re-measure a few.
PAGE_FILTER = [p.strip() for p in os.environ.get("BENCH_PAGES", "").split(",") if p.strip()]
HTTP_PORT = int(os.environ.get("BENCH_PORT", "8765"))
CHAT_CLIENTS = [int(n) for n in os.environ.get("BENCH_CHAT_CLIENTS", "100,1000").split(",") if n.strip()]


def log(message: str) -> None:
    print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


def scale_tag(scale: float) -> str:
    return f"x{scale:g}".replace(".", "_")


def http_port(scale: float) -> int:
    """The main scale's servers listen on BENCH_PORT, the chat's uvicorn on the next port, every other scale's
    gunicorn on the ports after it."""
    index = SCALES.index(scale)
    return HTTP_PORT if index == 0 else HTTP_PORT + 1 + index


def cache_prefix(scale: float) -> str:
    """Each scale's cache keys under a prefix of their own: the scales' servers share REDIS_URL's database while
    they are all up, and a key (a row's id, a page's path) means other rows at another scale."""
    return f"crossroads-bench-{scale_tag(scale)}"


def database_url(scale: float) -> str:
    """The main scale uses DATABASE_URL's database itself, every other scale a sibling named after it;
    each is created when missing."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        WORK.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{WORK / f'bench-{scale_tag(scale)}.sqlite3'}"
    parts = urlsplit(base)
    name = parts.path.lstrip("/") if scale == SCALES[0] else f"{parts.path.lstrip('/')}_{scale_tag(scale)}"
    _create_postgres_database(base, name)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _create_postgres_database(base_url: str, name: str) -> None:
    import psycopg

    maintenance = urlunsplit(urlsplit(base_url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


SECRET_KEY = secrets.token_urlsafe(50)


def production_env(database: str, scale: float | None = None) -> dict[str, str]:
    """The environment production runs with (DEBUG off, a secret key), minus TLS, which loopback lacks; for a
    scale's servers, its port and its cache key prefix."""
    env = dict(os.environ)
    env.update({
        "DEBUG": "0", "SECRET_KEY": SECRET_KEY, "DATABASE_URL": database, "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{HTTP_PORT if scale is None else http_port(scale)}",
        "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0", "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "bench.settings",  # production's, plus the anchor page (bench/settings.py)
    })
    if scale is not None:
        env["BENCH_CACHE_PREFIX"] = cache_prefix(scale)  # read by bench/settings.py
    return env


def python(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"bench: {' '.join(args)} failed")
    return result.stdout


def fingerprint(scale: float) -> str:
    """What the data set depends on: the generator, the scale and every app's migrations."""
    digest = sha256(f"{scale}".encode())
    digest.update((ROOT / "bench" / "generate.py").read_bytes())
    for migration in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(migration.relative_to(ROOT)).encode())
    return digest.hexdigest()


def _wait_for_other_generation(database: str) -> None:
    """Wait while another process (another bench run generating) holds a connection to this PostgreSQL database."""
    if not database.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    name = urlsplit(database).path.lstrip("/")
    maintenance = urlunsplit(urlsplit(database)._replace(path="/postgres"))
    told = False
    while True:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            busy = connection.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                                      [name]).fetchone()[0]
        if not busy:
            return
        if not told:
            log(f"another process is writing {name}; waiting for it before checking its data set")
            told = True
        time.sleep(10)


def ensure_data(scale: float, env: dict[str, str]) -> dict:
    """Generate the data set unless this database already holds exactly this one."""
    stamp = WORK / f"stamp-{sha256(env['DATABASE_URL'].encode()).hexdigest()[:12]}.json"
    wanted = fingerprint(scale)
    _wait_for_other_generation(env["DATABASE_URL"])
    if stamp.exists():
        recorded = json.loads(stamp.read_text())
        if recorded["fingerprint"] == wanted:
            log(f"data at {scale:g}x already generated ({recorded['seconds']:.0f} s when it was)")
            return recorded
    log(f"generating data at {scale:g}x")
    started = time.monotonic()
    out = python(["-m", "bench.prepare", "--reset-and-generate", f"--scale={scale}"], env)
    lines = out.strip().splitlines()
    rows = json.loads(lines[-1])["rows"]
    # Each step's time ("  generate_chat: 12.3 s (CPU: ...)"), to see where the generation's budget goes.
    steps = {name.strip(): float(value.split()[0]) for name, value in
             (line.split(":", 1) for line in lines[:-1] if "s (CPU: " in line)}
    recorded = {"fingerprint": wanted, "scale": scale, "rows": rows, "seconds": time.monotonic() - started,
                "steps": steps}
    stamp.write_text(json.dumps(recorded, indent=2))
    log(f"generated in {recorded['seconds']:.0f} s")
    return recorded


class Server:
    """A server process group started for the benchmark, with its memory read from /proc."""

    def __init__(self, argv: list[str], env: dict[str, str], port: int, name: str) -> None:
        self.port = port
        self.log_path = WORK / f"{name}.log"
        with open(self.log_path, "w") as out:
            self.process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"bench: server exited at start; see {self.log_path}:\n{self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        sys.exit(f"bench: server not ready after 60 s; see {self.log_path}")

    def pids(self) -> list[int]:
        """The server's processes: the master and every descendant."""
        parents: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/stat") as stat:
                        parents[int(entry.name)] = int(stat.read().rsplit(")", 1)[1].split()[1])
                except OSError:
                    continue
        found, frontier = [self.process.pid], [self.process.pid]
        while frontier:
            children = [pid for pid, parent in parents.items() if parent in frontier]
            found += children
            frontier = children
        return found

    def rss_bytes(self) -> int:
        total = 0
        for pid in self.pids():
            try:
                with open(f"/proc/{pid}/status") as status:
                    match = re.search(r"VmRSS:\s+(\d+) kB", status.read())
            except OSError:
                continue
            if match:
                total += int(match.group(1)) * 1024
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@contextmanager
def peak_rss(server: Server) -> Iterator[list[int]]:
    """Sample the server's resident memory four times a second; yields a one-item list with the peak."""
    peak = [server.rss_bytes()]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.25):
            peak[0] = max(peak[0], server.rss_bytes())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()


def _port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def gunicorn(scale: float, workers: int, env: dict[str, str]) -> Server:
    """The WSGI server as production runs it: gunicorn sync workers (platform/ holds the same line)."""
    config = ROOT / "platform" / "gunicorn.conf.py"
    port = http_port(scale)
    argv = [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--worker-class", "sync", "--log-level", "warning"]
    if config.exists():
        argv[1:1] = ["--config", str(config)]
    if _port_in_use(port):
        sys.exit(f"bench: port {port} is taken; set BENCH_PORT to a free one")
    return Server(argv, env, port, f"gunicorn-{scale_tag(scale)}-{workers}")


def uvicorn(workers: int, env: dict[str, str]) -> Server:
    """The WebSocket server as production runs it (platform/Procfile's `ws` line): uvicorn ASGI workers."""
    port = HTTP_PORT + 1
    if _port_in_use(port):
        sys.exit(f"bench: port {port} is taken; set BENCH_PORT to a free one")
    argv = [str(BIN / "uvicorn"), "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers), "--lifespan", "off", "--no-access-log", "--log-level", "warning"]
    return Server(argv, env, port, f"uvicorn-{workers}")


def load_chat(plan_path: Path, env: dict[str, str]) -> list[dict]:
    """100 then 1,000 clients on one ASGI worker, then on two sharing Redis (skipped without Redis)."""
    rows = []
    layouts = [1, 2] if env.get("REDIS_URL") else [1]
    for workers in layouts:
        server = uvicorn(workers, env)
        try:
            for clients in CHAT_CLIENTS:
                drain(server)
                with peak_rss(server) as peak:
                    result = subprocess.run(
                        [sys.executable, "-m", "bench.chat", f"--plan={plan_path}",
                         f"--url=ws://127.0.0.1:{server.port}", f"--clients={clients}"],
                        cwd=ROOT, env=env, capture_output=True, text=True)
                line = next((x for x in result.stdout.splitlines() if x.startswith("CHATJSON ")), None)
                if line is None:
                    sys.exit(f"bench: the chat load failed:\n{result.stdout}\n{result.stderr[-3000:]}")
                row = {"load_after": loadavg(),
                       "name": f"{workers} uvicorn worker(s)" + (", Redis channel layer" if env.get("REDIS_URL")
                                                                 else ", in-memory channel layer"),
                       "workers": workers, **json.loads(line.removeprefix("CHATJSON ")),
                       "peak_rss_mib": peak[0] / 2**20}
                rows.append(row)
                log(f"  chat, {row['name']}, {row['clients']} clients: p50 {row['p50_ms']:.1f} ms, "
                    f"p99 {row['p99_ms']:.1f} ms, {row['delivered']}/{row['expected']} delivered, "
                    f"{row['refused']} refused, {row['dropped']} dropped")
        finally:
            server.stop()
    if not env.get("REDIS_URL"):
        log("  chat on two workers skipped: without REDIS_URL the channel layer is in one process's memory")
    return rows


def wrk(url: str, headers: dict[str, str], duration: int, expect: int) -> dict:
    argv = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{duration}s", "--timeout", "10s", "-s", str(LUA), url]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    result = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, "WRK_EXPECT": str(expect)})
    for line in result.stdout.splitlines():
        if line.startswith("BENCHJSON "):
            return json.loads(line.removeprefix("BENCHJSON "))
    sys.exit(f"bench: wrk gave no summary:\n{result.stdout}\n{result.stderr}")


def drain(server: Server) -> float:
    """Wait until the server answers /healthz at once: requests a run left queued must not slow the next."""
    started = time.monotonic()
    while time.monotonic() - started < 120:
        ask = time.monotonic()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz", timeout=5):
                if time.monotonic() - ask < 0.05:
                    break
        except OSError:
            time.sleep(0.2)
    return time.monotonic() - started


def _ms(stats: dict, key: str) -> float | None:
    # With no response within the run, wrk has no latency to give: the page is slower than the run.
    return stats[key] / 1000 if stats["requests"] else None


def selected(plan: dict) -> list[dict]:
    return [page for page in plan["pages"]
            if not PAGE_FILTER or any(part in page["name"] for part in PAGE_FILTER)]


def measure_page(page: dict, server: Server, label: str) -> dict:
    """A warm-up, then wrk for DURATION seconds on this page alone, the server's memory sampled meanwhile."""
    url = f"http://127.0.0.1:{server.port}{page['path']}"
    wrk(url, page["headers"], WARMUP, page["expect"])
    drain(server)
    with peak_rss(server) as peak:
        stats = wrk(url, page["headers"], DURATION, page["expect"])
    seconds = stats["duration_us"] / 1e6
    errors = (stats["unexpected_status"] + stats["connect_errors"] + stats["read_errors"]
              + stats["write_errors"] + stats["timeouts"])
    row = {
        "name": page["name"], "path": page["path"], "login": page["login"], "baseline": page["baseline"],
        "expect": page["expect"], "requests": stats["requests"], "rps": stats["requests"] / seconds,
        "p50_ms": _ms(stats, "p50_us"), "p95_ms": _ms(stats, "p95_us"), "p99_ms": _ms(stats, "p99_us"),
        "max_ms": _ms(stats, "max_us"), "errors": errors, "queries": page["queries"],
        "anchor": page.get("anchor", False), "api": page.get("api", False), "search": page.get("search", False),
        "cpu_ms": page.get("cpu_ms"),
        "response_bytes": page["bytes"], "peak_rss_mib": peak[0] / 2**20,
        "queued_after_s": round(drain(server), 1),
    }
    p99 = f"{row['p99_ms']:7.1f} ms" if stats["requests"] else f"> {DURATION} s  "
    log(f"  {label:>5} {page['name']:<48} {row['rps']:8.1f} req/s  p99 {p99}"
        f"  {page['queries']:3d} queries  {errors} errors")
    return row


def with_ratios(rows: list[dict]) -> list[dict]:
    """Each page's throughput against the baseline and against its class's anchor, measured on the same server."""
    baseline = next((r["rps"] for r in rows if r["baseline"]), None)
    anchors = {r["login"]: r for r in rows if r["anchor"]}
    for row in rows:
        row["ratio"] = row["rps"] / baseline if baseline else None
        anchor = anchors.get(row["login"])
        row["anchor_ratio"] = row["rps"] / anchor["rps"] if anchor and anchor["rps"] else None
        row["anchor_cpu_ratio"] = (row["cpu_ms"] / anchor["cpu_ms"] if anchor and anchor.get("cpu_ms")
                                   and row.get("cpu_ms") is not None else None)
    return rows


def load_pages(plan: dict, server: Server) -> list[dict]:
    """Every page on one server, one after the other."""
    return with_ratios([measure_page(page, server, "") for page in selected(plan)])


def load_pages_side_by_side(plans: dict[float, dict], servers: dict[float, Server]) -> dict[float, list[dict]]:
    """Every page at every scale back to back, each scale on its own server (all up, only one loaded at a
    time); the scales' order alternates from page to page, so neither is always measured first."""
    scales = list(plans)
    at_scale = {scale: {page["name"]: page for page in plans[scale]["pages"]} for scale in scales}
    rows: dict[float, list[dict]] = {scale: [] for scale in scales}
    for index, page in enumerate(selected(plans[scales[0]])):
        for scale in scales if index % 2 == 0 else scales[::-1]:
            if (same := at_scale[scale].get(page["name"])) is not None:
                rows[scale].append(measure_page(same, servers[scale], f"{scale:g}x"))
    return {scale: with_ratios(scale_rows) for scale, scale_rows in rows.items()}


def machine() -> dict:
    cpu = "unknown"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        memory = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read()).group(1)) * 1024
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    versions = {tool: f"{tool} {metadata.version(tool)}" for tool in ("gunicorn", "uvicorn", "channels-redis")}
    return {"nproc": os.cpu_count(), "memory_gib": round(memory / 2**30, 1), "cpu": cpu,
            "kernel": platform.release(), "wrk": wrk_version, "commit": commit, **versions}


def redis_neighbours() -> list[str]:
    """Other clients connected to the bench's Redis database. The page cache and the channel layer live in
    it: another process that flushes it (a test suite's cache.clear()) or fills it spoils the run, as it
    did on 3 December. Read before any server of the bench starts, so every client found is foreign."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        return []
    import redis

    client = redis.Redis.from_url(url)
    database = client.connection_pool.connection_kwargs.get("db", 0)
    mine = client.client_id()
    return [f"{entry.get('addr')} ({entry.get('cmd')})" for entry in client.client_list()
            if int(entry.get("db", -1)) == database and int(entry["id"]) != mine]


def loadavg() -> float:
    return os.getloadavg()[0]


# Before a measurement the machine settles: the 1-minute load average under this (the bench's own idle servers
# add nothing), or SETTLE_MAX_S at most.
SETTLE_LOAD = float(os.environ.get("BENCH_SETTLE_LOAD", "0.8"))
SETTLE_MAX_S = int(os.environ.get("BENCH_SETTLE_MAX_S", "120"))


def settle(what: str) -> float:
    """Wait until the work before (generating data, a plan's requests, the kernel writing back what they wrote)
    has stopped sharing the CPUs with what comes next: the first run of this way of measuring, right after the
    10x generation, served the member anchor at 130 req/s where the same servers later served 170-230.
    Returns the seconds waited."""
    started = time.monotonic()
    os.sync()
    while loadavg() > SETTLE_LOAD and time.monotonic() - started < SETTLE_MAX_S:
        time.sleep(5)
    waited = time.monotonic() - started
    log(f"settled before {what} in {waited:.0f} s (load {loadavg():.2f})")
    return waited


class LoadSampler:
    """The machine's 1-minute load average every 10 s for the whole run (other work shares the CPUs)."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.samples: list[tuple[int, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            self.samples.append((round(time.monotonic() - self.started), round(loadavg(), 2)))
            if self._stop.wait(10):
                return

    def stop(self) -> list[tuple[int, float]]:
        self._stop.set()
        self._thread.join()
        return self.samples


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is missing; install Debian's package: apt-get install wrk")
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    if neighbours := redis_neighbours():
        sys.exit(f"bench: {len(neighbours)} other client(s) use the Redis database of REDIS_URL "
                 f"({', '.join(neighbours[:3])}); give the bench a database of its own, e.g. "
                 "REDIS_URL=redis://127.0.0.1:6379/2 (README, Performance)")
    started = time.monotonic()
    backend = "postgresql-redis" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    results: dict = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"), "backend": backend,
        "machine": machine(), "note": NOTE,
        "settings": {"duration_s": DURATION, "warmup_s": WARMUP, "connections": CONNECTIONS,
                     "scales": SCALES, "workers": WORKERS, "pages": PAGE_FILTER},
        "runs": [], "chat": [], "data": {},
    }
    with open("/proc/loadavg") as proc:
        results["load_at_start"] = proc.read().split()[:3]
    sampler = LoadSampler()
    if url := os.environ.get("REDIS_URL"):
        # The database is the bench's alone (checked above): start it empty; each plan then empties its own
        # scale's keys only (bench/prepare.py), as the other scale's server is kept warm beside it.
        import redis

        redis.Redis.from_url(url).flushdb()
    env0 = production_env(database_url(SCALES[0]), SCALES[0])
    log("collectstatic")
    python(["manage.py", "collectstatic", "--noinput", "--verbosity=0"], env0)

    envs, plans, plan_paths = {}, {}, {}
    for scale in SCALES:
        env = envs[scale] = production_env(database_url(scale), scale)
        data = ensure_data(scale, env)
        results["data"][f"{scale:g}"] = {"rows": data["rows"], "generation_seconds": round(data["seconds"], 1),
                                         "generation_steps": data.get("steps", {})}
        plan_paths[scale] = WORK / f"plan-{scale_tag(scale)}.json"
        # The plan measures each page's CPU in-process.
        results.setdefault("settled_s", {})[f"{scale:g}x plan"] = round(settle(f"the {scale:g}x plan"))
        python(["-m", "bench.prepare", f"--out={plan_paths[scale]}"], env)
        plans[scale] = json.loads(plan_paths[scale].read_text())
        results["versions"] = plans[scale]["versions"]

    # The first worker count (1) at every scale, side by side: each page at each scale back to back.
    workers = WORKERS[0]
    log(f"{', '.join(f'{s:g}x' for s in SCALES)} data side by side, {workers} gunicorn worker(s) each, "
        f"{CONNECTIONS} connections, {DURATION} s a page")
    results.setdefault("settled_s", {})["measurements"] = round(settle("the measurements"))
    load_before = loadavg()
    servers: dict[float, Server] = {}
    try:
        for scale in SCALES:
            servers[scale] = gunicorn(scale, workers, envs[scale])
        pages = load_pages_side_by_side(plans, servers)
    finally:
        for server in servers.values():
            server.stop()
    load_after = loadavg()
    side_by_side = [{"scale": scale, "workers": workers, "duration_s": DURATION, "load_before": load_before,
                     "load_after": load_after, "side_by_side": True, "pages": pages[scale]} for scale in SCALES]
    results["runs"].append(side_by_side[0])

    # Further worker counts at the main scale alone (reported after its one-worker run, before the other scales).
    scale = SCALES[0]
    for workers in WORKERS[1:]:
        log(f"{scale:g}x data, {workers} gunicorn worker(s), {CONNECTIONS} connections, {DURATION} s a page")
        load_before = loadavg()
        server = gunicorn(scale, workers, envs[scale])
        try:
            pages_alone = load_pages(plans[scale], server)
        finally:
            server.stop()
        results["runs"].append({"scale": scale, "workers": workers, "duration_s": DURATION,
                                "load_before": load_before, "load_after": loadavg(), "pages": pages_alone})
    results["runs"] += side_by_side[1:]
    if CHAT_CLIENTS:
        log(f"chat: {', '.join(map(str, CHAT_CLIENTS))} clients, {chat.RATE:g} messages/s for {chat.SECONDS:g} s")
        results["chat"] = load_chat(plan_paths[scale], envs[scale])

    if os.environ.get("BENCH_MAIL", "1") != "0":
        results["mail"] = mail.main()

    results["load_samples"] = sampler.stop()
    results["seconds"] = round(time.monotonic() - started)
    (RESULTS / f"{backend}.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / f"{backend}.md").write_text(report.markdown(results))
    log(f"done in {results['seconds']} s: bench/results/{backend}.md")


if __name__ == "__main__":
    main()
