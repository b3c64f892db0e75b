"""The county's provider register (reference/providers.csv), read in the same tolerant format.

It is the yardstick for rule 2 (a provider_id must be in the register), so it is loaded first on
every run and replaces ref.providers whole; rows it cannot accept are kept out and reported.
"""

from __future__ import annotations

import logging

import duckdb

from ..formats.reader import FileProblem, prepare_csv
from ..formats.spec import KINDS
from ..home import Home
from ..warehouse import executemany, raw_columns
from .batch import BatchItem, parse_batch, rejected_cells

log = logging.getLogger(__name__)


class RegisterMissing(RuntimeError):
    pass


def load_register(con: duckdb.DuckDBPyConnection, home: Home, run_id: str) -> int:
    """Replace ref.providers from the register file; returns the number of rejected rows.

    Leaves temp table `_register` (provider_id) for the row checks of this connection.
    """
    path = home.providers_csv
    problems = 0
    if path.exists():
        kind = KINDS["providers"]
        try:
            prepared = prepare_csv(path, path.read_bytes(), home.work, kind_filter="providers")
        except FileProblem as problem:
            raise RegisterMissing(f"Palveluntuottajarekisteriä {path} ei voi lukea: {problem.message_fi}") from None
        parse_batch(con, [BatchItem("register", prepared.parts[0])], None)
        columns = [n for n, _ in raw_columns(kind)]
        con.begin()
        con.execute("delete from ref.providers")
        con.execute(
            f"insert into ref.providers select {', '.join('t_' + c for c in columns)} "
            "from _parsed where len(_errors) = 0 "
            "qualify row_number() over (partition by t_provider_id order by _row desc) = 1"
        )
        con.execute("delete from meta.register_problems")
        bad = rejected_cells(con)
        executemany(con,
            "insert into meta.register_problems values (?, ?, ?, ?, ?)",
            [(run_id, row, column, reason, value) for _, row, _, column, _, reason, value in bad],
        )
        con.commit()
        problems = len({row for _, row, *_ in bad})
        con.execute("drop table _parsed")
        if prepared.parts[0].csv_path != path:
            prepared.parts[0].csv_path.unlink(missing_ok=True)
    count = con.execute("select count(*) from ref.providers").fetchone()[0]
    if count == 0:
        raise RegisterMissing(
            f"Palveluntuottajarekisteri puuttuu tai on tyhjä: {path}. Ilman sitä yhtään riviä ei "
            "voi hyväksyä (Y-tunnuksen pitää löytyä rekisteristä)."
        )
    con.execute("create or replace temp table _register as select provider_id from ref.providers")
    if problems:
        log.warning("provider register: %d rows rejected", problems)
    return problems
