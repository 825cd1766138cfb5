"""Human durations (`90s`, `12h`, `3d`) as milliseconds, the unit Kafka, Flink and Druid configs take.

The one duration parser and formatter (ISO-8601 periods are periods.py)."""

from __future__ import annotations

import re

MS_PER_UNIT = {"ms": 1, "s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}
_DURATION = re.compile(r"^([0-9]+)(ms|s|m|h|d|w)$")


def parse_duration_ms(text: str) -> int:
    """`3d` -> 259200000. The format is common.json's `duration`: digits then one of ms, s, m, h, d, w.

    Raises ValueError naming the accepted form for anything else (the schema has normally caught it).
    """
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(f'invalid duration {text!r}: expected a number and a unit (ms, s, m, h, d, w), e.g. "12h" or "3d".')
    return int(match.group(1)) * MS_PER_UNIT[match.group(2)]


UNITS = ("w", "d", "h", "m", "s")


def format_duration_ms(ms: int, largest: str = "w") -> str:
    """The shortest exact spelling of `ms` (259200000 -> "3d"), for messages; `largest` caps the unit
    (largest="d": 604800000 -> "7d", as Kafka's retention is usually written)."""
    for unit in UNITS[UNITS.index(largest):]:
        if ms and ms % MS_PER_UNIT[unit] == 0:
            return f"{ms // MS_PER_UNIT[unit]}{unit}"
    return f"{ms}ms"
