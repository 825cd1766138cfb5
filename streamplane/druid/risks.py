"""Druid datasources (druid-operator DruidIngestion: a Kafka supervisor, compaction and load rules)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..plan import paths as P
from ..plan.context import PlanContext
from ..plan.model import Change, Risk
from ..platform.rules.types import DRUID_INGESTION
from ..risks.catalogue import hazard
from ..risks.common import gone, who
from .facts import DEFAULT_DRUID_TIER, druid_tiers
from .rules import read_compaction_delay

INGESTION = DRUID_INGESTION


def supervisor(inputs: dict) -> dict:
    """The Kafka supervisor spec of a DruidIngestion: nativeSpec (object) wins over spec (JSON text)."""
    ingestion = (inputs.get("spec") or {}).get("ingestion") or {}
    native = ingestion.get("nativeSpec")
    if isinstance(native, dict):
        return native
    text = ingestion.get("spec")
    if isinstance(text, str):
        try:
            parsed = json.loads(text)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}
    return {}


def _inner(sup: dict) -> dict:
    """Supervisor specs nest dataSchema/ioConfig under `spec` (or give them at the top level)."""
    inner = sup.get("spec")
    return inner if isinstance(inner, dict) else sup


def _get(sup: dict, path: str):
    return P.get(_inner(sup), path, None)


def _datasource(change: Change, side: str) -> str:
    return str(_get(supervisor(change.inputs(side)), "dataSchema.dataSource") or change.name)


def compaction_overlaps_late_data(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.type != INGESTION or change.action not in ("create", "update", "replace"):
        return
    inputs = change.inputs("after")
    compaction = ((inputs.get("spec") or {}).get("ingestion") or {}).get("compaction")
    if not isinstance(compaction, dict):
        return
    sup = supervisor(inputs)
    delay = read_compaction_delay(
        compaction.get("skipOffsetFromLatest"), _get(sup, "ioConfig.lateMessageRejectionPeriod"),
        _get(sup, "ioConfig.taskDuration"), _get(sup, "ioConfig.completionTimeout"),
        _get(sup, "ioConfig.earlyMessageRejectionPeriod"), _get(sup, "dataSchema.granularitySpec.segmentGranularity"))
    if delay is None or not delay.too_early:
        return
    unbounded = (f" ({' and '.join(delay.unbounded)} unset: Druid accepts those rows without limit, so no "
                 "skip is long enough)") if delay.unbounded else ""
    yield hazard("druid.compaction-overlaps-late-data").risk(
        f"{who(change, 'datasource')}: compaction skipOffsetFromLatest {delay.skip.text} < {delay.terms()}"
        f"{unbounded}: compaction can overwrite segments still being written or handed off, and those rows are "
        f"lost. Raise skipOffsetFromLatest to at least {delay.minimum_skip}"
        + (f" and set {' and '.join(delay.unbounded)}." if delay.unbounded else "."))


def granularity_change(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.type != INGESTION or change.action != "update":
        return
    before, after = supervisor(change.inputs("before")), supervisor(change.inputs("after"))
    changed = []
    for field in ("segmentGranularity", "queryGranularity", "rollup"):
        old, new = _get(before, f"dataSchema.granularitySpec.{field}"), _get(after, f"dataSchema.granularitySpec.{field}")
        if old != new:
            changed.append(f"{field} {old} -> {new}")
    if changed:
        yield hazard("druid.granularity-change").risk(
            f"{who(change, 'datasource')}: {', '.join(changed)}. New segments use the new granularity while old "
            "ones keep theirs: queries see mixed data until the datasource is reindexed or compacted.")


def ingestion_reset(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.type != INGESTION or change.action not in ("update", "replace"):
        return
    before, after = supervisor(change.inputs("before")), supervisor(change.inputs("after"))
    changed = []
    for field, label in (("ioConfig.topic", "topic"), ("dataSchema.dataSource", "datasource name")):
        old, new = _get(before, field), _get(after, field)
        if old != new:
            changed.append(f'{label} "{old}" -> "{new}"')
    if change.action == "replace" and not changed:
        changed.append(f"the DruidIngestion is {gone(change)}")
    if changed:
        yield hazard("druid.ingestion-reset").risk(
            f"{who(change, 'datasource')}: {', '.join(changed)}: the supervisor restarts from other Kafka offsets, "
            "so rows are skipped or ingested twice, and a renamed datasource starts empty.")


def replicas_exceed_tier(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.type != INGESTION or change.action not in ("create", "update", "replace"):
        return
    rules = ((change.inputs("after").get("spec") or {}).get("ingestion") or {}).get("rules") or []
    tiers = druid_tiers(ctx)
    if not tiers:
        return  # the cluster is not in this graph: its historicals are unknown
    for index, rule in enumerate(rules):
        replicants = rule.get("tieredReplicants") if isinstance(rule, dict) else None
        for tier, wanted in (replicants or {}).items():
            have = tiers.get(tier, 0)
            if isinstance(wanted, int) and wanted > have:
                yield hazard("druid.replicas-exceed-tier").risk(
                    f"{who(change, 'datasource')}: load rule {index} ({rule.get('type')}) asks for {wanted} replica(s) on "
                    f'tier "{tier}", which has {have} historical(s): segments stay under-replicated and the coordinator '
                    f"keeps retrying. Lower tieredReplicants or add historicals to the tier"
                    f"{' (default tier: ' + DEFAULT_DRUID_TIER + ')' if tier == DEFAULT_DRUID_TIER else ''}.")


RULES = (compaction_overlaps_late_data, granularity_change, ingestion_reset, replicas_exceed_tier)
