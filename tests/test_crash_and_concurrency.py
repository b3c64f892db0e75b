"""A run killed during a load, run again, ends where an uninterrupted run ends; two runs at once
never corrupt anything."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
from conftest import TEST_KEY

from flows.demo.generator import generate
from flows.home import Home
from flows.ingest.reconcile import reconcile
from flows.ingest.service import run_ingest

PROJECT = Path(__file__).resolve().parent.parent
INGEST_SCRIPT = """
import sys, logging
from flows.home import Home
from flows import logs
from flows.ingest.service import run_ingest
home = Home.resolve(sys.argv[1])
logs.setup(home)
logging.getLogger("flows.ingest.load").setLevel(logging.INFO)
with home.lock(0):
    run_ingest(home, validate=False)
"""


def _env() -> dict:
    # small batches, so that a kill lands between commits of one run
    return {**os.environ, "VALVONTA_PSEUDONYM_KEY": TEST_KEY, "PYTHONPATH": str(PROJECT),
            "VALVONTA_BATCH_FILES": "20"}


def _state(home: Home) -> dict:
    """What a user sees: current rows of every kind, and the manifest, without run ids."""
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        state = {}
        for kind in ("periods", "attendance", "feedback", "survey", "incidents", "staff", "deliveries"):
            state[kind] = con.execute(
                f"select * exclude (_run_id, _loaded_at, _load_seq) from raw.current_{kind} order by all"
            ).fetchall()
        state["files"] = con.execute(
            "select file_id, file_name, status, rows_read, rows_loaded, rows_quarantined "
            "from meta.files order by file_name").fetchall()
        state["quarantine"] = con.execute(
            "select file_id, sheet, row_number, column_name, rule from meta.quarantine order by all"
        ).fetchall()
        assert reconcile(con) == []
        return state
    finally:
        con.close()


def _demo_home(path: Path) -> Home:
    home = Home(path).ensure()
    generate(home, "demo", seed=7)
    return home


def test_run_killed_during_a_load_then_run_again_matches_an_uninterrupted_run(tmp_path, monkeypatch):
    monkeypatch.setenv("VALVONTA_PSEUDONYM_KEY", TEST_KEY)
    reference = _demo_home(tmp_path / "reference")
    run_ingest(reference, validate=False)

    home = _demo_home(tmp_path / "crashed")
    total = len(list(home.inbox.iterdir()))
    process = subprocess.Popen([sys.executable, "-c", INGEST_SCRIPT, str(home.root)], env=_env(),
                               cwd=PROJECT)
    log = home.logs / "valvonta.log"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if log.exists() and log.read_text().count("batch committed") >= 3:
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    left = len(list(home.inbox.iterdir()))
    assert 0 < left < total, "the kill should land in the middle of the run"

    result = run_ingest(home, validate=False)
    assert result.files_seen == left
    got, want = _state(home), _state(reference)
    for key in want:
        assert set(got[key]) ^ set(want[key]) == set(), key
    assert got == want
    statuses = dict(duckdb.connect(str(home.warehouse), read_only=True).execute(
        "select status, count(*) from meta.runs group by status").fetchall())
    assert statuses == {"interrupted": 1, "ok": 1}


def test_second_concurrent_run_exits_with_a_clear_message_and_changes_nothing(tmp_path):
    home = Home(tmp_path / "home").ensure()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from flows.home import Home\n"
         "with Home.resolve(sys.argv[1]).lock(0):\n    print('locked', flush=True); time.sleep(60)",
         str(home.root)], env=_env(), cwd=PROJECT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        second = subprocess.run(
            [sys.executable, "-m", "flows.cli", "--home", str(home.root), "ingest"],
            env=_env(), cwd=PROJECT, capture_output=True, text=True, timeout=120)
        assert second.returncode == 2
        assert "Toinen valvonta-ajo on käynnissä" in second.stderr
        assert time.monotonic() - started < 30  # refused at once, before any heavy start-up
        assert not home.warehouse.exists()
    finally:
        holder.kill()
        holder.wait()


def test_second_run_with_wait_goes_on_when_the_first_finishes(tmp_path, monkeypatch):
    monkeypatch.setenv("VALVONTA_PSEUDONYM_KEY", TEST_KEY)
    home = _demo_home(tmp_path / "home")
    first = subprocess.Popen([sys.executable, "-c", INGEST_SCRIPT, str(home.root)], env=_env(),
                             cwd=PROJECT)
    lock_file = home.root / ".lock"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # until the first run holds the lock (it writes its pid)
        if lock_file.exists() and lock_file.read_text().strip() == str(first.pid):
            break
        time.sleep(0.05)
    with home.lock(wait_seconds=300):
        # the lock was given only after the first run had finished its work
        con = duckdb.connect(str(home.warehouse), read_only=True)
        assert con.execute("select status from meta.runs").fetchall() == [("ok",)]
        con.close()
        result = run_ingest(home, validate=False)
    first.wait(timeout=60)
    assert first.returncode == 0
    assert result.files_seen == 0
    con = duckdb.connect(str(home.warehouse), read_only=True)
    assert reconcile(con) == []
    con.close()


def test_copying_the_warehouse_while_nobody_writes_is_consistent(tmp_path, monkeypatch):
    """The archive keeps every original, so a lost warehouse can be rebuilt from it."""
    monkeypatch.setenv("VALVONTA_PSEUDONYM_KEY", TEST_KEY)
    home = _demo_home(tmp_path / "home")
    run_ingest(home, validate=False)
    rebuilt = Home(tmp_path / "rebuilt").ensure()
    shutil.copyfile(home.providers_csv, rebuilt.providers_csv)
    names = {fid: name for fid, name in duckdb.connect(str(home.warehouse), read_only=True).execute(
        "select file_id, file_name from meta.files").fetchall()}
    for archived in home.archive.iterdir():
        sha = archived.name.split(".")[0]
        shutil.copyfile(archived, rebuilt.inbox / names[sha])
    run_ingest(rebuilt, validate=False)
    assert _state(rebuilt) == _state(home)
