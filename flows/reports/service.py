"""`valvonta report`: the packages of one year, written under `<home>/reports/<year>/`.

Plain functions, called by the CLI and by the main job. The data of the year are read once for
all providers; each provider's three files are then written from the same report structure.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..home import Home
from .county import build_county_summary
from .model import Report
from .package import build_package
from .render import to_html, write_html, write_pdf, write_xlsx
from .source import ReportSource

log = logging.getLogger(__name__)


@dataclass
class ReportResult:
    year: int
    folder: Path
    files: list[Path] = field(default_factory=list)
    providers: int = 0
    county: bool = False
    seconds_per_package: list[float] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"year": self.year, "folder": str(self.folder), "files": len(self.files),
                "providers": self.providers, "county": self.county,
                "seconds_per_package": self.seconds_per_package}


def latest_complete_year(today: dt.date | None = None) -> int:
    return (today or dt.date.today()).year - 1


def _timed_pdf(html: str, path: Path) -> float:
    started = time.perf_counter()
    write_pdf(html, path)
    return time.perf_counter() - started


class _Writer:
    """Writes reports; with several to write, PDFs are laid out in worker processes meanwhile.

    WeasyPrint's layout is most of a package's cost and is pure CPU, so on a machine with more
    than one core the next provider's data, HTML and XLSX are made while the last PDF is laid out.
    Workers are spawned (not forked: the parent holds a DuckDB connection and its threads).
    """

    def __init__(self, parallel: bool) -> None:
        workers = min(2, os.cpu_count() or 1)
        self.pool = (ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
                     if parallel and workers > 1 else None)
        self.pending: list[tuple[Future, float, bool]] = []
        self.package_seconds: list[float] = []  # the work of each provider package, PDF included

    def write(self, report: Report, folder: Path, package: bool = True) -> list[Path]:
        started = time.perf_counter()
        folder.mkdir(parents=True, exist_ok=True)
        html = to_html(report)
        pdf = folder / f"{report.file_stem}.pdf"
        written = [write_html(html, folder / f"{report.file_stem}.html"), pdf,
                   write_xlsx(report, folder / f"{report.file_stem}.xlsx")]
        if self.pool is None:
            write_pdf(html, pdf)
            if package:
                self.package_seconds.append(time.perf_counter() - started)
        else:
            self.pending.append((self.pool.submit(_timed_pdf, html, pdf), time.perf_counter() - started, package))
        return written

    def finish(self) -> None:
        """Waits for the pooled PDFs and adds their layout time to their packages'."""
        self.package_seconds += [future.result() + own for future, own, package in self.pending if package]
        self.pending.clear()
        if self.pool is not None:
            self.pool.shutdown()


def run_reports(home: Home, year: int, provider: str | None = None, as_of: dt.date | None = None,
                county: bool = False, packages: bool = True) -> ReportResult:
    """Write provider packages (all, or one) and, if asked, the county summary and its public variant."""
    as_of = as_of or dt.date.today()
    generated = dt.datetime.now().replace(microsecond=0)
    folder = home.reports / str(year)
    result = ReportResult(year, folder)
    src = ReportSource(home, year, provider=provider if not county else None)
    writer = None
    try:
        providers = [p for p in src.providers if provider in (None, p["provider_id"])]
        if provider and not providers:
            raise LookupError(f"Palveluntuottajaa {provider} ei ole tietovarastossa.")
        writer = _Writer(parallel=packages and len(providers) > 2)
        if packages:
            for p in providers:
                result.files += writer.write(build_package(src, p, as_of, generated), folder)
                log.info("package %s %s written", p["provider_id"], year)
            result.providers = len(providers)
        if county:
            result.county = True
            for public in (False, True):
                result.files += writer.write(build_county_summary(src, as_of, generated, public), folder,
                                             package=False)
    finally:
        if writer is not None:
            writer.finish()
            result.seconds_per_package = writer.package_seconds
        src.close()
    return result
