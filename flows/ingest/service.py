"""The ingest step as one plain function: load the inbox, check quality, reconcile, record the run.

The Prefect flow wraps this; tests call it directly.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass

from ..home import Home
from ..warehouse import connect, ensure_schema
from .load import IngestSummary, Loader, ReconciliationError, new_run_id
from .reconcile import reconcile

log = logging.getLogger(__name__)


@dataclass
class IngestResult:
    run_id: str
    files_seen: int
    files_loaded: int
    files_rejected: int
    files_duplicate: int
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    expectations_total: int
    expectations_failed: int
    register_problems: int
    rejected_files: list[tuple[str, int, str | None]]

    def as_dict(self) -> dict:
        return asdict(self)


def run_ingest(home: Home, run_id: str | None = None, validate: bool = True,
               progress: Callable[[str], None] | None = None, command: str = "ingest") -> IngestResult:
    """Ingest the inbox of `home`. The caller holds the home's lock."""
    home.ensure()
    run_id = run_id or new_run_id()
    con = connect(home)
    try:
        ensure_schema(con)
        con.execute("update meta.runs set status = 'interrupted' where status = 'running'")
        con.execute(
            "insert into meta.runs (run_id, command, started_at, status) values (?, ?, ?, 'running')",
            [run_id, command, dt.datetime.now()],
        )
        summary: IngestSummary = Loader(home, con, run_id, progress).run()
        outcomes = []
        if validate:
            if progress:
                progress("Tarkistetaan aineiston laatu (Great Expectations)")
            from expectations.runner import validate_run

            outcomes = validate_run(con, run_id)
        mismatches = reconcile(con)
        status = "ok" if not mismatches else "failed"
        message = None
        if mismatches:
            message = "; ".join(
                f"{m.file_name}: luettu {m.rows_read}, ladattu {m.rows_in_tables}, "
                f"karanteenissa {m.rows_in_quarantine}" for m in mismatches[:5]
            )
        con.execute(
            """update meta.runs set finished_at = ?, status = ?, files_seen = ?, files_loaded = ?,
               files_rejected = ?, files_duplicate = ?, rows_read = ?, rows_loaded = ?,
               rows_quarantined = ?, reconciled = ?, message = ? where run_id = ?""",
            [dt.datetime.now(), status, summary.files_seen, summary.files_loaded,
             summary.files_rejected, summary.files_duplicate, summary.rows_read,
             summary.rows_loaded, summary.rows_quarantined, not mismatches, message, run_id],
        )
        if mismatches:
            raise ReconciliationError("Rivimäärät eivät täsmää: " + message)
    except BaseException:
        with contextlib.suppress(Exception):  # the connection itself may be what failed
            con.execute("update meta.runs set status = 'failed', finished_at = ? where run_id = ? "
                        "and status = 'running'", [dt.datetime.now(), run_id])
        raise
    finally:
        con.close()
    return IngestResult(
        run_id=run_id, files_seen=summary.files_seen, files_loaded=summary.files_loaded,
        files_rejected=summary.files_rejected, files_duplicate=summary.files_duplicate,
        rows_read=summary.rows_read, rows_loaded=summary.rows_loaded,
        rows_quarantined=summary.rows_quarantined,
        expectations_total=len(outcomes),
        expectations_failed=sum(1 for o in outcomes if not o.success),
        register_problems=summary.register_problems,
        rejected_files=[(v.file_name, v.rows_quarantined, v.problem_fi)
                        for v in summary.verdicts if v.rejected],
    )
