"""druid-ingestion-require-compaction-delay: auto-compaction waits past the late-data window and task handoff."""

from __future__ import annotations

import json
from collections.abc import Mapping

from pulumi_policy import EnforcementLevel, ResourceValidationArgs

from streamplane.rules.druid import DEFAULT_SKIP_OFFSET_FROM_LATEST, DEFAULT_TASK_DURATION, compaction_starts_too_early
from streamplane.rules.periods import read_period

from ..support import UNKNOWN, get, is_unknown, resource_policy
from ._druid import DRUID_INGESTION, object_label


def supervisor_spec(props):
    """The supervisor spec: nativeSpec when given (the operator then ignores spec), else the JSON string."""
    native = get(props, "spec", "ingestion", "nativeSpec")
    if native is not None:
        return native
    text = get(props, "spec", "ingestion", "spec")
    if is_unknown(text):
        return UNKNOWN
    try:
        return json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None


def check(args: ResourceValidationArgs):
    compaction = get(args.props, "spec", "ingestion", "compaction")
    spec = supervisor_spec(args.props)
    if not isinstance(compaction, Mapping) or not isinstance(spec, Mapping):
        return
    name = object_label(args)
    io = get(spec, "spec", "ioConfig") if get(spec, "spec") is not None else get(spec, "ioConfig")
    skip_text = get(compaction, "skipOffsetFromLatest", default=DEFAULT_SKIP_OFFSET_FROM_LATEST)
    late_text = get(io, "lateMessageRejectionPeriod")
    task_text = get(io, "taskDuration", default=DEFAULT_TASK_DURATION)
    if any(is_unknown(v) for v in (skip_text, late_text, task_text)):
        return
    if late_text is None:
        yield (f'Druid ingestion "{name}" compacts but accepts data of any lateness, so compaction can overwrite '
               "segments still being written: set ioConfig.lateMessageRejectionPeriod.")
        return
    skip, late, task = (read_period(t) for t in (skip_text, late_text, task_text))
    if skip is None or late is None or task is None:
        return
    if compaction_starts_too_early(skip, late, task):
        yield (f'Druid ingestion "{name}" compacts after skipOffsetFromLatest {skip_text}, within '
               f"lateMessageRejectionPeriod {late_text} + taskDuration {task_text}: compaction can overwrite segments "
               "still being handed off; raise compaction.skipOffsetFromLatest above their sum.")


POLICY = resource_policy(
    "druid-ingestion-require-compaction-delay",
    "Druid auto-compaction must skip more than the late-data window plus the task duration.",
    [DRUID_INGESTION], check, EnforcementLevel.MANDATORY)
