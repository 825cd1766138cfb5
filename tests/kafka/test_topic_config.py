"""Topic configs are checked against Kafka 4.3's own table: names, types, ranges, removed keys."""

from __future__ import annotations

import pytest

from streamplane.errors import SpecError
from streamplane.kafka.topic_config import check_topic_config, config_string

from .helpers import MSK_CLUSTER, load, write_spec

VALID = {
    "compression.type": "zstd",
    "compression.gzip.level": -1,
    "max.message.bytes": 1048576,
    "min.cleanable.dirty.ratio": 0.5,
    "message.timestamp.type": "LogAppendTime",
    "preallocate": True,
    "segment.bytes": 1048576,
    "retention.bytes": "-1",
    "min.insync.replicas": 2,
    "follower.replication.throttled.replicas": "*",
}


@pytest.mark.parametrize("key,value", sorted(VALID.items()))
def test_topic_config_accepts_valid_values(key, value):
    assert check_topic_config(key, value) is None


@pytest.mark.parametrize("key,value,message", [
    ("retention.msec", 1000,
     'unknown topic config "retention.msec" (not a Kafka 4.3 topic config). Did you mean "retention.ms"? '
     "Set it through spec.retention (e.g. 3d)."),
    ("compresion.type", "zstd",
     'unknown topic config "compresion.type" (not a Kafka 4.3 topic config). Did you mean "compression.type"?'),
    ("zzz", 1, "unknown topic config \"zzz\" (not a Kafka 4.3 topic config). See Kafka's topic configs for valid names."),
    ("max.message.bytes", "big", 'max.message.bytes must be an integer (Kafka type int), got string "big".'),
    ("max.message.bytes", 3000000000, "max.message.bytes must fit Kafka type int (-2147483648 to 2147483647), got 3000000000."),
    ("max.message.bytes", -1, "max.message.bytes must be in [0,...] (Kafka's valid values), got -1."),
    ("compression.gzip.level", 12, "compression.gzip.level must be in [1,...,9] or -1 (Kafka's valid values), got 12."),
    ("segment.bytes", 14, "segment.bytes must be in [1048576,...] (Kafka's valid values), got 14."),
    ("min.cleanable.dirty.ratio", 1.5, "min.cleanable.dirty.ratio must be in [0,...,1] (Kafka's valid values), got 1.5."),
    ("min.cleanable.dirty.ratio", "half", 'min.cleanable.dirty.ratio must be a number (Kafka type double), got string "half".'),
    ("preallocate", "yes", 'preallocate must be true or false, got string "yes".'),
    ("compression.type", "zst",
     'compression.type must be one of uncompressed, zstd, lz4, snappy, gzip, producer, got "zst". Did you mean "zstd"?'),
    ("compression.type", 3, "compression.type must be a string (Kafka type string), got number 3."),
    ("retention.ms", 1000, "retention.ms comes from spec.retention (e.g. 3d); set it there, not in config."),
    ("cleanup.policy", "compact",
     "cleanup.policy comes from spec.compaction (true: compact, false: delete); set it there, not in config."),
    ("message.format.version", "3.0",
     "message.format.version was removed in Kafka 4.0 and 4.x brokers reject it. Delete this key "
     "(the broker behaves as if it were at its last default)."),
    ("message.downconversion.enable", True,
     "message.downconversion.enable was removed in Kafka 4.0 and 4.x brokers reject it. Delete this key "
     "(the broker behaves as if it were at its last default)."),
])
def test_topic_config_rejects_with_exact_message(key, value, message):
    assert check_topic_config(key, value) == message


@pytest.mark.parametrize("value,text", [(True, "true"), (False, "false"), (86400000, "86400000"), (0.5, "0.5"),
                                        (2.0, "2"), (" zstd ", "zstd")])
def test_config_values_are_written_as_kafka_strings(value, text):
    assert config_string(value) == text


STREAM_WITH_TYPO = """\
apiVersion: streamplane.io/v1
kind: Stream
metadata: {name: playback-events, owner: playback}
spec:
  cluster: fronting
  partitions: 12
  config:
    compression.type: zstd
    retention.msec: 86400000
"""


def test_topic_config_typo_fails_with_file_line_pointer_and_suggestion(tmp_path):
    folder = write_spec(tmp_path / "spec", {"clusters.yaml": MSK_CLUSTER, "streams.yaml": STREAM_WITH_TYPO})
    with pytest.raises(SpecError) as err:
        load(folder)
    assert [str(p) for p in err.value.problems] == [
        f"{folder / 'streams.yaml'}:9:5: /spec/config/retention.msec: unknown topic config \"retention.msec\" "
        '(not a Kafka 4.3 topic config). Did you mean "retention.ms"? Set it through spec.retention (e.g. 3d).'
    ]


def test_valid_topic_config_baseline_loads(tmp_path):
    folder = write_spec(tmp_path / "spec", {"clusters.yaml": MSK_CLUSTER,
                                            "streams.yaml": STREAM_WITH_TYPO.replace("retention.msec", "segment.ms")})
    assert load(folder).spec.get("Stream", "playback-events").spec.config == {"compression.type": "zstd", "segment.ms": 86400000}
