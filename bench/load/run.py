"""The load test, start to finish: a throw-away PostgreSQL database with the demo company, accounts
for a sample of its people, gunicorn with 4 workers, locust headless with the working-day
scenario (locustfile.py), a per-endpoint table of requests, rps, p50/p95/p99 and errors.
Exits 1 on any error (and when --p95-budget is given and the overall p95 is over it). The
database and the server are removed whatever happens.

    .venv/bin/python bench/load/run.py                 # 100 users, 5 minutes, 5,000 employees
    .venv/bin/python bench/load/run.py --smoke         # 20 users, 30 seconds, 500 employees
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BIN = Path(sys.executable).parent
DEFAULT_PG = os.environ.get("LOAD_PG_URL", "postgres://postgres@127.0.0.1:5432")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100, help="concurrent users (default 100)")
    parser.add_argument("--spawn-rate", type=float, default=2,
                        help="users started per second (default 2: each one signs in, and a "
                             "sign-in hashes a password on purpose slowly)")
    parser.add_argument("--duration", default="5m", help="locust --run-time (default 5m)")
    parser.add_argument("--employees", type=int, default=5000,
                        help="size of the demo company (default 5000)")
    parser.add_argument("--accounts", type=int, default=300,
                        help="plain employees given an account (default 300; leaders and HR "
                             "people are added: up to 80 and 20)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"],
                        help="gunicorn worker class (default gthread, see README)")
    parser.add_argument("--threads", type=int, default=2,
                        help="threads per gthread worker (default 2)")
    parser.add_argument("--p95-budget", type=float, default=None, metavar="MS",
                        help="also fail when the overall p95 is over MS milliseconds")
    parser.add_argument("--csv-dir", type=Path, default=None,
                        help="keep locust's CSV files and the server log here")
    parser.add_argument("--pg-url", default=DEFAULT_PG,
                        help="PostgreSQL server, without database (default %(default)s)")
    parser.add_argument("--nice", type=int, default=0,
                        help="run gunicorn and locust at this niceness (negative needs root): "
                             "-10 approximates a dedicated machine on a shared one")
    parser.add_argument("--query-counts", action="store_true",
                        help="before the load, print the SQL queries and time of one request "
                             "to each endpoint (probe.py)")
    parser.add_argument("--smoke", action="store_true",
                        help="CI form: 20 users, 30 s, 500 employees, 5 users/s")
    args = parser.parse_args(argv)
    if args.smoke:
        args.users, args.duration, args.employees, args.spawn_rate = 20, "30s", 500, 5
        args.accounts = min(args.accounts, 60)
    return args


# -- the throw-away database --------------------------------------------------------------------

def _sql(database_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(sql)


def create_database(pg_url: str, name: str) -> None:
    _sql(f"{pg_url}/postgres", f'CREATE DATABASE "{name}"')


def drop_database(pg_url: str, name: str) -> None:
    _sql(f"{pg_url}/postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url: str, data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "TANDEM_INSECURE_HTTP": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TANDEM_DATA_DIR": data_dir,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    })
    return env


def query_counts(env: dict[str, str], accounts: Path) -> None:
    code = ("import django, sys; django.setup(); from bench.load.probe import main; "
            "main(sys.argv[1])")
    subprocess.run([sys.executable, "-c", code, str(accounts)], env=env, cwd=ROOT, check=True)


def prepare(env: dict[str, str], employees: int, accounts: int, out: Path) -> None:
    """Migrate, seed, create the accounts: in a child process, so that this one never holds a
    connection to the database it is going to drop."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    started = time.perf_counter()
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    # No payroll history: the load scenario does not read it, and it would slow the set-up.
    subprocess.run([*manage, "seed_demo", "--employees", str(employees), "--no-payroll"],
                   env=env, cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    code = (
        "import django, json, sys; django.setup();"
        "from bench.load.accounts import create_load_accounts;"
        f"data = create_load_accounts(employees={accounts}, leads=80, hr=20);"
        "json.dump(data, open(sys.argv[1], 'w'));"
        "print({k: len(v) for k, v in data.items() if k != 'meta'})"
    )
    subprocess.run([sys.executable, "-c", code, str(out)], env=env, cwd=ROOT, check=True)
    # Planner statistics, as autovacuum would have them for a database in use: right after a
    # bulk load they are missing and PostgreSQL guesses 4 rows where there are 5,000.
    _sql(env["DATABASE_URL"], "ANALYZE")
    print(f"prepared in {time.perf_counter() - started:.0f} s", flush=True)


# -- gunicorn ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _niced(args) -> list[str]:
    return ["nice", "-n", str(args.nice)] if args.nice else []


def _renice_session(args, pid: int) -> None:
    """With the scheduler's autogroups (one per session), niceness counts only inside the
    session: the session of `pid` gets the niceness too."""
    path = Path(f"/proc/{pid}/autogroup")
    if args.nice and path.exists():
        path.write_text(str(args.nice))


def start_server(args, env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [*_niced(args), str(BIN / "gunicorn"), "tandem.wsgi:application",
               "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
               "--worker-class", args.worker_class, "--backlog", "2048",
               # longer than a simulated user's pause (1-5 s): a connection that the server
               # closes while the client sends on it fails a PATCH (which is not retried)
               "--keep-alive", "10",
               "--error-logfile", "-", "--log-level", "warning"]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    handle = open(log, "w")  # noqa: SIM115 (closed with the process)
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT,
                              start_new_session=True)
    _renice_session(args, server.pid)
    url = f"http://127.0.0.1:{port}/login/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local URL)
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {url} within 60 s; see {log}")


def stop_server(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# -- locust and its figures ---------------------------------------------------------------------

def _cpu_seconds(processes) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def _busy_seconds() -> float:
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0)


class CpuAccount:
    """Where the machine's CPU went during the run: the server (gunicorn), its PostgreSQL
    backends, locust, and everything else (other work on a shared machine skews the figures)."""

    def __init__(self, server: subprocess.Popen, database: str):
        self.server, self.database = psutil.Process(server.pid), database
        self.start = (_busy_seconds(), self._server(), self._postgres(),
                      resource.getrusage(resource.RUSAGE_CHILDREN))

    def _server(self) -> float:
        return _cpu_seconds([self.server, *self.server.children(recursive=True)])

    def _postgres(self) -> float:
        backends = []
        for process in psutil.process_iter(["cmdline"]):
            cmdline = " ".join(process.info["cmdline"] or [])
            if cmdline.startswith("postgres:") and f" {self.database} " in cmdline:
                backends.append(process)
        return _cpu_seconds(backends)

    def finish(self) -> dict[str, float]:
        """CPU seconds by part; call after locust has exited, before the server stops."""
        busy, server, postgres, children = self.start
        now = resource.getrusage(resource.RUSAGE_CHILDREN)
        parts = {
            "gunicorn": self._server() - server,
            # backends that closed during the run are missed: CONN_MAX_AGE keeps them open
            "postgres": self._postgres() - postgres,
            "locust": now.ru_utime + now.ru_stime - children.ru_utime - children.ru_stime,
        }
        parts["other"] = max(0.0, _busy_seconds() - busy - sum(parts.values()))
        return parts


def run_locust(args, host: str, accounts: Path, prefix: Path) -> float:
    command = [*_niced(args), str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless",
               "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.duration,
               "--host", host, "--csv", str(prefix), "--only-summary",
               "--stop-timeout", "10", "--exit-code-on-error", "0", "--loglevel", "WARNING"]
    env = dict(os.environ, LOAD_ACCOUNTS=str(accounts))
    print("$ locust " + " ".join(command[command.index("-f"):]), flush=True)
    started = time.perf_counter()
    locust = subprocess.Popen(command, env=env, cwd=HERE, stdout=subprocess.DEVNULL,
                              start_new_session=True)
    _renice_session(args, locust.pid)
    try:
        if locust.wait() != 0:
            raise subprocess.CalledProcessError(locust.returncode, command)
    except BaseException:
        locust.kill()
        raise
    return time.perf_counter() - started


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_failures(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def table(rows: list[dict]) -> str:
    """Markdown table: one line per endpoint, then the totals."""
    head = ("endpoint", "requests", "rps", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    ordered = sorted((r for r in rows if r["Name"] != "Aggregated"),
                     key=lambda r: -int(r["Request Count"]))
    ordered += [r for r in rows if r["Name"] == "Aggregated"]
    for row in ordered:
        name = "**total**" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        cells = (name, row["Request Count"], f"{float(row['Requests/s']):.1f}", row["50%"],
                 row["95%"], row["99%"], f"{float(row['Max Response Time']):.0f}",
                 row["Failure Count"])
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    name = f"tandem_load_{os.getpid()}"
    work = Path(tempfile.mkdtemp(prefix="tandem-load-"))
    out_dir = args.csv_dir or work
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix, log = out_dir / "locust", out_dir / "gunicorn.log"
    env = server_env(f"{args.pg_url}/{name}", str(work / "data"))
    server = None
    created = False
    try:
        create_database(args.pg_url, name)
        created = True
        print(f"database {name}: seeding {args.employees} employees", flush=True)
        prepare(env, args.employees, args.accounts, work / "accounts.json")
        if args.query_counts:
            query_counts(env, work / "accounts.json")
        port = free_port()
        server = start_server(args, env, port, log)
        print(f"gunicorn: {args.workers} {args.worker_class} workers on 127.0.0.1:{port}; "
              f"locust: {args.users} users, {args.spawn_rate}/s, {args.duration}", flush=True)
        cpu = CpuAccount(server, name)
        elapsed = run_locust(args, f"http://127.0.0.1:{port}", work / "accounts.json", prefix)
        cpu_seconds = cpu.finish()
    finally:
        stop_server(server)
        if created:
            drop_database(args.pg_url, name)
    rows = read_stats(prefix)
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print()
    print(table(rows))
    print(f"\nlocust ran {elapsed:.0f} s; {total['Request Count']} requests, "
          f"{float(total['Requests/s']):.1f} rps, p95 {total['95%']} ms, "
          f"{total['Failure Count']} errors")
    requests = max(1, int(total["Request Count"]))
    per_request = 1000 * (cpu_seconds["gunicorn"] + cpu_seconds["postgres"]) / requests
    print(f"CPU seconds over the run ({os.cpu_count()} CPUs x {elapsed:.0f} s = "
          f"{os.cpu_count() * elapsed:.0f} available): "
          + ", ".join(f"{part} {seconds:.0f}" for part, seconds in cpu_seconds.items())
          + f"; server + database {per_request:.1f} ms of CPU per request")
    failed = False
    errors = int(total["Failure Count"])
    if errors:
        failed = True
        print("\nERRORS:")
        for failure in read_failures(prefix):
            print(f"  {failure['Occurrences']} x {failure['Method']} {failure['Name']}: "
                  f"{failure['Error']}")
        print(f"server log: {log}")
    if args.p95_budget is not None and float(total["95%"]) > args.p95_budget:
        failed = True
        print(f"\np95 {total['95%']} ms is over the budget of {args.p95_budget:.0f} ms")
    if args.csv_dir is not None or not failed:  # else the CSV files and the log stay in `work`
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
