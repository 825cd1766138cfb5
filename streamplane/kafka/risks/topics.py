"""Kafka topics, ACLs and quotas (pulumi-kafka resources under a Stream component)."""

from __future__ import annotations

from collections.abc import Iterator

from ...plan.context import PlanContext
from ...plan.model import Change, Risk
from ...platform.rules.types import KAFKA_ACL, KAFKA_TOPIC
from ...risks.catalogue import hazard
from ...risks.common import gone, who
from ..facts import brokers as broker_count
from ..facts import stream
from ..rules.topics import MIN_ISR, min_isr_blocks_writes

TOPIC = KAFKA_TOPIC
ACL = KAFKA_ACL


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _topic(change: Change, side: str = "before") -> str:
    return str(change.inputs(side).get("name") or change.inputs("after").get("name") or change.name)


def _consumers(change: Change, ctx: PlanContext) -> str:
    """Who the loss reaches: consumers that keep reading the stream; ones the same change removes lose
    their access anyway and are named apart, never as affected."""
    if not (change.subject and change.subject.kind == "Stream"):
        return ""
    base, head = stream(ctx, change.subject.name, "base"), stream(ctx, change.subject.name)
    before = tuple(getattr(base.spec, "consumers", ()) or ()) if base else ()
    after = tuple(getattr(head.spec, "consumers", ()) or ()) if head else before
    staying = [c for c in (before or after) if c in after]
    removed = [c for c in before if c not in after]
    text = f" Consumers affected: {', '.join(staying)}." if staying else ""
    if removed:
        text += f" Removed as consumers in this change (their ACLs on the topic are deleted): {', '.join(removed)}."
    return text


def partitions_decrease(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.type != TOPIC or change.action not in ("update", "replace"):
        return
    old, new = _int(change.inputs("before").get("partitions")), _int(change.inputs("after").get("partitions"))
    if old is not None and new is not None and new < old:
        yield hazard("kafka.partitions-decrease").risk(
            f'{who(change, "topic")}: partitions {old} -> {new}. Kafka cannot shrink topic "{_topic(change)}"; '
            "the provider would delete and recreate it, losing its retained data and every consumer offset."
            f"{_consumers(change, ctx)} Keep {old} partitions, or create a new stream and move producers to it.")


def topic_replace(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.type != TOPIC or change.action != "replace":
        return
    reasons = [p for p in change.replace_paths if p != "partitions"]
    if not reasons:
        return  # a partition decrease alone is reported (and blocked) by kafka.partitions-decrease
    old, new = change.inputs("before").get("name"), change.inputs("after").get("name")
    what = f'topic "{old}" becomes "{new}"' if old != new and old and new else f"{', '.join(reasons)} changed"
    yield hazard("kafka.topic-replace").risk(
        f"{who(change, 'topic')}: {what}, so the topic is {gone(change)}: retained data and consumer offsets "
        f"are lost and consumers start on an empty topic.{_consumers(change, ctx)} Keep the topic name, or "
        "create the new stream beside the old one and migrate.")


def topic_delete(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.type != TOPIC or change.action != "delete":
        return
    if change.before and change.before.get("retainOnDelete"):
        return
    yield hazard("kafka.topic-delete").risk(
        f'{who(change, "topic")} is removed: topic "{_topic(change)}" is deleted with its retained data and '
        f"every consumer group's offsets.{_consumers(change, ctx)} Make sure nothing produces to or reads it.")


def partitions_increase(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.type != TOPIC or change.action not in ("update", "replace"):
        return
    old, new = _int(change.inputs("before").get("partitions")), _int(change.inputs("after").get("partitions"))
    if old is not None and new is not None and new > old:
        producers = ""
        if change.subject and change.subject.kind == "Stream":
            declared = stream(ctx, change.subject.name)
            names = tuple(getattr(declared.spec, "producers", ()) or ()) if declared else ()
            producers = f" (producers: {', '.join(names)})" if names else ""
        yield hazard("kafka.partitions-increase").risk(
            f"{who(change, 'topic')}: partitions {old} -> {new}. Keys map to different partitions from now on, "
            f"so per-key order breaks across the change for keyed producers{producers}; stateful consumers "
            "keyed by partition see keys move.")


def replication_change(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.type != TOPIC or change.action != "update":
        return
    old, new = _int(change.inputs("before").get("replicationFactor")), _int(change.inputs("after").get("replicationFactor"))
    if old is not None and new is not None and old != new:
        yield hazard("kafka.replication-change").risk(
            f"{who(change, 'topic')}: replicationFactor {old} -> {new}. Kafka reassigns every partition "
            "and copies its data between brokers; on a large topic this runs for hours and loads the cluster.")


def min_isr_unsafe(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.type != TOPIC or change.action not in ("create", "update", "replace"):
        return
    inputs = change.inputs("after")
    rf = _int(inputs.get("replicationFactor"))
    min_isr = _int((inputs.get("config") or {}).get(MIN_ISR))
    if rf is not None and min_isr is not None and min_isr_blocks_writes(min_isr, rf):
        yield hazard("kafka.min-isr-unsafe").risk(
            f"{who(change, 'topic')}: {MIN_ISR}={min_isr} with replicationFactor {rf}: one broker down and "
            f"producers with acks=all are refused. Set {MIN_ISR} below {rf} (usually {max(rf - 1, 1)}).")
    cluster = None
    if change.subject and change.subject.kind == "Stream":
        declared = stream(ctx, change.subject.name)
        cluster = getattr(declared.spec, "cluster", None) if declared else None
    brokers = broker_count(ctx, cluster)
    if rf is not None and brokers is not None and rf > brokers:
        yield hazard("kafka.min-isr-unsafe").risk(
            f'{who(change, "topic")}: replicationFactor {rf} exceeds the {brokers} broker(s) of cluster "{cluster}": '
            "Kafka cannot place the replicas and the topic cannot be created. Lower replicationFactor or add brokers.")


def acl_gap(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.type != ACL or change.action != "replace":
        return
    before = change.inputs("before")
    principal = before.get("aclPrincipal", "?")
    operation = before.get("aclOperation", "?")
    resource = before.get("aclResourceName", "?")
    order = ("the binding is deleted before the new one exists, so the principal is refused in between"
             if change.delete_first else
             "the new binding is created first and the old one deleted after, so the old binding's access ends")
    yield hazard("kafka.acl-gap").risk(
        f"{who(change, 'ACL')}: ACL {principal} {operation} on {resource} is replaced "
        f"({', '.join(change.replace_paths) or 'fields'} changed): {order}. Roll clients deliberately.")


KAFKA_TYPES = (TOPIC, ACL, "kafka:index/quota:Quota")


def provider_moved(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    """An explicit Kafka provider swap: an update, not a replace (plan/replace.py, provider_swap_replaces)."""
    if change.type not in KAFKA_TYPES or change.action != "update" or "<provider>" not in change.paths:
        return
    old = str((change.before or {}).get("provider") or "").rsplit("::", 1)[-1]
    new = str((change.after or {}).get("provider") or "").rsplit("::", 1)[-1]
    yield hazard("kafka.provider-moved").risk(
        f"{who(change, change.type.rsplit(':', 1)[-1].lower())}: moves from the Kafka provider of cluster \"{old}\" to "
        f"\"{new}\". The engine updates it in place against the new cluster, not a delete and create: the old one "
        "stays on its cluster unmanaged. Declare it on the new cluster as a new object, migrate, then remove the old one.")


RULES = (provider_moved, partitions_decrease, topic_replace, topic_delete, partitions_increase, replication_change, min_isr_unsafe, acl_gap)
