"""ISO-8601 periods with Druid (Joda) semantics, and Druid granularities (streamplane/platform/rules/periods.py)."""

from __future__ import annotations

import json
import re

import pytest

from streamplane.platform.rules.periods import coarser, format_seconds, parse_period, read_period, standard_seconds
from tests.conftest import REPO


def test_period_parts_are_parsed():
    p = parse_period("P1Y2M3W4DT5H6M7S")
    assert (p.years, p.months, p.weeks, p.days, p.hours, p.minutes, p.seconds) == (1, 2, 3, 4, 5, 6, 7)


def test_fixed_periods_have_one_length():
    p = parse_period("P1DT2H30M")
    assert p.min_seconds == p.max_seconds == 86400 + 7200 + 1800


def test_months_and_years_span_their_shortest_and_longest():
    month, year = parse_period("P1M"), parse_period("P1Y")
    assert (month.min_seconds, month.max_seconds) == (28 * 86400, 31 * 86400)
    assert (year.min_seconds, year.max_seconds) == (365 * 86400, 366 * 86400)


@pytest.mark.parametrize("text", ["PT", "P", "1H", "PT1D", "P1H", "pt1h", ""])
def test_non_periods_are_rejected(text):
    with pytest.raises(ValueError, match="is not an ISO-8601 period"):
        parse_period(text)


@pytest.mark.parametrize("seconds, text", [(0, "PT0S"), (3 * 3600, "PT3H"), (86400 + 3600, "P1DT1H"),
                                           (90, "PT1M30S"), (2 * 86400, "P2D")])
def test_seconds_format_as_periods(seconds, text):
    assert format_seconds(seconds) == text
    assert parse_period(text).min_seconds == seconds


def test_granularities_order_from_fine_to_coarse():
    assert coarser("DAY", "HOUR") and coarser("HOUR", "MINUTE") and coarser("MINUTE", "NONE")
    assert not coarser("MINUTE", "HOUR") and not coarser("HOUR", "HOUR")


@pytest.mark.parametrize("text, seconds", [("PT1H", 3600), ("P1D", 86400), ("P1DT2H30M", 95400), ("PT0S", 0),
                                           (" pt1h ", 3600), ("P1W", 7 * 86400)])
def test_read_period_takes_resource_inputs_in_any_case(text, seconds):
    found = read_period(text)
    assert found is not None and found.min_seconds == seconds


@pytest.mark.parametrize("value", ["PT", "P", "1h", "", None, 3600, "PT1.5S"])
def test_read_period_is_none_for_what_is_not_a_period(value):
    assert read_period(value) is None


def test_standard_durations_are_jodas_weeks_days_and_hours():
    assert standard_seconds(parse_period("P1W2DT3H")) == 9 * 86400 + 3 * 3600


@pytest.mark.parametrize("text", ["P1M", "P1Y", "P1MT1H"])
def test_standard_durations_refuse_months_and_years_as_joda_does(text):
    with pytest.raises(ValueError, match="years or months"):
        standard_seconds(parse_period(text))


def test_the_standard_period_pattern_is_the_parser_without_months_or_years():
    """schemas/common.json standardPeriod (fields Druid passes to toStandardDuration) accepts exactly the
    periods rules/periods.py parses and standard_seconds converts: one period grammar, two spellings."""
    defs = json.loads((REPO / "schemas" / "common.json").read_text())["$defs"]
    standard = re.compile(defs["standardPeriod"]["pattern"])
    for text in ("PT1H", "P1D", "P1W", "P2WT3H", "PT30M", "PT5S", "P1DT12H", "P1M", "P1Y", "P1MT1H", "P1Y2M",
                 "PT", "P", "1h", "P1H"):
        try:
            fixed = standard_seconds(parse_period(text)) >= 0
        except ValueError:
            fixed = False
        assert bool(standard.match(text)) is fixed, text
