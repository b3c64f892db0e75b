"""`valvonta check`: the verdict a provider gets before sending, from the ingest's own code.

The files are copied into a throw-away home and put through the very Loader the county runs, on
a throw-away DuckDB file; so parsing, the row rules and the report text cannot drift apart from
the real ingest. Without the county's register, the "provider is in the register" half of rule 2
cannot be checked, and the output says so.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from pathlib import Path

from .home import Home
from .ingest.load import Loader, new_run_id
from .ingest.report import render
from .warehouse import connect, ensure_schema


def check_files(files: list[Path], register: Path | None) -> int:
    missing = [f for f in files if not f.is_file()]
    if missing:
        for f in missing:
            print(f"Tiedostoa ei löydy: {f}")
        return 1
    with tempfile.TemporaryDirectory(prefix="valvonta-check-") as tmp:
        home = Home(Path(tmp)).ensure()
        for n, path in enumerate(files):
            # keep the given order: the ingest takes files in name order
            shutil.copyfile(path, home.inbox / f"{n:06d}{path.suffix.lower()}")
        if register is not None:
            shutil.copyfile(register, home.providers_csv)
        con = connect(home)
        try:
            ensure_schema(con)
            summary = Loader(home, con, new_run_id(), require_register=register is not None,
                             key=secrets.token_bytes(32)).run()
        finally:
            con.close()
    rejected = False
    names = {f"{n:06d}{p.suffix.lower()}": p.name for n, p in enumerate(files)}
    seen = {v.file_name for v in summary.verdicts}
    for verdict in summary.verdicts:
        verdict.file_name = names.get(verdict.file_name, verdict.file_name)
        print(render(verdict))
        rejected = rejected or verdict.rejected
    for copy_name, original in names.items():
        if copy_name not in seen:
            print(f"{original}: sama sisältö kuin toisella tarkistetulla tiedostolla, ohitettiin.\n")
    if register is None:
        print("Huom. Hyvinvointialueen palveluntuottajarekisteriä ei ollut käytettävissä, joten "
              "Y-tunnuksesta tarkistettiin vain muoto ja tarkistusnumero.")
    print("TULOS: " + ("osa riveistä tai tiedostoista hylättäisiin." if rejected
                       else "kaikki rivit hyväksyttäisiin."))
    return 1 if rejected else 0
