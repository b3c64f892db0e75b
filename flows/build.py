"""Running dbt on the warehouse, and keeping every build's test results beside the ingest checks.

dbt runs in a child process (flows/dbt_worker.py): dbt-duckdb keeps state between programmatic
invocations in one process (design.md), and a child process releases the warehouse's write lock
when it ends. `prewarm()` starts that process early, so that importing dbt and parsing the project
(a few seconds, no warehouse needed) overlap the ingest; `build()` then only runs the models.
flows/build_plan.py decides how much a build must do. Everything dbt writes (target/, logs/) goes
under <home>/dbt/.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import selectors
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .build_plan import BuildPlan, plan_build, record_end, record_start
from .home import PROJECT_ROOT, Home
from .warehouse import connect, ensure_schema, executemany

DBT_PROJECT = PROJECT_ROOT / "dbt"
RESULTS_DDL = """
create table if not exists meta.dbt_results (
    run_id varchar,
    unique_id varchar,
    resource_type varchar,
    name varchar,
    status varchar,
    failures bigint,
    message varchar,
    execution_seconds double,
    built_at timestamp
)
"""


class BuildFailed(RuntimeError):
    """dbt build did not succeed; the published copy is left as it was."""


@dataclass
class BuildResult:
    run_id: str
    seconds: float
    models: int = 0
    tests: int = 0
    seeds: int = 0
    failed: list[str] = field(default_factory=list)
    warned: list[str] = field(default_factory=list)
    mode: str = "full"
    reason: str = ""

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict:
        return {"run_id": self.run_id, "seconds": self.seconds, "models": self.models,
                "tests": self.tests, "seeds": self.seeds, "failed": self.failed, "warned": self.warned,
                "mode": self.mode, "reason": self.reason}


def dbt_env(home: Home, project: Path = DBT_PROJECT) -> dict[str, str]:
    env = {**os.environ, "VALVONTA_WAREHOUSE": str(home.warehouse), "DBT_PROFILES_DIR": str(project),
           "DBT_TARGET_PATH": str(home.root / "dbt" / "target"), "DBT_LOG_PATH": str(home.root / "dbt" / "logs"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
    return env


def run_dbt(home: Home, *args: str, as_of: dt.date | None = None,
            project: Path = DBT_PROJECT) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "dbt.cli.main", *args, "--project-dir", str(project)]
    if as_of is not None:
        command += ["--vars", json.dumps({"as_of": as_of.isoformat()})]
    return subprocess.run(command, cwd=project, env=dbt_env(home, project), capture_output=True, text=True)


class DbtWorker:
    """A started flows.dbt_worker process: loading dbt and parsing until `ready`, then one command."""

    def __init__(self, home: Home, project: Path, as_of: dt.date) -> None:
        self.project, self.as_of = project, as_of
        log_dir = home.root / "dbt" / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        self.console = tempfile.NamedTemporaryFile(  # noqa: SIM115 - lives as long as the worker
            "w+", prefix="console-", suffix=".log", dir=log_dir, delete=False)
        self.last_log = log_dir / "last-build.log"
        # dbt's own file log at debug level (every statement of every node) costs a build ~15 %;
        # the console output kept as last-build.log says what ran and what failed. Set
        # DBT_LOG_LEVEL_FILE=debug to get dbt.log back when hunting a problem.
        env = {"DBT_LOG_LEVEL_FILE": "none", "DBT_USE_COLORS": "false", **dbt_env(home, project)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flows.dbt_worker", str(project), json.dumps({"as_of": as_of.isoformat()})],
            cwd=PROJECT_ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.console, text=True)
        atexit.register(self.stop)
        self._ready = False

    def matches(self, project: Path, as_of: dt.date) -> bool:
        return self.process.poll() is None and self.project == project and self.as_of == as_of

    def wait_ready(self, timeout: float = 300.0) -> bool:
        """Blocks until dbt is loaded and the project parsed; False if the process ended first."""
        if not self._ready:
            with selectors.DefaultSelector() as selector:
                selector.register(self.process.stdout, selectors.EVENT_READ)
                if selector.select(timeout):
                    self._ready = self.process.stdout.readline().strip() == "ready"
        return self._ready

    def run(self, args: list[str]) -> tuple[int, str]:
        """Runs one dbt command; returns its exit code and the tail of dbt's console output."""
        try:
            self.process.stdin.write(json.dumps(args) + "\n")
            self.process.stdin.close()
        except BrokenPipeError:  # the worker died before the command; its exit code says so
            pass
        code = self.process.wait()
        self.console.seek(0)
        tail = "\n".join(self.console.read().splitlines()[-15:])
        self.console.close()
        Path(self.console.name).replace(self.last_log)
        self._close()
        return code, tail

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._close()

    def _close(self) -> None:
        atexit.unregister(self.stop)
        for stream in (self.process.stdin, self.process.stdout):
            if stream and not stream.closed:
                stream.close()
        self.console.close()
        Path(self.console.name).unlink(missing_ok=True)


_warm: dict[Path, DbtWorker] = {}


def prewarm(home: Home, as_of: dt.date | None = None, project: Path = DBT_PROJECT) -> DbtWorker:
    """Starts the dbt process for the next build() on this home now (it does not touch the warehouse);
    keeps one already started for the same project and date."""
    as_of = as_of or dt.date.today()
    worker = _warm[home.root] = _take_warm(home, project, as_of) or DbtWorker(home, project, as_of)
    return worker


def _take_warm(home: Home, project: Path, as_of: dt.date) -> DbtWorker | None:
    """The prewarmed worker of this home if it was started for this project and date; one that was
    not is stopped."""
    worker = _warm.pop(home.root, None)
    if worker is not None and not worker.matches(project, as_of):
        worker.stop()
        return None
    return worker


def build(home: Home, run_id: str, select: str | None = None, as_of: dt.date | None = None,
          project: Path = DBT_PROJECT, full_refresh: bool = False) -> BuildResult:
    """`dbt build` on the warehouse, as much of it as flows/build_plan.py finds necessary (or just
    `select`, when given); results stored in meta.dbt_results, the plan in meta.build_state.

    `project` lets a county (or a test) build with its own copy of the seeds."""
    started = dt.datetime.now()
    as_of = as_of or dt.date.today()
    con = connect(home)
    try:
        ensure_schema(con)
        con.execute(RESULTS_DDL)
        plan = plan_build(con, project, as_of, full_refresh)
        if select:
            plan = BuildPlan("selected", f"valittu osa: {select}", fingerprint=plan.fingerprint,
                             sources=plan.sources, as_of=as_of)
        if plan.mode != "none":
            record_start(con, run_id, plan)
    finally:
        con.close()
    result = BuildResult(run_id, 0.0, mode=plan.mode, reason=plan.reason)
    if plan.mode == "none":
        unused = _take_warm(home, project, as_of)
        if unused is not None:
            unused.stop()
        result.seconds = (dt.datetime.now() - started).total_seconds()
        return result
    args = ["build", "--select", select] if select else plan.dbt_args()
    code, tail = (_take_warm(home, project, as_of) or DbtWorker(home, project, as_of)).run(args)
    results_file = home.root / "dbt" / "target" / "run_results.json"
    result.seconds = (dt.datetime.now() - started).total_seconds()
    rows = []
    if results_file.exists() and results_file.stat().st_mtime >= started.timestamp() - 1:
        payload = json.loads(results_file.read_text(encoding="utf-8"))
        for item in payload.get("results", []):
            unique_id = item["unique_id"]
            resource = unique_id.split(".")[0]
            status = item["status"]
            result.models += resource == "model"
            result.tests += resource in ("test", "unit_test")
            result.seeds += resource == "seed"
            if status in ("error", "fail", "runtime error"):
                result.failed.append(unique_id)
            elif status == "warn":
                result.warned.append(unique_id)
            # test.<project>.<name>.<hash>; model.<project>.<name>; unit_test.<project>.<model>.<name>
            name = unique_id.split(".")[2] if resource == "test" else unique_id.split(".")[-1]
            rows.append((run_id, unique_id, resource, name, status,
                         item.get("failures"), (item.get("message") or "")[:500],
                         item.get("execution_time"), dt.datetime.now()))
    ok = code == 0 and bool(rows)
    con = connect(home)
    try:
        executemany(con, "insert into meta.dbt_results values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        # a build of a chosen part says nothing about the rest: the next planned build is full
        record_end(con, run_id, "ok" if ok and plan.mode != "selected" else ("partial" if ok else "failed"))
    finally:
        con.close()
    if not ok:
        raise BuildFailed(f"dbt build epäonnistui ({len(result.failed)} virhettä):\n{tail}")
    return result


def mart_rows(home: Home) -> dict[str, list]:
    """Every mart's rows, without the incremental models' build marks: what an incremental build
    must leave exactly as a full rebuild would."""
    con = connect(home, read_only=True)
    try:
        rows = {}
        for (table,) in con.execute("select table_name from information_schema.tables "
                                    "where table_schema = 'marts' order by 1").fetchall():
            columns = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' "
                "and table_name = ? and column_name <> 'built_load_seq' order by ordinal_position",
                [table]).fetchall()]
            rows[table] = con.execute(f"select {', '.join(columns)} from marts.{table} order by all").fetchall()
        return rows
    finally:
        con.close()


def generate_docs(home: Home) -> Path:
    """The mart catalogue as one self-contained HTML file (works offline): <home>/docs/index.html."""
    done = run_dbt(home, "docs", "generate", "--static")
    static = home.root / "dbt" / "target" / "static_index.html"
    if done.returncode != 0 or not static.exists():
        raise BuildFailed("dbt docs generate epäonnistui:\n" + "\n".join(done.stdout.splitlines()[-10:]))
    target = home.root / "docs" / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(static.read_bytes())
    return target
