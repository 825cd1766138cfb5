"""Druid facts and rules: supervisor and compaction defaults, and when auto-compaction may start.

Upstream defaults (apache/druid):
- taskDuration PT1H: indexing-service SeekableStreamSupervisorIOConfig (`defaultDuration(taskDuration, "PT1H")`).
- skipOffsetFromLatest P1D: server DataSourceCompactionConfig (DEFAULT_SKIP_OFFSET_FROM_LATEST).
- lateMessageRejectionPeriod: Druid has none (late rows are never rejected); streamplane sets PT1H.
"""

from __future__ import annotations

from .periods import HOUR_S, Period

DEFAULT_TASK_DURATION = "PT1H"
DEFAULT_SKIP_OFFSET_FROM_LATEST = "P1D"
DEFAULT_LATE_MESSAGE_REJECTION_PERIOD = "PT1H"
"""streamplane's bound on lateness: Druid never rejects late rows by itself, and unbounded late
appends would race with compaction forever."""


def compaction_busy_seconds(late: Period | None, task: Period) -> int:
    """How long a time chunk may still change after it closes: the longest late-data window
    (0 when unset) plus the longest task duration (handoff happens when a task ends)."""
    return (late.max_seconds if late else 0) + task.max_seconds


def compaction_starts_too_early(skip: Period, late: Period | None, task: Period) -> bool:
    """The compaction delay rule: compaction must start only after late rows are rejected and tasks
    have handed off, i.e. the shortest skipOffsetFromLatest must exceed the longest late + task.

    A compaction task writes a newer segment version over a whole time chunk; segments of that chunk
    still receiving late rows, or still being handed off, are overshadowed and their rows are lost.
    """
    return skip.min_seconds <= compaction_busy_seconds(late, task)


def compaction_safe_skip_seconds(late: Period | None, task: Period) -> int:
    """The skipOffsetFromLatest to suggest: the busy window plus an hour of margin."""
    return compaction_busy_seconds(late, task) + HOUR_S
