"""druid-ingestion-require-compaction-delay: auto-compaction waits past late and early data, task handoff and
two time chunks (streamplane.druid.rules.CompactionDelay)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from pulumi_policy import EnforcementLevel, ResourceValidationArgs

from streamplane.druid.rules import read_compaction_delay

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
    inner = get(spec, "spec") if get(spec, "spec") is not None else spec
    io = get(inner, "ioConfig")
    if is_unknown(inner) or is_unknown(io):
        return
    # Unknown values (UNKNOWN) are not periods: read_compaction_delay returns None and the rule stays quiet.
    delay = read_compaction_delay(
        get(compaction, "skipOffsetFromLatest"), get(io, "lateMessageRejectionPeriod"), get(io, "taskDuration"),
        get(io, "completionTimeout"), get(io, "earlyMessageRejectionPeriod"),
        get(inner, "dataSchema", "granularitySpec", "segmentGranularity"))
    if delay is None or not delay.too_early:
        return
    if delay.unbounded:
        yield (f'Druid ingestion "{name}" compacts but accepts rows without a bound on how late or early they are, '
               "so compaction can overwrite segments still being written: set ioConfig."
               + " and ioConfig.".join(delay.unbounded) + ".")
        return
    yield (f'Druid ingestion "{name}" compacts after skipOffsetFromLatest {delay.skip.text}, less than '
           f"{delay.terms()}: compaction can overwrite segments still being written or handed off; raise "
           f"compaction.skipOffsetFromLatest to at least {delay.minimum_skip}.")


POLICY = resource_policy(
    "druid-ingestion-require-compaction-delay",
    "Druid auto-compaction must skip at least the late and early windows, task duration, completion timeout and two segments.",
    [DRUID_INGESTION], check, EnforcementLevel.MANDATORY)
