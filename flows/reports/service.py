"""`valvonta report`: the packages of one year, written under `<home>/reports/<year>/`.

Plain functions, called by the CLI and by the main job. The data of the year are read once for
all providers; each provider's three files are then written from the same report structure.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..home import Home
from .county import build_county_summary
from .package import build_package
from .render import to_html, write_html, write_pdf, write_xlsx
from .source import ReportSource

log = logging.getLogger(__name__)
FORMATS = ("html", "pdf", "xlsx")


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


def write_report(report, folder: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    html = to_html(report)
    written = []
    if "html" in formats:
        written.append(write_html(html, folder / f"{report.file_stem}.html"))
    if "pdf" in formats:
        written.append(write_pdf(html, folder / f"{report.file_stem}.pdf"))
    if "xlsx" in formats:
        written.append(write_xlsx(report, folder / f"{report.file_stem}.xlsx"))
    return written


def run_reports(home: Home, year: int, provider: str | None = None, as_of: dt.date | None = None,
                county: bool = False, packages: bool = True) -> ReportResult:
    """Write provider packages (all, or one) and, if asked, the county summary and its public variant."""
    as_of = as_of or dt.date.today()
    generated = dt.datetime.now().replace(microsecond=0)
    folder = home.reports / str(year)
    result = ReportResult(year, folder)
    src = ReportSource(home, year)
    try:
        providers = [p for p in src.providers if provider in (None, p["provider_id"])]
        if provider and not providers:
            raise LookupError(f"Palveluntuottajaa {provider} ei ole tietovarastossa.")
        if packages:
            for p in providers:
                started = time.perf_counter()
                result.files += write_report(build_package(src, p, as_of, generated), folder)
                result.seconds_per_package.append(time.perf_counter() - started)
                log.info("package %s %s written", p["provider_id"], year)
            result.providers = len(providers)
        if county:
            result.county = True
            for public in (False, True):
                result.files += write_report(build_county_summary(src, as_of, generated, public), folder)
    finally:
        src.close()
    return result
