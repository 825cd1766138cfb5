"""ISO-8601 periods as Druid reads them (PT1H, P7D, P1M), and Druid's named granularities.

The one period parser of the project: spec checks, risk rules and the policy pack all use it.

Druid parses periods with Joda-Time (`org.joda.time.Period`), and what a month means depends on
where the period is used:
- ioConfig taskDuration, startDelay, period, completionTimeout, lateMessageRejectionPeriod and
  earlyMessageRejectionPeriod: the supervisor converts them with `Period.toStandardDuration()`
  (apache/druid @ 059320f1 indexing-service SeekableStreamSupervisorIOConfig), which assumes 7-day
  weeks and 24-hour days and refuses a period with years or months (JodaOrg/joda-time @ 0cd0ccad
  Period.toStandardDuration: checkYearsAndMonths). `standard_seconds` is that conversion; the schema
  spells the same grammar without Y and M as `standardPeriod` (schemas/common.json), so a month
  there is a located validate-time error (tests/platform/test_periods.py keeps the two in step).
  streamplane does not expose startDelay or period (Druid's PT5S and PT30S apply).
- compaction skipOffsetFromLatest and load/drop rule periods: calendar arithmetic
  (`latest.minus(skipOffset)` in the coordinator's compaction segment iterator), so a month is
  28 to 31 days and a year 365 or 366.
Months and years therefore have no fixed length here: a period is a range of seconds, and safety
checks compare the shortest one side can be against the longest the other can be, never an average
(not 30-day months).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PERIOD = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$")

MINUTE_S = 60
HOUR_S = 60 * MINUTE_S
DAY_S = 24 * HOUR_S
WEEK_S = 7 * DAY_S
MONTH_MIN_S, MONTH_MAX_S = 28 * DAY_S, 31 * DAY_S
YEAR_MIN_S, YEAR_MAX_S = 365 * DAY_S, 366 * DAY_S


@dataclass(frozen=True)
class Period:
    """A parsed ISO-8601 period; `text` is what the user wrote."""

    text: str
    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0
    hours: int = 0
    minutes: int = 0
    seconds: int = 0

    @property
    def _fixed_s(self) -> int:
        return self.weeks * WEEK_S + self.days * DAY_S + self.hours * HOUR_S + self.minutes * MINUTE_S + self.seconds

    @property
    def min_seconds(self) -> int:
        """The shortest this period can be (months of 28 days, years of 365)."""
        return self.years * YEAR_MIN_S + self.months * MONTH_MIN_S + self._fixed_s

    @property
    def max_seconds(self) -> int:
        """The longest this period can be (months of 31 days, years of 366)."""
        return self.years * YEAR_MAX_S + self.months * MONTH_MAX_S + self._fixed_s

    @property
    def calendar(self) -> bool:
        """Whether the period has years or months, which Joda's toStandardDuration refuses."""
        return bool(self.years or self.months)


def standard_seconds(period: Period) -> int:
    """Joda's `Period.toStandardDuration()` in seconds: weeks of 7 days, days of 24 hours.

    Raises ValueError for a period with years or months, as Joda (and so the Druid supervisor) does.
    """
    if period.calendar:
        raise ValueError(f"{period.text} has years or months, which have no standard length; "
                         "Druid refuses it where it needs a duration. Write it in weeks, days or hours.")
    return period.min_seconds


def parse_period(text: str) -> Period:
    """Parse `text` (e.g. PT10M, P1DT2H). Raises ValueError if it is not an ISO-8601 period."""
    match = _PERIOD.match(text)
    if not match:
        raise ValueError(f'"{text}" is not an ISO-8601 period (e.g. PT10M, PT1H, P7D)')
    return Period(text, **{k: int(v) for k, v in match.groupdict().items() if v})


def read_period(value: object) -> Period | None:
    """A period from a resource input (any case, surrounding space allowed), or None when the value
    is missing or not a period: for rules reading synth graphs and previews, which stay quiet then."""
    if not isinstance(value, str):
        return None
    try:
        return parse_period(value.strip().upper())
    except ValueError:
        return None


def format_seconds(total: int) -> str:
    """An ISO-8601 period for a number of seconds, in days, hours, minutes and seconds (P1DT2H)."""
    if total <= 0:
        return "PT0S"
    days, rest = divmod(total, DAY_S)
    hours, rest = divmod(rest, HOUR_S)
    minutes, seconds = divmod(rest, MINUTE_S)
    date = f"{days}D" if days else ""
    time = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    return f"P{date}" + (f"T{time}" if time else "")


# Druid's named granularities, finest first, with their length in seconds. Query granularity NONE
# keeps millisecond timestamps; ALL is one bucket for everything.
GRANULARITY_SECONDS: dict[str, float] = {
    "NONE": 0.001,
    "SECOND": 1,
    "MINUTE": MINUTE_S,
    "FIVE_MINUTE": 5 * MINUTE_S,
    "TEN_MINUTE": 10 * MINUTE_S,
    "FIFTEEN_MINUTE": 15 * MINUTE_S,
    "THIRTY_MINUTE": 30 * MINUTE_S,
    "HOUR": HOUR_S,
    "SIX_HOUR": 6 * HOUR_S,
    "EIGHT_HOUR": 8 * HOUR_S,
    "DAY": DAY_S,
    "WEEK": WEEK_S,
    "MONTH": MONTH_MIN_S,
    "QUARTER": 3 * MONTH_MIN_S,
    "YEAR": YEAR_MIN_S,
    "ALL": float("inf"),
}


CHUNK_MAX_SECONDS: dict[str, int] = {
    **{name: int(s) for name, s in GRANULARITY_SECONDS.items() if name not in ("NONE", "ALL")},
    "MONTH": MONTH_MAX_S, "QUARTER": 92 * DAY_S, "YEAR": YEAR_MAX_S}
"""The longest a time chunk (segment) of each granularity can be, where GRANULARITY_SECONDS holds the
shortest: a month of 31 days, a quarter of 92 (July to September), a year of 366."""


def coarser(a: str, b: str) -> bool:
    """Whether granularity `a` is coarser than granularity `b`."""
    return GRANULARITY_SECONDS[a] > GRANULARITY_SECONDS[b]
