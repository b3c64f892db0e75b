"""The `valvonta` command line.

Heavy packages (Prefect, Great Expectations, dbt) are imported only by the commands that need
them, and only after the environment points them at the home, so `valvonta check` stays quick
and every file a run writes stays under the home.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .formats.messages import fi_number
from .home import BusyError, Home


def configure_environment(home: Home) -> None:
    os.environ.setdefault("PREFECT_HOME", str(home.prefect))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")


def _warehouse_has_files(home: Home) -> bool:
    if not home.warehouse.exists():
        return False
    import duckdb

    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        return con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'meta' and table_name = 'files'"
        ).fetchone()[0] > 0 and con.execute("select count(*) from meta.files").fetchone()[0] > 0
    finally:
        con.close()


def inbox_is_empty(home: Home) -> bool:
    return not home.inbox.exists() or not any(
        p for p in home.inbox.iterdir() if p.is_file() and not p.name.startswith(".")
    )


def print_ingest_summary(result: dict, home: Home) -> None:
    print(f"Ajo {result['run_id']} valmis.")
    print(
        f"Tiedostoja saapui {fi_number(result['files_seen'])}: ladattu {fi_number(result['files_loaded'])}, "
        f"hylätty kokonaan {fi_number(result['files_rejected'])}, "
        f"jo aiemmin saatuja {fi_number(result['files_duplicate'])}."
    )
    print(
        f"Rivejä luettu {fi_number(result['rows_read'])}: ladattu {fi_number(result['rows_loaded'])}, "
        f"karanteeniin {fi_number(result['rows_quarantined'])}."
    )
    if result.get("expectations_total"):
        print(
            f"Laatutarkistuksia (Great Expectations) {result['expectations_total']}, "
            f"joista täyttymättä {result['expectations_failed']}."
        )
    if result.get("register_problems"):
        print(f"Palveluntuottajarekisterissä {result['register_problems']} hylättyä riviä.")
    rejected = result.get("rejected_files") or []
    if rejected:
        print(f"Hylättyjä rivejä tai tiedostoja {len(rejected)} tiedostossa; raportit: {home.quarantine}")
        for name, rows, problem in rejected[:15]:
            reason = problem or f"{fi_number(rows)} riviä hylätty"
            print(f"  - {name}: {reason}")
        if len(rejected) > 15:
            print(f"  … ja {len(rejected) - 15} muuta (valvonta files)")


def cmd_run(args: argparse.Namespace, home: Home) -> int:
    configure_environment(home)
    with home.lock(args.wait):
        home.ensure()
        demo_scale = None
        if not args.no_demo and inbox_is_empty(home) and not _warehouse_has_files(home):
            demo_scale = args.demo_scale
            print(f"Saapuneet-kansio on tyhjä: kirjoitetaan demoaineisto ({demo_scale}).")
        from .build import prewarm

        prewarm(home)  # dbt loads while Prefect starts and the deliveries are read
        from .pipeline import run_flow

        result = run_flow(str(home.root), demo_scale, args.seed)
    print_ingest_summary(result["ingest"], home)
    print_build_summary(result["build"], result["published"], home)
    print_report_summary(result["reports"])
    return 0


def print_report_summary(reports: dict) -> None:
    written = []
    if reports["providers"]:
        written.append(f"vuosiraportit {reports['providers']} palveluntuottajalle")
    if reports["county"]:
        written.append("hyvinvointialueen yhteenveto (sisäinen ja julkinen)")
    print(f"Vuoden {reports['year']} {' ja '.join(written)}: {reports['files']} tiedostoa (HTML, PDF, Excel) "
          f"kansiossa {reports['folder']}")


def cmd_report(args: argparse.Namespace, home: Home) -> int:
    """Reports read the published copy, and are quick: a plain call, without a Prefect server.
    The lock keeps a run from replacing the copy mid-way."""
    import datetime as dt

    try:
        as_of = dt.date.fromisoformat(args.as_of) if args.as_of else None
    except ValueError:
        print(f"Päivämäärä {args.as_of} ei kelpaa; käytä muotoa 2026-03-31.", file=sys.stderr)
        return 2
    from .reports.service import run_reports

    with home.lock(args.wait):
        try:
            result = run_reports(home, args.year, provider=args.provider, as_of=as_of, county=args.county,
                                 packages=not args.county)
        except (LookupError, FileNotFoundError) as exc:
            print(str(exc), file=sys.stderr)
            return 1
    print_report_summary(result.as_dict())
    return 0


def print_build_summary(build: dict, published: str, home: Home) -> None:
    import duckdb

    con = duckdb.connect(published, read_only=True)
    try:
        kpis, deviations, findings = con.execute(
            "select (select count(*) from marts.fct_kpis where status <> 'EI_DATAA'), "
            "(select count(*) from marts.fct_kpis where status = 'POIKKEAMA'), "
            "(select count(*) from marts.fct_findings)").fetchone()
    finally:
        con.close()
    kind = {"full": "kokonaan", "incremental": "muuttuneilta osin", "selected": "valitulta osin"}
    if build.get("mode") == "none":
        print(f"Tietovarastoa ei tarvinnut rakentaa ({build['reason']}); julkaistu: {published}")
    else:
        print(f"Tietovarasto rakennettu {kind.get(build.get('mode'), '')} ({build.get('reason')}; "
              f"{build['models']} mallia, {build['tests']} testiä, {fi_number(round(build['seconds'], 1))} s) "
              f"ja julkaistu: {published}")
    print(f"Tunnuslukuja laskettu {fi_number(kpis)}, joista poikkeamia {fi_number(deviations)}; "
          f"havaintoja {fi_number(findings)}.")


def cmd_build(args: argparse.Namespace, home: Home) -> int:
    from .build import prewarm

    configure_environment(home)
    with home.lock(args.wait):
        prewarm(home)  # dbt loads while Prefect starts
        from .pipeline import build_flow

        result = build_flow(str(home.root), args.full_refresh)
    print_build_summary(result, result["published"], home)
    return 0


def cmd_kpi(args: argparse.Namespace, home: Home) -> int:
    from .exports import KPI_COLUMNS, kpi_rows, write_rows

    write_rows(kpi_rows(home, args.year, args.provider), KPI_COLUMNS, args.format)
    return 0


def cmd_findings(args: argparse.Namespace, home: Home) -> int:
    from .exports import FINDING_COLUMNS, finding_rows, write_rows

    write_rows(finding_rows(home, args.year, args.provider), FINDING_COLUMNS, args.format)
    return 0


def cmd_dashboard(args: argparse.Namespace, home: Home) -> int:
    from dashboards.server import serve

    return serve(home, args.host, args.port, args.auth, args.proxy_header)


def cmd_user(args: argparse.Namespace, home: Home) -> int:
    import getpass

    from dashboards.auth import add_user

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Salasana: ")
        if password != getpass.getpass("Salasana uudelleen: "):
            print("Salasanat eivät täsmää.", file=sys.stderr)
            return 1
    try:
        path = add_user(home, args.name, password)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Käyttäjä {args.name} tallennettu: {path}")
    return 0


def cmd_docs(args: argparse.Namespace, home: Home) -> int:
    from .build import generate_docs

    with home.lock(args.wait):
        path = generate_docs(home)
    print(f"Tietoluettelo kirjoitettu: {path}")
    return 0


def cmd_sql(args: argparse.Namespace, home: Home) -> int:
    from .exports import sql_shell

    return sql_shell(home, args.command_text)


def cmd_ingest(args: argparse.Namespace, home: Home) -> int:
    configure_environment(home)
    with home.lock(args.wait):
        from .pipeline import ingest_flow

        result = ingest_flow(str(home.root), not args.no_validate)
    print_ingest_summary(result, home)
    return 0


def cmd_demo(args: argparse.Namespace, home: Home) -> int:
    from .demo.generator import generate

    with home.lock(args.wait):
        summary = generate(home, args.scale, args.seed, progress=print)
    total = sum(summary.rows.values())
    print(f"Demoaineisto kirjoitettu: {fi_number(summary.files)} tiedostoa, {fi_number(total)} riviä, "
          f"{fi_number(summary.clients)} asiakasta → {home.inbox}")
    for kind, rows in sorted(summary.rows.items()):
        print(f"  {kind}: {fi_number(rows)}")
    return 0


def cmd_files(args: argparse.Namespace, home: Home) -> int:
    from .manifest import print_manifest

    return print_manifest(home, args.format)


def cmd_check(args: argparse.Namespace, home: Home) -> int:
    from .check import check_files

    register = Path(args.register) if args.register else (
        home.providers_csv if home.providers_csv.exists() else None)
    return check_files([Path(f) for f in args.files], register)


def cmd_template(args: argparse.Namespace, home: Home) -> int:
    from .template import write_template

    out = Path(args.out) if args.out else home.root / "templates" / "valvonta_toimituspohja.xlsx"
    write_template(out)
    print(f"Täyttöpohja kirjoitettu: {out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", default=argparse.SUPPRESS,
                        help="data directory (default $VALVONTA_HOME or data/)")
    common.add_argument("--wait", type=float, default=argparse.SUPPRESS,
                        help="seconds to wait for another run to finish (default 0)")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="valvonta", parents=[common],
                                     description="Contract monitoring of rehabilitative services.")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", parents=[common], help="the main job: (demo data,) ingest, build, publish")
    run.add_argument("--demo-scale", default="demo", choices=["demo", "county", "national"])
    run.add_argument("--seed", type=int, default=2025)
    run.add_argument("--no-demo", action="store_true", help="never write demo data")
    run.set_defaults(func=cmd_run)

    ingest = sub.add_parser("ingest", parents=[common], help="take in the inbox")
    ingest.add_argument("--no-validate", action="store_true",
                        help="skip the Great Expectations suites")
    ingest.set_defaults(func=cmd_ingest)

    demo = sub.add_parser("demo", parents=[common], help="write demo deliveries into the inbox")
    demo.add_argument("--scale", default="demo", choices=["demo", "county", "national"])
    demo.add_argument("--seed", type=int, default=2025)
    demo.set_defaults(func=cmd_demo)

    files = sub.add_parser("files", parents=[common], help="list the manifest of delivered files")
    files.add_argument("--format", default="table", choices=["table", "csv"])
    files.set_defaults(func=cmd_files)

    check = sub.add_parser("check", parents=[common],
                           help="a provider's check of files before sending (no warehouse)")
    check.add_argument("files", nargs="+")
    check.add_argument("--register", help="the county's provider register CSV, if at hand")
    check.set_defaults(func=cmd_check)

    build = sub.add_parser("build", parents=[common], help="dbt build, then publish the marts")
    build.add_argument("--full-refresh", action="store_true",
                       help="rebuild incremental models from scratch (after editing seeds or the register)")
    build.set_defaults(func=cmd_build)

    for name, func, text in (("kpi", cmd_kpi, "the KPI export of kpis.md"),
                             ("findings", cmd_findings, "the cases behind every deviation")):
        export = sub.add_parser(name, parents=[common], help=text)
        export.add_argument("--year", type=int, required=True)
        export.add_argument("--provider", help="one provider's Y-tunnus")
        export.add_argument("--format", default="csv", choices=["csv", "json", "table"])
        export.set_defaults(func=func)

    report = sub.add_parser("report", parents=[common],
                            help="write the 31.3 packages (HTML, PDF, XLSX) and the county summary")
    report.add_argument("--year", type=int, required=True, help="reporting year (documents due 31.3. next year)")
    report.add_argument("--provider", help="only this provider (business id)")
    report.add_argument("--as-of", help="judge the 31.3 documents as of this date (YYYY-MM-DD); default today")
    report.add_argument("--county", action="store_true",
                        help="the county summary for the monitoring meeting and its public variant (not the packages)")
    report.set_defaults(func=cmd_report)

    dashboard = sub.add_parser("dashboard", parents=[common], help="serve the dashboards (published copy only)")
    dashboard.add_argument("--port", type=int, default=8050)
    dashboard.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    dashboard.add_argument("--auth", choices=["file", "proxy"], default="file",
                           help="file: users in <home>/secrets/dashboard_users; proxy: a header set by a reverse proxy")
    dashboard.add_argument("--proxy-header", default="X-Forwarded-User")
    dashboard.set_defaults(func=cmd_dashboard)

    user = sub.add_parser("user", parents=[common], help="add or change a dashboard user")
    user.add_argument("action", choices=["add"])
    user.add_argument("name")
    user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    user.set_defaults(func=cmd_user)

    docs = sub.add_parser("docs", parents=[common], help="write the mart catalogue (offline HTML)")
    docs.set_defaults(func=cmd_docs)

    sql = sub.add_parser("sql", parents=[common], help="read-only SQL shell on the published copy")
    sql.add_argument("-c", dest="command_text", help="run one statement and exit")
    sql.set_defaults(func=cmd_sql)

    template = sub.add_parser("template", parents=[common], help="write the fill-in workbook")
    template.add_argument("--out", help="output .xlsx path")
    template.set_defaults(func=cmd_template)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.wait = getattr(args, "wait", 0.0)
    home = Home.resolve(getattr(args, "home", None))
    if args.command not in ("check", "kpi", "findings", "sql"):
        from . import logs

        logs.setup(home, getattr(args, "verbose", False))
    try:
        return args.func(args, home)
    except BusyError as exc:
        print(f"valvonta: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped to `head` and the like
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("valvonta: keskeytetty.", file=sys.stderr)
        return 130
    except Exception as exc:  # one clear line for the user; the log has the traceback
        import logging

        logging.getLogger("valvonta").exception("command failed")
        print(f"valvonta: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
