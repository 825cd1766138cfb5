"""The route filter language: parsing, canonical rendering, syntax errors with columns, type checks."""

from __future__ import annotations

import pytest

from streamplane.kafka.kinds.stream import EventSchema, SchemaField
from streamplane.routing.filter_dsl import FilterSyntaxError, parse, paths, render
from streamplane.routing.typecheck import check

SCHEMA = EventSchema((
    SchemaField("ts", "timestamp"), SchemaField("country", "string"), SchemaField("bitrate_kbps", "long"),
    SchemaField("device.type", "string"), SchemaField("attributes", "map"), SchemaField("live", "boolean"),
    SchemaField("payload", "bytes"), SchemaField("error.code", "int", nullable=True),
))


@pytest.mark.parametrize("text,canonical", [
    ('country == "US"', 'country == "US"'),
    ('country=="US"   and   bitrate_kbps>=3000', 'country == "US" and bitrate_kbps >= 3000'),
    ('event in ["start","stop"]', 'event in ["start", "stop"]'),
    ("not exists(error.code)", "not exists(error.code)"),
    ("a == 1 or b == 2 and c == 3", "a == 1 or b == 2 and c == 3"),
    ("(a == 1 or b == 2) and c == -3.5", "(a == 1 or b == 2) and c == -3.5"),
    ("((a == true))", "a == true"),
    ("not (a == 1 or b == false)", "not (a == 1 or b == false)"),
    ('note == "say \\"hi\\""', 'note == "say \\"hi\\""'),
])
def test_parses_and_renders_canonically(text, canonical):
    assert render(parse(text)) == canonical
    assert render(parse(canonical)) == canonical


def test_keywords_are_whole_words():
    assert [p.name for p in paths(parse('notes == "x" and android == 1 or index > 2'))] == ["notes", "android", "index"]


def test_paths_keep_their_columns():
    assert [(p.name, p.column) for p in paths(parse('country == "US" and exists(device.type)'))] == [("country", 1), ("device.type", 28)]


@pytest.mark.parametrize("text,column,message", [
    ('country = "US"', 9, 'unexpected character "=": compare with "==", not "="'),
    ("country == 'US'", 12, 'unexpected character "\'": strings use double quotes'),
    ("country == ", 12, 'the expression ends too early, expected "false", "true", a number, a string'),
    ('country == "US" and', 20, 'the expression ends too early, expected "(", "exists", "not", a field name'),
    ("(a == 1", 8, 'the expression ends too early, expected ")"'),
    ("a in []", 7, 'unexpected "]", expected "false", "true", a number, a string'),
    ("a == 1 b == 2", 8, 'unexpected "b", expected "and", "or", the end'),
    ("   ", 1, "the filter is empty"),
])
def test_syntax_errors_point_at_the_column(text, column, message):
    with pytest.raises(FilterSyntaxError) as err:
        parse(text)
    assert (err.value.column, str(err.value)) == (column, message)


def problems(text: str) -> list[tuple[int, str]]:
    return [(p.column, p.message) for p in check(parse(text), SCHEMA, "playback-events")]


def test_well_typed_filter_has_no_problems():
    assert problems('country in ["US", "CA"] and bitrate_kbps >= 3000 and not exists(error.code) '
                    'and device.type != "tv" and live == true and ts > 1700000000000 and attributes.plan == "premium"') == []


def test_unknown_field_names_the_stream_and_suggests():
    assert problems('contry == "US"') == [(1, 'field "contry" is not in the schema of stream "playback-events" (fields: ts, '
                                              'country, bitrate_kbps, device.type, attributes, live, payload, error.code). Did you mean "country"?')]


def test_string_compared_with_number_is_rejected_at_the_literal():
    assert problems('bitrate_kbps == "high"') == [(17, 'string "high" cannot be compared with field "bitrate_kbps" (long); expected a number.')]


def test_number_compared_with_string_field_is_rejected():
    assert problems("country == 1") == [(12, 'number 1 cannot be compared with field "country" (string); expected a string.')]


def test_ordering_on_strings_is_rejected():
    assert problems('country > "A"') == [(1, '">" does not apply to field "country" (string); use == or != (or in [...]).')]


def test_membership_checks_every_option():
    assert problems('country in ["US", 3, true]') == [
        (19, 'number 3 cannot be a value of field "country" (string); expected a string.'),
        (22, 'boolean true cannot be a value of field "country" (string); expected a string.'),
    ]


def test_opaque_fields_only_support_exists():
    assert problems('payload == "x"') == [(1, 'field "payload" is a bytes and cannot be compared; only exists(payload) applies to it.')]
    assert problems("exists(payload)") == []


def test_every_problem_is_reported():
    assert [c for c, _ in problems('nope == 1 and country == 2 or live == "yes"')] == [1, 26, 39]


def test_the_same_filter_text_is_parsed_once():
    """2,000 routes with one filter parse it once (the check phase and the router both ask)."""
    parse.cache_clear()
    text = "bitrate_kbps > 1000 and device_type == \"tv\""
    first = parse(text)
    assert parse(text) is first
    assert parse.cache_info().hits == 1 and parse.cache_info().misses == 1


def test_a_bad_filter_fails_every_time_it_is_parsed():
    for _ in range(2):
        with pytest.raises(FilterSyntaxError, match="ends too early"):
            parse("bitrate_kbps >")
