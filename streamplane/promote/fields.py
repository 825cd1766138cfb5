"""Which values promotion carries from one environment to the next: kind -> JSON pointers.

Promotable values are the ones that say *what* runs (images, versions, artifacts): they are tested in
one environment and then carried forward. Everything else is environment-specific and never
promoted: sizes (brokers, parallelism, replicas, resources), retention, partitions, lifecycle days,
protection. Objects that an environment's overlay adds and the next environment lacks are promoted
whole (see docs/promotion.md).

To make a field promotable, add its pointer to its kind in streamplane/domains.py (and a line to docs/promotion.md). Promotion edits
YAML text, so a kind listed here need not be registered in this build: its documents are edited all
the same, and the plan step reports what it could not check.
"""

from __future__ import annotations

from ..domains import kinds

PROMOTABLE: dict[str, tuple[str, ...]] = {kind.name: kind.promotable for kind in kinds() if kind.promotable}
"""Per kind, the pointers its domain declares promotable (streamplane/domains.py): Flink images, jar
and runtime; the router image; the Kafka broker version; the Druid image."""


def promotable(kind: str) -> tuple[str, ...]:
    return PROMOTABLE.get(kind, ())
