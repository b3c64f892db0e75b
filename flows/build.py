"""Running dbt on the warehouse, and keeping every build's test results beside the ingest checks.

dbt runs as a child process: dbt-duckdb keeps state between programmatic invocations in one
process (design.md), and a child process releases the warehouse's write lock when it ends.
Everything dbt writes (target/, logs/) goes under <home>/dbt/.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

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

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict:
        return {"run_id": self.run_id, "seconds": self.seconds, "models": self.models,
                "tests": self.tests, "seeds": self.seeds, "failed": self.failed, "warned": self.warned}


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


def build(home: Home, run_id: str, select: str | None = None, as_of: dt.date | None = None,
          project: Path = DBT_PROJECT, full_refresh: bool = False) -> BuildResult:
    """`dbt build` (seeds, models, tests) on the warehouse; results stored in meta.dbt_results.

    `project` lets a county (or a test) build with its own copy of the seeds."""
    started = dt.datetime.now()
    args = ["build"] + (["--select", select] if select else []) + (["--full-refresh"] if full_refresh else [])
    done = run_dbt(home, *args, as_of=as_of, project=project)
    results_file = home.root / "dbt" / "target" / "run_results.json"
    result = BuildResult(run_id, (dt.datetime.now() - started).total_seconds())
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
            rows.append((run_id, unique_id, resource, unique_id.split(".")[-1], status,
                         item.get("failures"), (item.get("message") or "")[:500],
                         item.get("execution_time"), dt.datetime.now()))
    con = connect(home)
    try:
        ensure_schema(con)
        con.execute(RESULTS_DDL)
        executemany(con, "insert into meta.dbt_results values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    finally:
        con.close()
    if done.returncode != 0 or not rows:
        tail = "\n".join((done.stdout or "").splitlines()[-15:])
        raise BuildFailed(f"dbt build epäonnistui ({len(result.failed)} virhettä):\n{tail}")
    return result


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
