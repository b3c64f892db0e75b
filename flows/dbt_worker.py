"""A dbt process that gets ready before it is needed: run as `python -m flows.dbt_worker PROJECT VARS`.

Importing dbt and parsing the project take a few seconds and need neither the warehouse nor its
lock, so the pipeline starts this process first and lets it load while the ingest runs. The worker
parses, compiles the macros, writes `ready` on its control channel (the stdout it was given), and
waits for one line on stdin: the dbt command as a JSON list. It runs that command once with the
parsed manifest and exits with 0 (success), 1 (dbt reported failure) or 2 (dbt raised). dbt's own
console output goes to stderr. If stdin closes without a command (the parent died or changed its
mind) it just exits, so it never outlives the run that started it. One command per process:
dbt-duckdb has shown stale state across invocations in one process (design.md), and the exit
releases the warehouse lock.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time


def main(argv: list[str]) -> int:
    project, vars_json = argv[0], argv[1] if len(argv) > 1 else ""
    _exit_with_parent()
    control = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # dbt prints to stdout: send it to the log the parent gave as stderr

    from dbt.cli.main import dbtRunner

    common = ["--project-dir", project] + (["--vars", vars_json] if vars_json else [])
    parsed = dbtRunner().invoke(["parse", *common])
    manifest = parsed.result if parsed.success else None
    if manifest is not None:
        _compile_macros(manifest)
    control.write("ready\n")
    line = sys.stdin.readline()
    if not line.strip():
        return 0
    command = json.loads(line)
    # the parse above wrote manifest.json; writing it again after the build would take 0.1 s more
    result = dbtRunner(manifest=manifest).invoke([command[0], *common, "--no-write-json", *command[1:]])
    if result.result is not None and hasattr(result.result, "write"):
        target = os.environ.get("DBT_TARGET_PATH", os.path.join(project, "target"))
        result.result.write(os.path.join(target, "run_results.json"))
    _close_warehouse()
    if result.exception is not None and result.result is None:
        return 2
    return 0 if result.success else 1


def _compile_macros(manifest) -> None:
    """Jinja compiles a macro the first time a process calls it (dbt keeps the result in a
    process-wide cache), and a build calls a few hundred: materialisations, adapter macros, tests.
    Compiling them all here, while the worker waits for its command, takes that off the build."""
    from dbt_common.clients.jinja import template_cache

    for macro in manifest.macros.values():
        try:
            template_cache.get_node_template(macro)
        except Exception:  # noqa: BLE001 - a macro that does not compile fails where it is called
            continue


def _exit_with_parent() -> None:
    """A run killed mid-way (the crash tests do it) must not leave dbt writing to the warehouse
    behind the next run's back: when the parent is gone, so is this process. What dbt had
    committed stays (DuckDB's WAL); the next build sees this one never finished and builds in full."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(3)

    threading.Thread(target=watch, daemon=True).start()


def _close_warehouse() -> None:
    """Closes dbt-duckdb's connection (DuckDB writes its checkpoint now) before the process ends."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    if DuckDBConnectionManager._ENV is not None:
        DuckDBConnectionManager._ENV.close()


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # the warehouse is closed; skip tearing down dbt's thousands of objects one by one
    os._exit(code)
