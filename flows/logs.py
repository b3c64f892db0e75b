"""Logging to <home>/logs/valvonta.log. Messages carry counts and file names, never row values."""

from __future__ import annotations

import logging
import sys

from .home import Home


def setup(home: Home, verbose: bool = False) -> None:
    home.logs.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "_valvonta", False):
            root.removeHandler(handler)
    file_handler = logging.FileHandler(home.logs / "valvonta.log", encoding="utf-8")
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    file_handler._valvonta = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.INFO if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    console._valvonta = True  # type: ignore[attr-defined]
    root.addHandler(console)
