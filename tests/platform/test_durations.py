"""Human durations turn into the milliseconds Kafka configs take."""

from __future__ import annotations

import pytest

from streamplane.platform.rules.durations import format_duration_ms, parse_duration_ms


@pytest.mark.parametrize("text,ms", [("250ms", 250), ("90s", 90_000), ("15m", 900_000), ("12h", 43_200_000),
                                     ("3d", 259_200_000), ("7d", 604_800_000), ("2w", 1_209_600_000), ("0s", 0)])
def test_parse_duration_ms(text, ms):
    assert parse_duration_ms(text) == ms


@pytest.mark.parametrize("text", ["3", "3 days", "-1d", "1.5h", "", "d3"])
def test_parse_duration_ms_rejects_other_forms(text):
    with pytest.raises(ValueError, match=r"expected a number and a unit \(ms, s, m, h, d, w\)"):
        parse_duration_ms(text)


@pytest.mark.parametrize("ms,text", [(259_200_000, "3d"), (604_800_000, "1w"), (90_000, "90s"), (1_500, "1500ms")])
def test_format_duration_ms_is_the_shortest_exact_spelling(ms, text):
    assert format_duration_ms(ms) == text
