"""Set-based parsing and row rejection in DuckDB SQL.

One SELECT per batch of files turns raw VARCHAR cells into typed values and a list of rejection
reasons per row, so that millions of diary rows are checked inside DuckDB rather than row by row
in Python. The rules are exactly those of exchange-format.md, "Row rejection".
"""

from __future__ import annotations

from .messages import RULES, code_hint, range_hint
from .spec import (
    BOOLEAN,
    CODE,
    CODE_LISTS,
    DATE,
    DECIMAL,
    HETU,
    INTEGER,
    SHARE,
    TEXT,
    YTUNNUS,
    Column,
    Kind,
)

TRUE_WORDS = ("k", "kyllä", "kylla", "y", "yes", "true", "1")
FALSE_WORDS = ("e", "ei", "n", "no", "false", "0")
HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
HETU_PATTERN = r"\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y]"
# Anything that looks like an identity code is hidden from every report value, valid or not.
HETU_LIKE = r"\d{6}[-+A-Za-z]\d{3}[0-9A-Za-z]"
DATE_PATTERN = r"\d{4}-\d{1,2}-\d{1,2}( \d{1,2}:\d{2}(:\d{2})?)?|\d{1,2}\.\d{1,2}\.\d{4}"

SQL_TYPES = {
    YTUNNUS: "varchar",
    TEXT: "varchar",
    CODE: "varchar",
    DATE: "date",
    INTEGER: "integer",
    DECIMAL: "double",
    SHARE: "double",
    BOOLEAN: "boolean",
}


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _number(v: str) -> str:
    return f"replace(replace(replace({v}, ' ', ''), '\u00a0', ''), ',', '.')"


def typed_expr(col: Column, v: str) -> str:
    """SQL turning the trimmed raw text `v` into the column's type; NULL when it does not parse.

    Business IDs and identity codes are not here: they are checked once per distinct value.
    """
    t = col.type
    if t == TEXT:
        # Providers sometimes write an identity code into a text field; it must not be stored.
        return (f"case when length({v}) >= 11 and regexp_matches({v}, {lit(HETU_LIKE)}) then "
                f"regexp_replace({v}, {lit(HETU_LIKE)}, '[henkilötunnus poistettu]', 'g') else {v} end")
    if t == CODE:
        return f"replace(replace(strip_accents(upper({v})), ' ', '_'), '-', '_')"
    if t == DATE:
        return (
            f"case when contains({v}, '.') then case when length(split_part({v}, '.', 3)) = 4 "
            f"then try_strptime({v}, '%d.%m.%Y')::date end "
            f"when length({v}) <= 10 and length(split_part({v}, '-', 1)) = 4 "
            f"then try_strptime({v}, '%Y-%m-%d')::date "
            f"when regexp_full_match({v}, {lit(DATE_PATTERN)}) then coalesce("
            f"try_strptime({v}, '%Y-%m-%d %H:%M:%S'), try_strptime({v}, '%Y-%m-%d %H:%M'))::date end"
        )
    if t == DECIMAL:
        return f"try_cast({_number(v)} as double)"
    if t == INTEGER:
        n = f"try_cast({_number(v)} as double)"
        return f"case when {n} = floor({n}) and abs({n}) < 2e9 then {n}::integer end"
    if t == SHARE:
        n = _number(v)
        return (
            f"case when ends_with({n}, '%') "
            f"then try_cast(rtrim({n}, '%') as double) / 100 "
            f"else try_cast({n} as double) end"
        )
    if t == BOOLEAN:
        trues = ", ".join(lit(w) for w in TRUE_WORDS)
        falses = ", ".join(lit(w) for w in FALSE_WORDS)
        return f"case when lower({v}) in ({trues}) then true when lower({v}) in ({falses}) then false end"
    if t in (YTUNNUS, HETU):
        return f"_chk_{col.name}.value"
    raise ValueError(t)


def ytunnus_valid(v: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2)
    total = " + ".join(f"{w} * try_cast(substr({v}, {i + 1}, 1) as integer)" for i, w in enumerate(weights))
    check = f"(({total}) % 11)"
    return (
        f"regexp_full_match({v}, '\\d{{7}}-\\d') and {check} <> 1 and "
        f"try_cast(substr({v}, 9, 1) as integer) = case when {check} = 0 then 0 else 11 - {check} end"
    )


def code_check(col: Column, raw: str, register: str | None) -> str:
    """A per-distinct-value check table for a business ID or identity code column."""
    if col.type == YTUNNUS:
        reg = (f", exists (select 1 from {register} r where r.provider_id = d.raw) as registered"
               if register else ", true as registered")
        return (f"select raw, case when {ytunnus_valid('raw')} then raw end as value{reg} "
                f"from (select distinct {raw} as raw from rows) as d")
    code = "upper(raw)"
    return (
        f"select raw, value, format_ok, birth_date, format_ok and birth_date is not null and "
        f"substr({lit(HETU_CHECK)}, cast(try_cast(substr(value, 1, 6) || substr(value, 8, 3) as bigint) "
        f"% 31 as integer) + 1, 1) = substr(value, 11, 1) as check_ok "
        f"from (select raw, {code} as value, regexp_full_match({code}, {lit(HETU_PATTERN)}) as format_ok, "
        f"case when regexp_full_match({code}, {lit(HETU_PATTERN)}) then {hetu_birth_date(code)} end as birth_date "
        f"from (select distinct {raw} as raw from rows) as d) as x"
    )


def hetu_birth_date(h: str) -> str:
    century = (
        f"case when substr({h}, 7, 1) = '+' then 1800 "
        f"when substr({h}, 7, 1) in ('A','B','C','D','E','F') then 2000 else 1900 end"
    )
    return (
        f"try_strptime(substr({h}, 1, 2) || '.' || substr({h}, 3, 2) || '.' || "
        f"cast({century} + cast(substr({h}, 5, 2) as integer) as varchar), '%d.%m.%Y')::date"
    )


def age_on(birth: str, day: str) -> str:
    """Full years on `day`; a 29 February birthday falls on 28 February in common years."""
    leap = f"({day}_y % 4 = 0 and ({day}_y % 100 <> 0 or {day}_y % 400 = 0))".replace(
        f"{day}_y", f"year({day})"
    )
    birthday = f"case when month({birth}) = 2 and day({birth}) = 29 and not {leap} then 28 else day({birth}) end"
    return (
        f"year({day}) - year({birth}) - case when month({day}) < month({birth}) or "
        f"(month({day}) = month({birth}) and day({day}) < {birthday}) then 1 else 0 end"
    )


def _err(header: str, rule: str, value: str, extra: str = "") -> str:
    reason = RULES[rule] + (" " + extra if extra else "")
    return (
        f"{{'column_name': {lit(header)}, 'rule': {lit(rule)}, "
        f"'reason_fi': {lit(reason)}, 'masked_value': {value}}}"
    )


def masked(col: Column, v: str) -> str:
    if col.type == HETU:
        return f"regexp_replace({v}, '[0-9A-Za-z]', '*', 'g')"
    if col.free_text:
        return "'[vapaa teksti piilotettu]'"
    return f"regexp_replace(left({v}, 80), {lit(HETU_LIKE)}, '[henkilötunnus piilotettu]', 'g')"


def error_checks(kind: Kind, headers: dict[str, str], register: bool) -> list[tuple[str, str]]:
    """(condition, error struct) per rule that can fire on a column of this file."""
    out: list[tuple[str, str]] = []
    for col in kind.columns:
        if col.name not in headers:
            continue
        header = headers[col.name]
        v, t = q("r_" + col.name), q("t_" + col.name)
        chk = f"_chk_{col.name}_"
        shown = masked(col, v)

        def add(cond: str, rule: str, extra: str = "", value: str = shown, h: str = header) -> None:
            out.append((cond, _err(h, rule, value, extra)))

        if col.required:
            add(f"{v} is null", "required_missing", value="null")
        if col.type == YTUNNUS:
            add(f"{v} is not null and {t} is null", "invalid_business_id")
            if register:
                add(f"{t} is not null and not {chk}_registered", "unknown_provider")
        elif col.type == HETU:
            add(f"{v} is not null and not {chk}_format_ok", "identity_code_format")
            add(f"{chk}_format_ok and {chk}_birth_date is null", "identity_code_date")
            add(f"{chk}_birth_date is not null and not {chk}_check_ok", "identity_code_check")
        elif col.type == DATE:
            add(f"{v} is not null and {t} is null", "invalid_date")
        elif col.type == CODE:
            codes = ", ".join(lit(c) for c in CODE_LISTS[col.code_list])
            add(f"{v} is not null and {t} not in ({codes})", "invalid_code", code_hint(col.code_list))
        elif col.type == BOOLEAN:
            add(f"{v} is not null and {t} is null", "invalid_boolean")
        elif col.type in (DECIMAL, SHARE, INTEGER):
            n = f"try_cast(rtrim({_number(v)}, '%') as double)" if col.type == SHARE else (
                f"try_cast({_number(v)} as double)")
            add(f"{v} is not null and {n} is null", "invalid_number")
            if col.type == INTEGER:
                add(f"{n} is not null and {t} is null", "not_integer")
            if col.low is not None:
                add(f"{t} < {col.low} or {t} > {col.high}", "out_of_range", range_hint(col.low, col.high))
    if "end_date" in headers and "start_date" in headers:
        add("t_end_date < t_start_date", "end_before_start",
            value=masked(kind.column("end_date"), "r_end_date"), h=headers["end_date"])
    return out


def parse_select(
    kind: Kind,
    positions: dict[str, int],
    headers: dict[str, str],
    n_source_cols: int,
    source: str,
    register: str | None,
) -> str:
    """SELECT over `source` (columns _file, _row, c0…cN) giving typed t_* columns and `_errors`.

    Empty rows (nothing but blanks and delimiters) are dropped here: they are not data rows.
    Business IDs and identity codes repeat on thousands of diary rows, so they are checked once
    per distinct value and joined back. The error list is built only for rows that have an error.
    """
    trim_chars = lit(" \t\r\n\u00a0")
    raw_cols = ",\n    ".join(
        f"nullif(trim(c{positions[c.name]}, {trim_chars}), '') as {q('r_' + c.name)}"
        if c.name in positions
        else f"null::varchar as {q('r_' + c.name)}"
        for c in kind.columns
    )
    used = set(positions.values())
    spare = "".join(f",\n      nullif(trim(c{i}, {trim_chars}), '') as _spare{i}"
                    for i in range(n_source_cols) if i not in used)
    # the spare columns past the header (trailing delimiters) and unknown columns also count
    # towards "is this row empty"; there is always at least one spare column
    spare_names = ", ".join(f"_spare{i}" for i in range(n_source_cols) if i not in used)
    assert spare_names, "the source must have a spare column past the header"
    any_cell = ", ".join([q("r_" + c.name) for c in kind.columns if c.name in positions]
                         + [f"_spare{i}" for i in range(n_source_cols) if i not in used])
    checked = [c for c in kind.columns if c.type in (YTUNNUS, HETU)]
    check_ctes = "".join(
        f",\n_chk_{c.name} as ({code_check(c, q('r_' + c.name), register)})" for c in checked
    )
    check_joins = "\n".join(
        f"left join _chk_{c.name} on _chk_{c.name}.raw = rows.{q('r_' + c.name)}" for c in checked
    )
    hetu = next((c for c in checked if c.type == HETU), None)
    birth = f", _chk_{hetu.name}.birth_date as _birth_date" if hetu else ""
    typed = ",\n    ".join(
        f"{typed_expr(c, q('r_' + c.name))} as {q('t_' + c.name)}" for c in kind.columns
    )
    checks = error_checks(kind, headers, register is not None)
    any_error = " or ".join(f"coalesce({cond}, false)" for cond, _ in checks) or "false"
    errors = ",\n      ".join(f"case when {cond} then {struct} end" for cond, struct in checks)
    return f"""
with rows as (
  select * exclude ({spare_names})
  from (
    select _file, _row,
      {raw_cols}{spare}
    from {source}
  ) where coalesce({any_cell}) is not null
){check_ctes},
typed as (
  select rows.*,
    {typed}{birth},
    {", ".join(f"_chk_{c.name}.{f} as _chk_{c.name}__{f}" for c in checked
               for f in (("registered",) if c.type == YTUNNUS else ("format_ok", "birth_date", "check_ok")))
     or "null as _no_checks"}
  from rows
  {check_joins}
),
flagged as (
  select *, {any_error} as _bad from typed
)
select * exclude (_bad),
  case when _bad then list_filter([
      {errors}
  ], e -> e is not null) else [] end as _errors
from flagged
"""
