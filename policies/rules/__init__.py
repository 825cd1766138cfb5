"""One module per rule, each exposing POLICY; ALL is the pack's policy list, in report order."""

from __future__ import annotations

from importlib import import_module

NAMES = (
    "s3_bucket_require_sse_kms",
    "s3_bucket_require_public_access_block",
    "s3_bucket_require_versioning",
    "s3_bucket_require_tls_only_policy",
    "s3_bucket_require_lifecycle",
    "msk_cluster_require_tls_client_traffic",
    "msk_cluster_require_in_cluster_encryption",
    "msk_cluster_require_cmk_at_rest",
    "msk_cluster_deny_unauthenticated_access",
    "msk_cluster_require_enhanced_monitoring",
    "msk_cluster_require_brokers_multiple_of_azs",
    "kafka_topic_require_min_replication_factor",
    "kafka_topic_require_min_insync_replicas",
    "kafka_topic_limit_retention",
    "kafka_topic_require_naming_convention",
    "kafka_topic_allow_known_config_keys",
    "flink_deployment_deny_stateless_upgrade",
    "flink_deployment_require_high_availability",
    "flink_deployment_require_state_dirs_on_store",
    "flink_deployment_require_savepoint_on_deletion",
    "flink_deployment_require_resource_limits",
    "flink_deployment_deny_root",
    "druid_cluster_deny_broker_cache",
    "druid_cluster_require_historical_cache",
    "druid_ingestion_require_compaction_delay",
    "kubernetes_namespace_require_resource_quota",
    "aws_resource_require_owner_environment_tags",
    "platform_stateful_require_protect",
)

MODULES = tuple(import_module(f".{name}", __name__) for name in NAMES)
ALL = [module.POLICY for module in MODULES]
