"""Projection and Kafka-sink compatibility checks, naming both streams and the field."""

from __future__ import annotations

from streamplane.kafka.kinds.stream import EventSchema, SchemaField
from streamplane.routing.schema_flow import Projected, project, sink_problems

SOURCE = EventSchema((SchemaField("ts", "timestamp"), SchemaField("country", "string"), SchemaField("title_id", "int"),
                      SchemaField("bitrate_kbps", "long", nullable=True), SchemaField("attributes", "map")))


def test_empty_projection_passes_everything_through():
    record, problems = project(SOURCE, (), "playback-events")
    assert (record, problems) == (SOURCE, [])


def test_projection_selects_and_renames():
    record, problems = project(SOURCE, (Projected(0, "ts", "ts"), Projected(1, "country", "geo")), "playback-events")
    assert problems == []
    assert record == EventSchema((SchemaField("ts", "timestamp"), SchemaField("geo", "string")))


def test_projection_of_unknown_field_names_the_source():
    _, problems = project(SOURCE, (Projected(0, "ts", "ts"), Projected(1, "countri", "countri")), "playback-events")
    assert [(p.index, p.message) for p in problems] == [(1, 'field "countri" is not in the schema of stream "playback-events" '
                                                           '(fields: ts, country, title_id, bitrate_kbps, attributes). Did you mean "country"?')]


def test_projection_writing_a_name_twice_is_rejected():
    _, problems = project(SOURCE, (Projected(0, "ts", "t"), Projected(1, "country", "t")), "playback-events")
    assert [(p.index, p.message) for p in problems] == [(1, 'the projection writes "t" twice (items 0 and 1); rename one with "as".')]


def sink(*fields: SchemaField) -> EventSchema:
    return EventSchema(fields)


def test_compatible_sink_has_no_problems_and_widening_is_allowed():
    assert sink_problems(SOURCE, sink(SchemaField("ts", "timestamp"), SchemaField("title_id", "long")), "a", "b") == []


def test_missing_required_sink_field_names_both_streams():
    [problem] = sink_problems(SOURCE, sink(SchemaField("device_type", "string")), "playback-events", "playback-enriched")
    assert problem.message == ('sink stream "playback-enriched" requires field "device_type" (string), which the route from '
                               '"playback-events" does not produce. Add it to the projection or make it nullable in "playback-enriched".')


def test_missing_nullable_sink_field_is_fine():
    assert sink_problems(SOURCE, sink(SchemaField("device_type", "string", nullable=True)), "a", "b") == []


def test_type_mismatch_names_both_streams_and_the_field():
    [problem] = sink_problems(SOURCE, sink(SchemaField("country", "long")), "playback-events", "playback-enriched")
    assert problem.message == 'field "country" is string in the record routed from "playback-events" but long in sink stream "playback-enriched".'


def test_nullable_into_required_is_rejected():
    [problem] = sink_problems(SOURCE, sink(SchemaField("bitrate_kbps", "long")), "playback-events", "playback-enriched")
    assert problem.message.startswith('field "bitrate_kbps" may be null in the record routed from "playback-events" but is required')
