"""The kafka domain's declaration (streamplane/manifest.py): its components are components/kafka/."""

from __future__ import annotations

from ..manifest import Domain, Kind

KAFKA = Domain(
    name="kafka",
    kinds=(Kind("KafkaCluster", "kinds.cluster", "kafka-cluster.json", check="checks.objects:check_cluster",
                promotable=("/spec/msk/kafkaVersion", "/spec/strimzi/version"), platform_scoped=True),
           Kind("Stream", "kinds.stream", "stream.json", check="checks.objects:check_stream", shape=('[("', '")]'))),
    checks=("checks.msk", "checks.admin", "checks.connectivity"),
    risk_rules=("risks.topics", "risks.msk"),
    hazard_kinds=(("kafka", ("Stream", "KafkaCluster", "Route", "FlinkJob")), ("msk", ("KafkaCluster",))),
    replace="replace",
    facts="facts",
    policies=("msk_cluster_require_tls_client_traffic", "msk_cluster_require_in_cluster_encryption",
              "msk_cluster_require_cmk_at_rest", "msk_cluster_deny_unauthenticated_access",
              "msk_cluster_require_enhanced_monitoring", "msk_cluster_require_brokers_multiple_of_azs",
              "kafka_topic_require_min_replication_factor", "kafka_topic_require_min_insync_replicas",
              "kafka_topic_limit_retention", "kafka_topic_require_naming_convention",
              "kafka_topic_allow_known_config_keys"),
)
