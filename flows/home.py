"""The home directory: every input and output of a run lives under it.

`--home DIR` or `VALVONTA_HOME` chooses it; the default is `data/` beside the project.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class BusyError(RuntimeError):
    """Another run holds the home's lock."""


@dataclass(frozen=True)
class Home:
    root: Path

    @classmethod
    def resolve(cls, home: str | os.PathLike | None = None) -> Home:
        chosen = home or os.environ.get("VALVONTA_HOME") or PROJECT_ROOT / "data"
        return cls(Path(chosen).resolve())

    inbox = property(lambda self: self.root / "inbox")
    reference = property(lambda self: self.root / "reference")
    archive = property(lambda self: self.root / "archive")
    quarantine = property(lambda self: self.root / "quarantine")
    reports = property(lambda self: self.root / "reports")
    secrets = property(lambda self: self.root / "secrets")
    logs = property(lambda self: self.root / "logs")
    work = property(lambda self: self.root / "work")
    prefect = property(lambda self: self.root / "prefect")
    published = property(lambda self: self.root / "published")
    warehouse = property(lambda self: self.root / "warehouse.duckdb")
    providers_csv = property(lambda self: self.reference / "providers.csv")

    def ensure(self) -> Home:
        for path in (self.inbox, self.reference, self.archive, self.quarantine, self.logs,
                     self.work):
            path.mkdir(parents=True, exist_ok=True)
        return self

    @contextmanager
    def lock(self, wait_seconds: float = 0.0) -> Iterator[None]:
        """One writer at a time: a second run waits up to `wait_seconds`, then gives up clearly."""
        self.root.mkdir(parents=True, exist_ok=True)
        handle = open(self.root / ".lock", "a+")  # noqa: SIM115 - held for the whole block
        deadline = time.monotonic() + wait_seconds
        try:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise BusyError(
                            f"Toinen valvonta-ajo on käynnissä hakemistossa {self.root}; "
                            "yritä myöhemmin uudelleen tai käytä valitsinta --wait."
                        ) from None
                    time.sleep(0.5)
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            yield
        finally:
            handle.close()
