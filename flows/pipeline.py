"""Prefect flows: thin wrappers that add run history, logging and retries to plain functions.

Import this module only after `configure_prefect()` has pointed Prefect at the home.
"""

from __future__ import annotations

from prefect import flow, task

from .build import build, prewarm
from .home import Home
from .ingest.load import new_run_id
from .ingest.service import run_ingest
from .publish import publish


def _progress(message: str) -> None:
    print(message, flush=True)


@task(name="ingest-inbox")
def ingest_task(home_root: str, run_expectations: bool = True) -> dict:
    return run_ingest(Home.resolve(home_root), validate=run_expectations, progress=_progress).as_dict()


@task(name="write-demo-deliveries")
def demo_task(home_root: str, scale: str, seed: int) -> dict:
    from .demo.generator import generate

    summary = generate(Home.resolve(home_root), scale, seed, progress=_progress)
    return {"files": summary.files, "rows": summary.rows, "clients": summary.clients}


@task(name="dbt-build")
def build_task(home_root: str, run_id: str, full_refresh: bool = False) -> dict:
    _progress("Rakennetaan tietovarasto (dbt build)")
    return build(Home.resolve(home_root), run_id, full_refresh=full_refresh).as_dict()


@task(name="publish")
def publish_task(home_root: str, run_id: str) -> str:
    return str(publish(Home.resolve(home_root), run_id))


@task(name="write-reports")
def reports_task(home_root: str, year: int, provider: str | None = None, as_of: str | None = None,
                 county: bool = True) -> dict:
    import datetime as dt

    from .reports.service import run_reports

    _progress(f"Kirjoitetaan vuoden {year} raportit")
    result = run_reports(Home.resolve(home_root), year, provider=provider,
                         as_of=dt.date.fromisoformat(as_of) if as_of else None, county=county)
    return result.as_dict()


@flow(name="valvonta-build", log_prints=True)
def build_flow(home_root: str, full_refresh: bool = False) -> dict:
    prewarm(Home.resolve(home_root))
    run_id = new_run_id()
    result = build_task(home_root, run_id, full_refresh)
    result["published"] = publish_task(home_root, run_id)
    return result


@flow(name="valvonta-ingest", log_prints=True)
def ingest_flow(home_root: str, run_expectations: bool = True) -> dict:
    return ingest_task(home_root, run_expectations)


@flow(name="valvonta-run", log_prints=True)
def run_flow(home_root: str, demo_scale: str | None = None, seed: int = 2025) -> dict:
    """The main job: demo deliveries when there is nothing yet, ingest, build, publish, and the
    packages of the latest complete year with the county summary."""
    from .reports.service import latest_complete_year

    prewarm(Home.resolve(home_root))  # dbt loads while the deliveries are read
    result: dict = {}
    if demo_scale:
        result["demo"] = demo_task(home_root, demo_scale, seed)
    result["ingest"] = ingest_task(home_root)
    result["build"] = build_task(home_root, result["ingest"]["run_id"])
    result["published"] = publish_task(home_root, result["ingest"]["run_id"])
    result["reports"] = reports_task(home_root, latest_complete_year(), county=True)
    return result
