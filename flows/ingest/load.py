"""Loading the inbox into the warehouse: atomic per file, in file-name order, losing nothing.

Files are taken in lexicographic order of their names. Consecutive files are loaded in batches,
one transaction per batch; inside a batch, the parts of the same layout (kind, header,
delimiter) are read and checked by one DuckDB query. That keeps the fixed cost per small monthly
delivery low while every file stays all-or-nothing. Because batches are runs of consecutive
files, what is committed is always a prefix of the name-ordered inbox, so a run killed half-way
and run again keeps the name order of supersession.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..formats.reader import (
    FileProblem,
    Prepared,
    data_row_numbers,
    prepare,
    sha256_of,
)
from ..formats.spec import HETU, Kind
from ..formats.validate_sql import age_on, q
from ..home import Home
from ..pseudonym import load_key, pseudonymise
from ..warehouse import LINEAGE, executemany, raw_columns
from .batch import BatchItem, batch_counts, parse_batch, rejected_cells
from .register import load_register
from .report import FileVerdict, render

log = logging.getLogger(__name__)
BATCH_BYTES = 64 * 1024 * 1024
BATCH_FILES = int(os.environ.get("VALVONTA_BATCH_FILES", "200"))


class ReconciliationError(RuntimeError):
    """Rows read did not equal rows loaded plus rows quarantined: the load is rolled back."""


@dataclass
class IngestSummary:
    run_id: str
    files_seen: int = 0
    files_loaded: int = 0
    files_rejected: int = 0
    files_duplicate: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    verdicts: list[FileVerdict] = field(default_factory=list)
    register_problems: int = 0

    def add(self, verdict: FileVerdict) -> None:
        self.verdicts.append(verdict)
        self.rows_read += verdict.rows_read
        self.rows_loaded += verdict.rows_loaded
        self.rows_quarantined += verdict.rows_quarantined
        if verdict.problem_fi:
            self.files_rejected += 1
        else:
            self.files_loaded += 1


@dataclass
class Pending:
    path: Path
    prepared: Prepared
    load_seq: int


def new_run_id() -> str:
    # underscores: a run id must never look like an identity code to a leak scanner
    return dt.datetime.now().strftime("%Y%m%d_%H%M%S") + "_" + uuid.uuid4().hex[:6]


def _atomic_copy(data: bytes, target: Path) -> None:
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def _report_path(home: Home, file_name: str, sha: str) -> Path:
    return home.quarantine / f"{sha[:12]}_{file_name}.raportti.txt"


class Loader:
    """One ingest run against one warehouse connection."""

    def __init__(self, home: Home, con: duckdb.DuckDBPyConnection, run_id: str,
                 progress: Callable[[str], None] | None = None, require_register: bool = True,
                 key: bytes | None = None):
        self.home, self.con, self.run_id = home, con, run_id
        self.require_register = require_register
        self.register_table: str | None = "_register"
        self.progress = progress or (lambda _msg: None)
        self.key = key or load_key(home.secrets)
        self.summary = IngestSummary(run_id)
        self.now = dt.datetime.now()

    # -- the run -------------------------------------------------------------------------
    def run(self) -> IngestSummary:
        if self.require_register or self.home.providers_csv.exists():
            self.summary.register_problems = load_register(self.con, self.home, self.run_id)
        else:
            self.register_table = None  # a provider's own check: no county register at hand
        files = sorted(
            (p for p in self.home.inbox.iterdir() if p.is_file() and not p.name.startswith(".")),
            key=lambda p: p.name,
        )
        self.summary.files_seen = len(files)
        known = {r[0] for r in self.con.execute("select file_id from meta.files").fetchall()}
        seq = self.con.execute("select coalesce(max(load_seq), 0) from meta.files").fetchone()[0]
        pending: list[Pending] = []
        pending_bytes = 0
        for index, path in enumerate(files, start=1):
            data = path.read_bytes()
            sha = sha256_of(data)
            if sha in known:
                self.summary.files_duplicate += 1
                log.info("identical re-delivery skipped: %s", path.name)
                path.unlink()
                continue
            known.add(sha)
            _atomic_copy(data, self.home.archive / f"{sha}{path.suffix.lower()}")
            seq += 1
            try:
                prepared = prepare(path, data, self.home.work)
            except FileProblem as problem:
                # nothing of it is loaded, so committing it ahead of the pending batch keeps
                # the name order of everything that is loaded
                self._reject_file(path, data, sha, seq, problem)
                continue
            pending.append(Pending(path, prepared, seq))
            pending_bytes += len(data)
            if pending_bytes >= BATCH_BYTES or len(pending) >= BATCH_FILES:
                self._flush(pending)
                pending, pending_bytes = [], 0
            if index % 100 == 0 or index == len(files):
                self.progress(f"Luettu {index}/{len(files)} tiedostoa")
        self._flush(pending)
        return self.summary

    # -- whole files rejected ----------------------------------------------------------
    def _reject_file(self, path: Path, data: bytes, sha: str, seq: int, problem: FileProblem) -> None:
        rows = data_row_numbers(path, data)
        verdict = FileVerdict(path.name, sha, rows_read=len(rows), rows_quarantined=len(rows),
                              problem_fi=problem.message_fi)
        self.con.begin()
        self._insert_file_row(verdict, seq, status="rejected", provider=None,
                              problem_code=problem.code, encoding=None, kinds=[])
        if rows:
            executemany(self.con,
                "insert into meta.quarantine values (?, ?, ?, ?, null, null, null, ?, ?, null, ?)",
                [(sha, path.name, sheet, row, problem.code, problem.message_fi, self.run_id)
                 for sheet, row in rows],
            )
        self.con.commit()
        _atomic_copy(data, self.home.quarantine / f"{sha[:12]}_{path.name}")
        self._finish_file(path, verdict)

    # -- batches of loadable files ------------------------------------------------------
    def _flush(self, pending: list[Pending]) -> None:
        if not pending:
            return
        self.con.begin()
        try:
            verdicts = self._load(pending)
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise
        for item, verdict in zip(pending, verdicts, strict=True):
            self._finish_file(item.path, verdict)
            work_copy = item.prepared.parts[0].csv_path
            if work_copy is not None and work_copy.parent == self.home.work:
                work_copy.unlink(missing_ok=True)
        log.info("batch committed: %d files", len(pending))

    def _load(self, pending: list[Pending]) -> list[FileVerdict]:
        con = self.con
        con.execute("create or replace temp table _keys (key varchar, file_id varchar, "
                    "file_name varchar, sheet varchar, load_seq bigint)")
        items_by_layout: dict[tuple, list[BatchItem]] = {}
        key_rows = []
        for item in pending:
            for part in item.prepared.parts:
                key = f"{item.prepared.sha256}|{part.sheet or ''}"
                key_rows.append((key, item.prepared.sha256, item.path.name, part.sheet, item.load_seq))
                items_by_layout.setdefault(part.layout, []).append(BatchItem(key, part))
        executemany(con, "insert into _keys values (?, ?, ?, ?, ?)", key_rows)

        counts: dict[str, tuple[int, int]] = {}
        rejections: dict[str, list[tuple]] = {}
        providers: dict[str, str] = {}
        for items in items_by_layout.values():
            kind = items[0].part.kind
            parse_batch(con, items, self.register_table)
            part_counts = batch_counts(con)
            counts.update(part_counts)
            for key, p in con.execute(
                "select _file, mode(t_provider_id) from _parsed where len(_errors) = 0 group by _file"
            ).fetchall():
                providers[key] = p
            for row in rejected_cells(con):
                rejections.setdefault(row[0], []).append(row)
            self._insert_raw(kind)
            self._verify_loaded(kind, part_counts)
            con.execute("drop table _parsed")

        verdicts = []
        for item in pending:
            prepared = item.prepared
            verdict = FileVerdict(item.path.name, prepared.sha256, encoding=prepared.encoding,
                                  delimiter=prepared.parts[0].delimiter if prepared.parts[0].csv_path else None,
                                  notes=list(prepared.notes))
            provider = None
            for part in prepared.parts:
                key = f"{prepared.sha256}|{part.sheet or ''}"
                read, bad = counts.get(key, (0, 0))
                verdict.kinds.append(part.kind.label_fi)
                verdict.rows_read += read
                verdict.rows_quarantined += bad
                verdict.notes += [f"{part.sheet}: {n}" if part.sheet else n for n in part.notes]
                provider = provider or providers.get(key)
                for _, row, _pid, column, _rule, reason, value in rejections.get(key, []):
                    verdict.rejections.append((part.sheet, row, column, value, reason))
                con.execute(
                    "insert into meta.file_parts values (?, ?, ?, ?, ?, ?)",
                    [prepared.sha256, part.sheet, part.kind.name, read, read - bad, bad],
                )
                if rejections.get(key):
                    executemany(con,
                        "insert into meta.quarantine values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [(prepared.sha256, item.path.name, part.sheet, row, part.kind.name, pid,
                          column, rule, reason, value, self.run_id)
                         for _, row, pid, column, rule, reason, value in rejections[key]],
                    )
            verdict.rows_loaded = verdict.rows_read - verdict.rows_quarantined
            status, code = ("loaded_with_rejections" if verdict.rows_quarantined else "loaded"), None
            if verdict.rows_read == 0:
                # A header and nothing else: the file is rejected whole (no rows to count).
                verdict.problem_fi = FileProblem("no_data_rows").message_fi
                status, code = "rejected", "no_data_rows"
            self._insert_file_row(verdict, item.load_seq, status=status, provider=provider,
                                  problem_code=code, encoding=prepared.encoding,
                                  kinds=[p.kind.name for p in prepared.parts])
            if verdict.notes:
                executemany(con, "insert into meta.file_notes values (?, null, ?)",
                                [(prepared.sha256, n) for n in verdict.notes])
            verdicts.append(verdict)
        return verdicts

    def _insert_raw(self, kind: Kind) -> None:
        con = self.con
        hetu = next((c for c in kind.columns if c.type == HETU), None)
        join = ""
        if hetu is not None:
            codes = [r[0] for r in con.execute(
                f"select distinct {q('t_' + hetu.name)} from _parsed where len(_errors) = 0"
            ).fetchall()]
            con.execute("create or replace temp table _pseudonyms (code varchar, pseudonym varchar)")
            if codes:
                import pyarrow as pa

                table = pa.table({"code": codes,
                                  "pseudonym": [pseudonymise(self.key, c) for c in codes]})
                con.register("_pseudonym_arrow", table)
                con.execute("insert into _pseudonyms select * from _pseudonym_arrow")
                con.unregister("_pseudonym_arrow")
            join = f"left join _pseudonyms m on m.code = p.{q('t_' + hetu.name)}"
        selects = []
        for name, _type in raw_columns(kind):
            if name == "client_pseudonym":
                selects.append("m.pseudonym")
            elif name == "client_sex":
                selects.append("case when cast(substr(p.t_client_hetu, 8, 3) as integer) % 2 = 1 "
                               "then 'M' else 'N' end")
            elif name == "client_age_at_start":
                selects.append(age_on("p._birth_date", "p.t_start_date"))
            else:
                selects.append(f"p.{q('t_' + name)}")
        columns = ", ".join(q(n) for n, _ in raw_columns(kind)) + ", " + ", ".join(n for n, _ in LINEAGE)
        con.execute(
            f"""
            insert into raw.{kind.name} ({columns})
            select {", ".join(selects)}, k.file_id, k.file_name, k.sheet, p._row, k.load_seq,
                ?, ?::timestamp
            from _parsed p
            join _keys k on k.key = p._file
            {join}
            where len(p._errors) = 0
            """,
            [self.run_id, self.now],
        )

    def _verify_loaded(self, kind: Kind, part_counts: dict[str, tuple[int, int]]) -> None:
        """Rows read = rows loaded + rows quarantined, checked against what really landed."""
        # The batch's load_seq range lets DuckDB skip every older row group by its zone map.
        low, high = self.con.execute("select min(load_seq), max(load_seq) from _keys").fetchone()
        landed = dict(self.con.execute(
            f"""
            select k.key, count(r._row)
            from _keys k left join (
                select _file_id, _sheet, _row from raw.{kind.name}
                where _load_seq between ? and ? and _run_id = ?
            ) r on r._file_id = k.file_id and r._sheet is not distinct from k.sheet
            where k.key in (select distinct _file from _parsed)
            group by k.key
            """,
            [low, high, self.run_id],
        ).fetchall())
        for key, (read, bad) in part_counts.items():
            if landed.get(key, 0) != read - bad:
                raise ReconciliationError(
                    f"file {key.split('|')[0][:12]}: read {read}, quarantined {bad}, "
                    f"loaded {landed.get(key, 0)}"
                )

    def _insert_file_row(self, verdict: FileVerdict, seq: int, status: str, provider: str | None,
                         problem_code: str | None, encoding: str | None, kinds: list[str]) -> None:
        self.con.execute(
            "insert into meta.files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [verdict.sha256, verdict.file_name, None, ",".join(kinds), status, verdict.rows_read,
             verdict.rows_loaded, verdict.rows_quarantined, seq, self.run_id, self.now, encoding,
             provider, problem_code, verdict.problem_fi],
        )

    def _finish_file(self, path: Path, verdict: FileVerdict) -> None:
        if verdict.rejected:
            report = _report_path(self.home, path.name, verdict.sha256)
            report.write_text(render(verdict, self.now), encoding="utf-8")
            if verdict.problem_fi and not (self.home.quarantine / f"{verdict.sha256[:12]}_{path.name}").exists():
                shutil.copyfile(self.home.archive / f"{verdict.sha256}{path.suffix.lower()}",
                                self.home.quarantine / f"{verdict.sha256[:12]}_{path.name}")
        self.summary.add(verdict)
        path.unlink(missing_ok=True)


__all__ = ["Loader", "IngestSummary", "ReconciliationError", "new_run_id"]
