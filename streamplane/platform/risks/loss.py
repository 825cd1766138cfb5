"""Losses of data, state or access that no single domain owns: whole clusters, keys, namespaces,
retention windows, load rules, store lifecycles and `protect` itself. Levels per environment are in
the catalogue; these rules only say what goes and what remains."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ...checkpoint.risks import BUCKET_TYPES
from ...druid.risks import INGESTION
from ...kafka.risks.topics import TOPIC, _int, _topic
from ...plan.context import PlanContext
from ...plan.model import Change, Risk
from ...risks.catalogue import hazard
from ...risks.common import DESTRUCTIVE, gone, held_state_in_baseline, who
from ...risks.holdings import FLINK_DEPLOYMENT, STATEFUL_TYPES
from ..rules import types
from ..rules.durations import format_duration_ms
from ..rules.periods import read_period as period

ACL = types.KAFKA_ACL
MSK = types.MSK_CLUSTER
STRIMZI = types.STRIMZI_KAFKA_TYPES
KMS_KEY = types.KMS_KEY
NAMESPACE = types.NAMESPACE
DRUID = types.DRUID
LIFECYCLE = types.BUCKET_LIFECYCLE
SSE_CONFIGS = types.bucket_part_types("ServerSideEncryptionConfiguration")


def cluster_delete(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    """A replace of an MSK cluster is msk.cluster-replace; here: the cluster is deleted outright."""
    if change.type not in (MSK, *STRIMZI) or change.action != "delete":
        return
    before = change.inputs("before")
    name = before.get("clusterName") or (before.get("metadata") or {}).get("name") or change.name
    # Strimzi deletes the brokers' PersistentVolumeClaims with the cluster only where the storage says
    # deleteClaim: true (strimzi-kafka-operator, api/.../model/kafka/PersistentClaimStorage.java; the
    # components set false); MSK deletes the broker volumes with the cluster.
    volumes = (" Strimzi keeps the brokers' volumes where the storage says deleteClaim: false, as orphaned "
               "PersistentVolumeClaims no cluster uses." if change.type in STRIMZI else "")
    yield hazard("kafka.cluster-delete").risk(
        f'{who(change, "Kafka cluster")}: cluster "{name}" is deleted: every topic on it, its retained data and '
        f"every consumer offset are lost, and its clients have no brokers.{volumes} Keep the KafkaCluster (name "
        "and engine), or build the new cluster beside it and migrate streams first.")


def _naming(urn: str, resources: dict[str, dict]) -> list[dict]:
    """Resources that use `urn`: by dependency, or by its URN in their inputs (the synth's
    `<computed:URN#arn>` marker for an output not known before apply)."""
    return [r for r in resources.values() if r["urn"] != urn and
            (urn in (r.get("dependencies") or []) or urn in json.dumps(r.get("inputs") or {}))]


def _holders(user: dict, resources: dict[str, dict]) -> list[dict]:
    """What holds the data `user` encrypted with a key: a bucket encryption configuration's bucket
    (every object written while it named the key), or `user` itself when it holds data (an MSK
    cluster's volumes). IAM grants and aliases name a key but encrypt nothing."""
    if user["type"] in SSE_CONFIGS:
        name = (user.get("inputs") or {}).get("bucket")
        return [r for r in resources.values() if r["type"] in BUCKET_TYPES and
                (r["urn"] in (user.get("dependencies") or []) or (name and (r.get("inputs") or {}).get("bucket") == name))]
    return [user] if user["type"] in STATEFUL_TYPES else []


def kms_key_delete(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    """A key is judged by what it encrypted in the deployed baseline: the data holders that named it
    there and remain (in the head, or retained on delete). A bucket that switches keys keeps its
    objects encrypted with the old one (changing default encryption does not re-encrypt existing
    objects: AWS S3 user guide, "Specifying server-side encryption with AWS KMS"); a key scheduled for
    deletion is disabled at once and destroyed after its waiting period (AWS KMS cryptographic
    details, "Deleting keys"). A key nothing in the baseline used encrypted nothing here."""
    if change.type != KMS_KEY or change.action not in DESTRUCTIVE:
        return
    holders = {h["urn"]: h for user in _naming(change.urn, ctx.base_resources) for h in _holders(user, ctx.base_resources)}
    remaining = [h for urn, h in sorted(holders.items()) if urn in ctx.head_resources or h.get("retainOnDelete")]
    if not remaining:
        return
    names = ", ".join(f'{h["type"].rsplit(":", 1)[-1]} "{_holder_name(h)}"' for h in remaining)
    window = change.inputs("before").get("deletionWindowInDays")
    days = f"{window}-day " if window else ""
    yield hazard("kms.key-delete").risk(
        f"{who(change, 'KMS key')}: the key is {gone(change)} while {names} still hold data it encrypted: from "
        f"the apply on the key is pending deletion and every read of those objects (checkpoints, savepoints, "
        f"segments, broker volumes) fails; after its {days}waiting period they are unrecoverable. Keep the key "
        "until no object encrypted with it remains (re-encrypt with the new key first).")


def _holder_name(resource: dict) -> str:
    inputs = resource.get("inputs") or {}
    return str(inputs.get("bucket") or inputs.get("clusterName") or resource["urn"].rsplit("::", 1)[-1])


def namespace_delete(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    """Kubernetes deletes a Namespace's contents with it (namespace finalizer), including objects the tool
    did not create; see kubernetes.io docs, "Namespaces" / "Deleting a namespace"."""
    if change.type != NAMESPACE or change.action not in DESTRUCTIVE:
        return
    name = (change.inputs("before").get("metadata") or {}).get("name") or change.name
    yield hazard("k8s.namespace-delete").risk(
        f'{who(change, "Namespace")}: Namespace "{name}" is {gone(change)}: Kubernetes deletes every object in it '
        "(jobs, their Secrets and ConfigMaps, PVCs, including ones created outside streamplane). Keep an object "
        "of that owner, or move workloads and secrets out first.")


def _signed(value: object) -> int | None:
    try:
        return int(str(value).strip()) if value is not None and not isinstance(value, bool) else None
    except ValueError:
        return None


def _retention(config: dict, key: str) -> int | None:
    value = _signed((config or {}).get(key))
    return None if value is None or value < 0 else value  # -1: unlimited


def retention_decrease(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.type != TOPIC or change.action != "update":
        return
    before = change.inputs("before").get("config") or {}
    after = change.inputs("after").get("config") or {}
    lost = []
    for key in ("retention.ms", "retention.bytes"):
        old, new = _retention(before, key), _retention(after, key)
        raw_old = _signed(before.get(key))
        if new is not None and (raw_old == -1 or (old is not None and new < old)):
            window = f" ({_ms(old)} -> {_ms(new)}: the oldest {_ms(old - new)} go)" if key == "retention.ms" and old else ""
            lost.append(f"{key} {before.get(key)} -> {after.get(key)}{window}")
    old_policy, new_policy = str(before.get("cleanup.policy", "delete")), str(after.get("cleanup.policy", "delete"))
    if "compact" in new_policy and "compact" not in old_policy:
        lost.append(f"cleanup.policy {old_policy} -> {new_policy} (compaction keeps only the latest record per key)")
    if lost:
        yield hazard("kafka.retention-decrease").risk(
            f'{who(change, "topic")}: topic "{_topic(change)}": {"; ".join(lost)}: Kafka deletes the records outside '
            "the new window at the next log cleanup, and consumers can no longer rewind into it. Keep the retention, "
            "or copy the window to a store first.")


def _ms(ms: int | None) -> str:
    return "?" if ms is None else format_duration_ms(ms, largest="d")


def _load_periods(inputs: dict) -> dict[str, float]:
    """Per tier, the longest loadByPeriod period in seconds; loadForever is infinite."""
    rules = ((inputs.get("spec") or {}).get("ingestion") or {}).get("rules") or []
    kept: dict[str, float] = {}
    for rule in rules:
        if not isinstance(rule, dict):
            continue
        tiers = rule.get("tieredReplicants") or {"_default_tier": 2}
        if rule.get("type") == "loadForever":
            seconds = float("inf")
        elif rule.get("type") == "loadByPeriod":
            found = period(rule.get("period"))
            if found is None:
                continue
            seconds = float(found.min_seconds)
        else:
            continue
        for tier in tiers:
            kept[tier] = max(kept.get(tier, 0.0), seconds)
    return kept


def load_rules_shrink(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    """A shorter load period drops segments from the historicals: a drop rule marks them unused, a soft
    delete; the files stay in deep storage until a kill task removes them (read in Druid's
    docs/data-management/delete.md, "Delete data automatically using drop rules")."""
    if change.type != INGESTION or change.action != "update":
        return
    old, new = _load_periods(change.inputs("before")), _load_periods(change.inputs("after"))
    shrunk = [f'tier "{t}" {_days(old[t])} -> {_days(new.get(t, 0.0))}' for t in sorted(old) if new.get(t, 0.0) < old[t]]
    if shrunk:
        yield hazard("druid.load-rules-shrink").risk(
            f"{who(change, 'datasource')}: load rules keep less ({'; '.join(shrunk)}): the coordinator drops the "
            "segments outside the new period from historicals, so queries over them return nothing. Deep storage "
            "keeps them: widening the rules again reloads them. Keep the load period if readers query that range.")


def _days(seconds: float) -> str:
    if seconds == float("inf"):
        return "forever"
    return "nothing" if seconds <= 0 else f"P{round(seconds / 86400)}D"


def druid_delete(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.type not in (INGESTION, DRUID) or change.action != "delete":
        return
    what = "datasource" if change.type == INGESTION else "Druid cluster"
    stops = ("its Kafka supervisor stops and nothing new is ingested" if change.type == INGESTION else
             "every datasource on it stops ingesting and nothing is queryable")
    yield hazard("druid.datasource-delete").risk(
        f"{who(change, what)}: the {what} is deleted: {stops}. Segments already handed off remain in deep storage "
        "and the metadata store (until a kill task removes them); rows not yet handed off are lost. Keep it, or "
        "suspend the supervisor and keep deep storage to retire it.")


def _noncurrent_days(inputs: dict) -> int | None:
    days = [(_int((r.get("noncurrentVersionExpiration") or {}).get("noncurrentDays")))
            for r in inputs.get("rules") or [] if isinstance(r, dict) and r.get("status", "Enabled") == "Enabled"]
    found = [d for d in days if d is not None]
    return min(found) if found else None


def lifecycle_shorter(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.type != LIFECYCLE or change.action not in ("update", "replace"):
        return
    old, new = _noncurrent_days(change.inputs("before")), _noncurrent_days(change.inputs("after"))
    if new is not None and (old is None or new < old):
        yield hazard("store.lifecycle-shorter").risk(
            f"{who(change, 'store')}: noncurrent versions expire after {new} day(s) (was {old if old else 'never'}): "
            "overwritten or deleted checkpoints older than that are gone, so the rewind window shrinks to "
            f"{new} day(s). Keep the expiration, or take the savepoints you may rewind to first.")


def access_lost(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    """An ACL deleted while its topic stays: the principal is refused from the next request on."""
    if change.type != ACL or change.action != "delete":
        return
    before = change.inputs("before")
    resource = before.get("aclResourceName")
    if before.get("aclResourceType", "Topic") != "Topic" or before.get("aclPermissionType", "Allow") != "Allow":
        return
    still_there = any(r.get("type") == TOPIC and (r.get("inputs") or {}).get("name") == resource
                      for r in ctx.head_resources.values())
    if not still_there:
        return  # the topic goes too: kafka.topic-delete says so
    principal, operation = before.get("aclPrincipal", "?"), before.get("aclOperation", "?")
    yield hazard("kafka.access-lost").risk(
        f'{who(change, "ACL")}: principal {principal} loses {operation} on topic "{resource}" (ACL {change.name} is '
        "deleted while the topic stays): its clients are refused with TopicAuthorizationException. Keep the "
        "principal in the stream's consumers/producers, or confirm the client is retired.")


def was_stateful(change: Change) -> bool:
    """A data-holding type (a FlinkDeployment only if it held state), or the stateful marker."""
    if change.type == FLINK_DEPLOYMENT:
        return held_state_in_baseline(change)
    return held_state_in_baseline(change) or change.type in STATEFUL_TYPES


def protect_dropped(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    """On an update, and on a replace: the engine lets a replace through when the same update drops
    `protect` (generic.protected_delete), so that replace is judged here by what the resource held."""
    if change.action not in ("update", "replace") or not change.before or not change.after:
        return
    if change.before.get("protect") and not change.after.get("protect") and was_stateful(change):
        then = ("in the same update that replaces it, so the engine lets the replace through"
                if change.action == "replace" else "so a later change can delete it without the engine refusing")
        yield hazard("protect.dropped").risk(
            f"{change.type} {change.name} of {who(change)} held data or state in the deployed baseline and loses "
            f"`protect` {then}. Keep protect; unprotect only in a PR of its own that says why.")


RULES = (access_lost, cluster_delete, kms_key_delete, namespace_delete, retention_decrease, load_rules_shrink, druid_delete,
         lifecycle_shorter, protect_dropped)
