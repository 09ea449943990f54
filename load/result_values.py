"""A query result's values as JSON values and as text: one set of rules for `minutes sql` (csv, json,
table cells), its prompt and `minutes export`, so every output reads a value back the same way."""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from decimal import Decimal
from typing import Any


def json_value(value: Any) -> Any:
    """A warehouse value as JSON: dates and times ISO strings, decimals numbers (doubles: cast to
    VARCHAR in the query for more than ~15 digits), intervals ISO-8601 durations, NaN/inf null."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.timedelta):
        return _iso_duration(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):  # STRUCT, MAP (whose keys may be numbers or dates)
        return {k if isinstance(k, str) else str(json_value(k)): json_value(v) for k, v in value.items()}
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)


def cell_text(value: Any) -> str:
    """A warehouse value in a CSV or table cell: lists and structs as JSON, decimals exact."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # every digit; NaN and infinities as nan, inf (JSON has none: null there)
    if isinstance(value, list | tuple | dict):
        return json.dumps(json_value(value), ensure_ascii=False)
    return str(json_value(value))


def _iso_duration(delta: dt.timedelta) -> str:
    """timedelta(days=1, hours=2) -> P1DT2H; DuckDB gives a month as 30 days."""
    sign, delta = ("-", -delta) if delta < dt.timedelta(0) else ("", delta)
    hours, rest = divmod(delta.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    second_text = f"{seconds}.{delta.microseconds:06d}".rstrip("0") if delta.microseconds else str(seconds)
    clock = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M")) if n)
    clock += f"{second_text}S" if seconds or delta.microseconds else ""
    days = f"{delta.days}D" if delta.days else ""
    return f"{sign}P{days}T{clock}" if clock else f"{sign}P{days or '0D'}"
