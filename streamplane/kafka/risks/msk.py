"""Amazon MSK clusters (aws.msk.Cluster)."""

from __future__ import annotations

from collections.abc import Iterator

from ...plan import paths as P
from ...plan.context import PlanContext
from ...plan.model import Change, Risk
from ...platform.rules import types
from ...risks.catalogue import hazard
from ...risks.common import who
from ..replace import is_version_downgrade

CLUSTER = types.MSK_CLUSTER


def cluster_replace(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.type != CLUSTER or change.action != "replace":
        return
    before, after = change.inputs("before"), change.inputs("after")
    details = []
    for path in change.replace_paths:
        details.append(f"{path}: {P.get(before, path, None)!r} -> {P.get(after, path, None)!r}")
    yield hazard("msk.cluster-replace").risk(
        f"{who(change, 'Kafka cluster')}: MSK cluster \"{before.get('clusterName', change.name)}\" would be replaced "
        f"({'; '.join(details)}): every topic, its data and consumer offsets on it are lost, and clients must "
        "switch to new bootstrap brokers. Undo these changes, or build a new cluster beside it and migrate.")


def version_downgrade(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    """An in-place downgrade (the provider replaces only semver-parsable downgrades, plan/replace.py)."""
    if change.type != CLUSTER or change.action != "update":
        return
    before, after = change.inputs("before"), change.inputs("after")
    if is_version_downgrade(before, after):
        yield hazard("msk.version-downgrade").risk(
            f"{who(change, 'Kafka cluster')}: kafkaVersion {before.get('kafkaVersion')} -> {after.get('kafkaVersion')} "
            "is planned as an in-place update, which MSK refuses: it cannot downgrade a cluster. Keep the version, "
            "or build a new cluster beside it and migrate.")


RULES = (cluster_replace, version_downgrade)
