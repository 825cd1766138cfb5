"""Druid facts and rules: supervisor and compaction defaults, and when auto-compaction may start.

Upstream defaults (apache/druid @ 059320f1 indexing-service SeekableStreamSupervisorIOConfig):
- taskDuration PT1H, completionTimeout PT30M, startDelay PT5S, period PT30S (`defaultDuration(...)`);
  every one of them, and lateMessageRejectionPeriod / earlyMessageRejectionPeriod when set, goes
  through Joda's `Period.toStandardDuration()`, which refuses months and years (rules/periods.py).
- late/earlyMessageRejectionPeriod: Druid has none (rows are never rejected); streamplane sets both.
- skipOffsetFromLatest P1D: server DataSourceCompactionConfig (DEFAULT_SKIP_OFFSET_FROM_LATEST).
- segmentGranularity DAY when a granularitySpec leaves it out (indexing UniformGranularitySpec).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..platform.rules.periods import CHUNK_MAX_SECONDS, Period, format_seconds, read_period

DEFAULT_TASK_DURATION = "PT1H"
DEFAULT_COMPLETION_TIMEOUT = "PT30M"
DEFAULT_SKIP_OFFSET_FROM_LATEST = "P1D"
DEFAULT_SEGMENT_GRANULARITY = "DAY"
"""Druid's, when a granularitySpec has none (streamplane always writes one)."""
DEFAULT_LATE_MESSAGE_REJECTION_PERIOD = "PT1H"
"""streamplane's bound on lateness: Druid never rejects late rows by itself, and unbounded late
appends would race with compaction forever."""
DEFAULT_EARLY_MESSAGE_REJECTION_PERIOD = "PT1H"
"""streamplane's bound on rows from the future: device clocks run ahead, and without a bound one row
stamped next week makes a segment for next week, and compaction counts its skip offset back from there."""
SEGMENT_GRANULARITY_FACTOR = 2


@dataclass(frozen=True)
class CompactionDelay:
    """The compaction delay rule (issue 15): skipOffsetFromLatest >= lateMessageRejectionPeriod +
    taskDuration + completionTimeout + earlyMessageRejectionPeriod + 2 x segmentGranularity.

    Where the terms come from (apache/druid, as read):
    - The coordinator compacts only time chunks lying wholly before `latest - skipOffsetFromLatest`,
      where `latest` is the end of the newest published segment's interval, and subtracts the offset
      with calendar arithmetic (@ 892b89dc server/.../compaction/DataSourceCompactibleSegmentIterator
      findInitialSearchInterval, computeLatestSkipInterval).
    - A supervisor task accepts rows from its start minus lateMessageRejectionPeriod up to its start
      plus taskDuration plus earlyMessageRejectionPeriod (indexing-service SeekableStreamSupervisor,
      where it creates a task group: minimumMessageTime / maximumMessageTime), reads for taskDuration
      and then has completionTimeout to publish (@ 059320f1 SeekableStreamSupervisorIOConfig).
    So a chunk can still change for late + task + completion after it closes; rows up to `early` ahead
    of the clock move `latest` forward by early, plus up to one segmentGranularity because `latest` is
    a chunk end. The second segmentGranularity is the margin issue 15 asks for (our reading of the
    iterator accounts for one; its bucketStart alignment only makes it more careful).
    A compaction task writes a newer segment version over a whole chunk: segments still receiving
    rows or being published are overshadowed and their rows lost.

    Periods are compared pessimistically: the shortest the skip can be (calendar months of 28 days)
    against the longest the rest can be (a MONTH chunk of 31 days). `late` or `early` None means
    Druid accepts rows of any lateness or any future timestamp: no skip is long enough.
    """

    skip: Period
    late: Period | None
    task: Period
    completion: Period
    early: Period | None
    segment_granularity: str

    @property
    def unbounded(self) -> tuple[str, ...]:
        """The rejection periods that are not set (Druid then accepts those rows without limit)."""
        return tuple(name for name, p in (("lateMessageRejectionPeriod", self.late),
                                          ("earlyMessageRejectionPeriod", self.early)) if p is None)

    @property
    def required_seconds(self) -> int:
        """The shortest safe skipOffsetFromLatest, counting unset rejection periods as zero."""
        periods = (self.late, self.task, self.completion, self.early)
        granularity = CHUNK_MAX_SECONDS[self.segment_granularity]
        return sum(p.max_seconds for p in periods if p is not None) + SEGMENT_GRANULARITY_FACTOR * granularity

    @property
    def too_early(self) -> bool:
        """Whether compaction can start on chunks that may still change."""
        return bool(self.unbounded) or self.skip.min_seconds < self.required_seconds

    @property
    def minimum_skip(self) -> str:
        """The skipOffsetFromLatest to set, as an ISO-8601 period."""
        return format_seconds(self.required_seconds)

    def terms(self) -> str:
        """The sum spelled out: `lateMessageRejectionPeriod PT1H + ... = PT5H30M`."""
        def text(p: Period | None) -> str:
            return p.text if p is not None else "unset"
        return (f"lateMessageRejectionPeriod {text(self.late)} + taskDuration {self.task.text} + "
                f"completionTimeout {self.completion.text} + earlyMessageRejectionPeriod {text(self.early)} + "
                f"{SEGMENT_GRANULARITY_FACTOR} x segmentGranularity {self.segment_granularity} = {self.minimum_skip}")


def read_compaction_delay(skip: object, late: object, task: object, completion: object, early: object,
                          segment_granularity: object) -> CompactionDelay | None:
    """The rule's inputs as a resource carries them (a synth graph, a preview, the policy pack's props):
    None for a value the resource leaves out (Druid's default applies; for late and early: no bound);
    returns None when any value is present but not readable (unknown until apply, or not a period),
    so the caller stays quiet rather than guess."""
    skip_p = read_period(DEFAULT_SKIP_OFFSET_FROM_LATEST if skip is None else skip)
    task_p = read_period(DEFAULT_TASK_DURATION if task is None else task)
    completion_p = read_period(DEFAULT_COMPLETION_TIMEOUT if completion is None else completion)
    late_p, early_p = read_period(late), read_period(early)
    granularity = DEFAULT_SEGMENT_GRANULARITY if segment_granularity is None else segment_granularity
    if (skip_p is None or task_p is None or completion_p is None or (late is not None and late_p is None)
            or (early is not None and early_p is None) or not isinstance(granularity, str)
            or granularity.upper() not in CHUNK_MAX_SECONDS):
        return None
    return CompactionDelay(skip_p, late_p, task_p, completion_p, early_p, granularity.upper())
