"""The hazard catalogue: every risk code, its level in each environment, when it fires and its fix.
One place, so docs, rules and the per-environment levels agree (docs/review.md renders this table)."""

from __future__ import annotations

from dataclasses import dataclass

from ..plan.model import Risk, RiskLevel

ENVIRONMENTS = ("dev", "staging", "prod")
DEFAULT_ENVIRONMENT = "dev"
"""Levels used when the plan has no spec naming its environment (review of a bare preview)."""


@dataclass(frozen=True)
class Hazard:
    code: str
    levels: tuple[RiskLevel, RiskLevel, RiskLevel]
    """The level in dev, staging and prod (ENVIRONMENTS order)."""
    when: str
    fix: str
    loses_data: bool = False
    """Data, state or access is lost: never below danger anywhere, block in prod (test_catalogue)."""

    def level(self, environment: str | None) -> RiskLevel:
        env = environment if environment in ENVIRONMENTS else DEFAULT_ENVIRONMENT
        return self.levels[ENVIRONMENTS.index(env)]

    def risk(self, message: str, environment: str | None = None) -> Risk:
        """The single place a rule's Risk is made (acknowledgements can filter here)."""
        return Risk(self.level(environment), self.code, message)


def _h(code: str, dev: RiskLevel, staging: RiskLevel, prod: RiskLevel, when: str, fix: str,
       loses_data: bool = False) -> Hazard:
    return Hazard(code, (dev, staging, prod), when, fix, loses_data)


LOSS = {"loses_data": True}

CATALOGUE: dict[str, Hazard] = {h.code: h for h in (
    _h("kafka.partitions-decrease", "block", "block", "block",
       "partitions go down: Kafka cannot shrink a topic; the provider would delete and recreate it",
       "keep the partition count, or create a new stream and move producers to it", **LOSS),
    _h("kafka.topic-replace", "danger", "danger", "block",
       "the topic is deleted and recreated (rename): retained data and consumer offsets are lost",
       "keep the topic name, or create the new stream beside the old one and migrate", **LOSS),
    _h("kafka.topic-delete", "danger", "danger", "block",
       "a stream is removed: its data and consumers' offsets are lost",
       "make sure nothing produces to or reads it; set retainOnDelete to keep the topic", **LOSS),
    _h("kafka.partitions-increase", "warn", "warn", "warn",
       "key -> partition mapping changes; per-key order breaks for keyed producers",
       "tell keyed producers and stateful consumers; increase during a quiet window"),
    _h("kafka.replication-change", "warn", "warn", "warn",
       "partition reassignment copies data between brokers; long-running",
       "run it off-peak; watch under-replicated partitions"),
    _h("kafka.min-isr-unsafe", "block", "block", "block",
       "min.insync.replicas >= replicationFactor, or replicationFactor > brokers",
       "set min.insync.replicas below replicationFactor and replicationFactor <= brokers"),
    _h("kafka.acl-gap", "warn", "warn", "danger",
       "an ACL binding is replaced: the principal loses access between delete and create",
       "roll clients deliberately; add the new binding before removing the old one"),
    _h("kafka.access-lost", "danger", "danger", "block",
       "a consumer or producer principal loses its ACLs on a topic that still exists",
       "keep the principal in the stream's consumers/producers, or confirm the client is retired", **LOSS),
    _h("kafka.retention-decrease", "danger", "danger", "block",
       "a topic's retention.ms/retention.bytes shrinks or cleanup.policy switches to compact: older records are deleted",
       "keep the retention, or copy the window that goes to a store first", **LOSS),
    _h("kafka.cluster-delete", "block", "block", "block",
       "a Kafka cluster (MSK or Strimzi) is deleted: every topic, its data and offsets on it are lost",
       "keep the KafkaCluster's name; build a new cluster beside it and migrate streams", **LOSS),
    _h("msk.cluster-replace", "block", "block", "block",
       "a change forces the MSK cluster to be replaced",
       "undo the forcing change, or build a new cluster beside it and migrate", **LOSS),
    _h("msk.version-downgrade", "block", "block", "block",
       "kafkaVersion goes down on an MSK cluster: MSK has no downgrade, and the provider updates in place (x-style versions such as 3.9.x do not parse as semver), so the apply fails",
       "keep the version; to run an older Kafka, build a new cluster beside it and migrate"),
    _h("kafka.provider-moved", "danger", "danger", "block",
       "a topic, ACL or quota moves to another cluster's Kafka provider: the engine updates it in place against the new cluster (pulumi-kafka's DiffConfig forces no replacement), leaving the old one unmanaged",
       "declare the stream on the new cluster as a new object, migrate clients, then remove the old one"),
    _h("flink.state-dropped", "danger", "danger", "block",
       "a stateful job restarts without its state: stateless upgrade, new checkpoint dir, maxParallelism change, "
       "or the FlinkDeployment is deleted/replaced",
       "keep the job's name, owner, state dirs and maxParallelism; take a savepoint first", **LOSS),
    _h("flink.state-replaced", "block", "block", "block",
       "a stateful job's FlinkDeployment is replaced or renamed (owner/namespace change, rename, re-creation) without a declared migration (migrateFrom), or re-created with a restore that was already applied",
       "declare spec.migrateFrom with the old job's final savepoint, or keep the job's name and owner; remove an applied restore", **LOSS),
    _h("flink.rewind-unsaved", "block", "block", "block",
       "a rewind (new savepointRedeployNonce) without a savepoint of the current state taken by an earlier deploy: the operator cancels the job without one",
       "apply spec.restore with phase save-current and the same nonce first, then phase rewind", **LOSS),
    _h("flink.restore-stale", "warn", "warn", "warn",
       "a restore the baseline already applied is still in the spec: a re-creation would restore that old savepoint again",
       "remove spec.restore once it has been applied"),
    _h("flink.backfill-switch", "block", "block", "block",
       "a switch between live and backfill source of different operator uids (or undeclared ones) as an ordinary upgrade: the restore fails on the old source's state",
       "switch with a savepoint redeploy in the same change: spec.restore with allowNonRestoredState"),
    _h("flink.restart", "warn", "warn", "warn",
       "a running job restarts (image, config, parallelism) and restores per its upgradeMode",
       "expect a short outage and a restore; check the upgradeMode"),
    _h("store.delete", "block", "block", "block",
       "a checkpoint store or its bucket would be deleted or replaced",
       "keep the store's name and bucketName", **LOSS),
    _h("store.lifecycle-shorter", "danger", "danger", "block",
       "a store's noncurrent-version expiration shrinks: S3 deletes the older versions, so the rewind window to old "
       "checkpoints shrinks",
       "keep the expiration, or take savepoints you need to rewind to first", **LOSS),
    _h("kms.key-delete", "block", "block", "block",
       "a KMS key is deleted (scheduled) while data it encrypted is still stored: that data becomes unreadable",
       "keep the key until nothing encrypted with it remains; re-encrypt first", **LOSS),
    _h("druid.compaction-overlaps-late-data", "block", "block", "block",
       "skipOffsetFromLatest < lateMessageRejectionPeriod + taskDuration + completionTimeout + "
       "earlyMessageRejectionPeriod + 2 x segmentGranularity: compaction can overwrite segments still being "
       "written or handed off",
       "raise skipOffsetFromLatest to at least that sum; set both rejection periods"),
    _h("druid.granularity-change", "warn", "warn", "warn",
       "segment/query granularity or rollup changes: mixed data until reindex",
       "reindex or compact the datasource after the change"),
    _h("druid.ingestion-reset", "danger", "danger", "block",
       "the datasource's topic or name changes: ingestion restarts from other offsets",
       "keep the datasource's name and topic; create a new datasource beside it", **LOSS),
    _h("druid.replicas-exceed-tier", "block", "block", "block",
       "a load rule asks for more replicas on a tier than it has historicals",
       "lower tieredReplicants or add historicals to the tier"),
    _h("druid.datasource-delete", "danger", "danger", "block",
       "a Druid datasource (DruidIngestion) or cluster is deleted: the supervisor stops and nothing is queryable; "
       "segments stay in deep storage and metadata until killed",
       "keep the datasource or cluster; to retire it, suspend the supervisor and keep deep storage", **LOSS),
    _h("druid.load-rules-shrink", "danger", "danger", "block",
       "load rules keep a shorter period (or fewer tiers): historicals drop the segments outside it "
       "(deep storage keeps them)",
       "keep the load period; reload by widening the rules again (segments come back from deep storage)", **LOSS),
    _h("route.sink-change", "danger", "danger", "block",
       "a route's sink changes: the new sink starts empty, the old one (and its downstream readers) stops receiving",
       "create the new route beside the old one; retire the old after readers move", **LOSS),
    _h("k8s.namespace-delete", "danger", "danger", "block",
       "a Namespace is deleted: Kubernetes deletes everything in it, including objects created outside the tool",
       "keep an object of that owner, or move workloads out first", **LOSS),
    _h("protect.dropped", "danger", "danger", "block",
       "`protect` is removed from a resource that holds data or state (stateful in the deployed baseline)",
       "keep protect; unprotect only in a PR of its own that says why", **LOSS),
    _h("schema.incompatible", "danger", "danger", "block",
       "a stream's schema change breaks readers: a field removed, a type narrowed, or a required field added "
       "without a default",
       "add fields optional with defaults; never remove or narrow a field readers use; make a new stream", **LOSS),
    _h("iam.grant-widened", "danger", "danger", "danger",
       "an IAM policy document now allows more: a new action or resource, a wildcard, a dropped condition or Deny",
       "grant only the actions and resources the job needs; keep conditions and Deny statements"),
    _h("protected.delete", "block", "block", "block",
       "a resource with `protect` would be deleted or replaced (the engine refuses it at apply)",
       "unprotect it deliberately first, or undo the change", **LOSS),
)}


def hazard(code: str) -> Hazard:
    return CATALOGUE[code]
