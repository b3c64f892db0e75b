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
    return f"replace(regexp_replace({v}, '[\\s\u00a0]', '', 'g'), ',', '.')"


def typed_expr(col: Column, v: str) -> str:
    """SQL turning the trimmed raw text `v` into the column's type; NULL when it does not parse."""
    t = col.type
    if t == TEXT:
        # Providers sometimes write an identity code into a text field; it must not be stored.
        return f"regexp_replace({v}, {lit(HETU_LIKE)}, '[henkilötunnus poistettu]', 'g')"
    if t == CODE:
        return f"regexp_replace(strip_accents(upper({v})), '[\\s-]+', '_', 'g')"
    if t == DATE:
        return (
            f"case when regexp_full_match({v}, {lit(DATE_PATTERN)}) then coalesce("
            f"try_strptime({v}, '%Y-%m-%d'), try_strptime({v}, '%d.%m.%Y'), "
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
            f"case when {v} like '%\\%%' escape '\\' "
            f"then try_cast(replace({n}, '%', '') as double) / 100 "
            f"else try_cast({n} as double) end"
        )
    if t == BOOLEAN:
        trues = ", ".join(lit(w) for w in TRUE_WORDS)
        falses = ", ".join(lit(w) for w in FALSE_WORDS)
        return f"case when lower({v}) in ({trues}) then true when lower({v}) in ({falses}) then false end"
    if t == YTUNNUS:
        weights = (7, 9, 10, 5, 8, 4, 2)
        total = " + ".join(f"{w} * cast(substr({v}, {i + 1}, 1) as integer)" for i, w in enumerate(weights))
        check = f"(({total}) % 11)"
        return (
            f"case when regexp_full_match({v}, '\\d{{7}}-\\d') and {check} <> 1 and "
            f"cast(substr({v}, 9, 1) as integer) = case when {check} = 0 then 0 else 11 - {check} end "
            f"then {v} end"
        )
    if t == HETU:
        return f"upper({v})"
    raise ValueError(t)


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


def error_exprs(kind: Kind, headers: dict[str, str], register: bool) -> list[str]:
    """One `case when … then {error struct} end` per rule that can fire on a column."""
    out: list[str] = []
    for col in kind.columns:
        if col.name not in headers:
            continue
        header = headers[col.name]
        v, t = q("r_" + col.name), q("t_" + col.name)
        shown = masked(col, v)
        if col.required:
            out.append(f"case when {v} is null then {_err(header, 'required_missing', 'null')} end")
        if col.type == YTUNNUS:
            out.append(f"case when {v} is not null and {t} is null then {_err(header, 'invalid_business_id', shown)} end")
            if register:
                out.append(
                    f"case when {t} is not null and _reg_provider_id is null "
                    f"then {_err(header, 'unknown_provider', shown)} end"
                )
        elif col.type == HETU:
            fmt = f"regexp_full_match({t}, {lit(HETU_PATTERN)})"
            out.append(f"case when {v} is not null and not {fmt} then {_err(header, 'identity_code_format', shown)} end")
            out.append(
                f"case when {fmt} and _birth_date is null then {_err(header, 'identity_code_date', shown)} end"
            )
            checksum = (
                f"substr({lit(HETU_CHECK)}, cast(cast(substr({t}, 1, 6) || substr({t}, 8, 3) as bigint) % 31 as integer) + 1, 1)"
            )
            out.append(
                f"case when {fmt} and _birth_date is not null and {checksum} <> substr({t}, 11, 1) "
                f"then {_err(header, 'identity_code_check', shown)} end"
            )
        elif col.type == DATE:
            out.append(f"case when {v} is not null and {t} is null then {_err(header, 'invalid_date', shown)} end")
        elif col.type == CODE:
            codes = ", ".join(lit(c) for c in CODE_LISTS[col.code_list])
            out.append(
                f"case when {v} is not null and {t} not in ({codes}) "
                f"then {_err(header, 'invalid_code', shown, code_hint(col.code_list))} end"
            )
        elif col.type == BOOLEAN:
            out.append(f"case when {v} is not null and {t} is null then {_err(header, 'invalid_boolean', shown)} end")
        elif col.type in (DECIMAL, SHARE, INTEGER):
            n = f"try_cast({_number(v)} as double)"
            if col.type == SHARE:
                n = f"try_cast(replace({_number(v)}, '%', '') as double)"
            out.append(f"case when {v} is not null and {n} is null then {_err(header, 'invalid_number', shown)} end")
            if col.type == INTEGER:
                out.append(
                    f"case when {n} is not null and {t} is null then {_err(header, 'not_integer', shown)} end"
                )
            if col.low is not None:
                out.append(
                    f"case when {t} < {col.low} or {t} > {col.high} "
                    f"then {_err(header, 'out_of_range', shown, range_hint(col.low, col.high))} end"
                )
    if "end_date" in headers and "start_date" in headers:
        out.append(
            f"case when t_end_date < t_start_date then "
            f"{_err(headers['end_date'], 'end_before_start', masked(kind.column('end_date'), 'r_end_date'))} end"
        )
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
    """
    trim_chars = lit(" \t\r\n\u00a0")
    raw_cols = ",\n    ".join(
        f"nullif(trim(c{positions[c.name]}, {trim_chars}), '') as {q('r_' + c.name)}"
        if c.name in positions
        else f"null::varchar as {q('r_' + c.name)}"
        for c in kind.columns
    )
    all_cells = " || ".join(f"coalesce(trim(c{i}, {trim_chars}), '')" for i in range(n_source_cols))
    typed = ",\n    ".join(
        f"{typed_expr(c, q('r_' + c.name))} as {q('t_' + c.name)}" for c in kind.columns
    )
    hetu_cols = [c for c in kind.columns if c.type == HETU]
    birth = (
        f",\n    case when regexp_full_match(upper(r_{hetu_cols[0].name}), {lit(HETU_PATTERN)}) then "
        f"{hetu_birth_date('upper(r_' + hetu_cols[0].name + ')')} end as _birth_date"
        if hetu_cols
        else ""
    )
    errors = ",\n      ".join(error_exprs(kind, headers, register is not None))
    reg_join = (
        f"left join (select provider_id as _reg_provider_id from {register}) as reg "
        f"on reg._reg_provider_id = typed.t_provider_id"
        if register
        else ""
    )
    return f"""
with src as (
  select _file, _row,
    {raw_cols},
    ({all_cells}) = '' as _empty
  from {source}
),
typed as (
  select *,
    {typed}{birth}
  from src
  where not _empty
)
select typed.*,
  list_filter([
      {errors}
  ], e -> e is not null) as _errors
from typed
{reg_join}
"""
