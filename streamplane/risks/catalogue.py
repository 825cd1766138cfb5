"""The hazard catalogue: every risk code, its level and when it fires. One place, so docs and rules agree."""

from __future__ import annotations

from dataclasses import dataclass

from ..plan.model import Risk, RiskLevel


@dataclass(frozen=True)
class Hazard:
    code: str
    level: RiskLevel
    when: str

    def risk(self, message: str) -> Risk:
        return Risk(self.level, self.code, message)


CATALOGUE: dict[str, Hazard] = {h.code: h for h in (
    Hazard("kafka.partitions-decrease", "block", "partitions go down: Kafka cannot shrink a topic; the provider would delete and recreate it"),
    Hazard("kafka.topic-replace", "danger", "the topic is deleted and recreated (rename): retained data and consumer offsets are lost"),
    Hazard("kafka.topic-delete", "danger", "a stream is removed: its data and consumers' offsets are lost"),
    Hazard("kafka.partitions-increase", "warn", "key -> partition mapping changes; per-key order breaks for keyed producers"),
    Hazard("kafka.replication-change", "warn", "partition reassignment copies data between brokers; long-running"),
    Hazard("kafka.min-isr-unsafe", "block", "min.insync.replicas >= replicationFactor, or replicationFactor > brokers"),
    Hazard("kafka.acl-gap", "warn", "an ACL binding is replaced: the principal loses access between delete and create"),
    Hazard("msk.cluster-replace", "block", "a change forces the MSK cluster to be replaced"),
    Hazard("flink.state-dropped", "danger", "a stateful job restarts without its state: stateless upgrade, new checkpoint dir, maxParallelism change, or the FlinkDeployment is deleted/replaced"),
    Hazard("flink.restart", "warn", "a running job restarts (image, config, parallelism) and restores per its upgradeMode"),
    Hazard("store.delete", "block", "a checkpoint store or its bucket would be deleted or replaced"),
    Hazard("druid.compaction-overlaps-late-data", "block", "skipOffsetFromLatest <= lateMessageRejectionPeriod + taskDuration: compaction can overwrite segments still being handed off"),
    Hazard("druid.granularity-change", "warn", "segment/query granularity or rollup changes: mixed data until reindex"),
    Hazard("druid.ingestion-reset", "danger", "the datasource's topic or name changes: ingestion restarts from other offsets"),
    Hazard("druid.replicas-exceed-tier", "block", "a load rule asks for more replicas on a tier than it has historicals"),
    Hazard("route.sink-change", "warn", "a route's sink changes: the new sink starts empty, the old one stops receiving"),
    Hazard("iam.grant-widened", "danger", "an IAM policy document now allows more: a new action or resource, a wildcard, a dropped condition or Deny"),
    Hazard("protected.delete", "block", "a resource with `protect` would be deleted or replaced (the engine refuses it at apply)"),
)}


def hazard(code: str) -> Hazard:
    return CATALOGUE[code]
