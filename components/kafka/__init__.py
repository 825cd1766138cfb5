"""Kafka as code: clusters (MSK, Strimzi, existing), streams (topics), ACL bindings and quotas.

One kafka.Provider per cluster manages that cluster's topics, ACLs and quotas (pulumi-kafka, which
bridges Mongey's Terraform provider). Modules: cluster (the component), msk / strimzi / existing
(engines), connection (the provider), stream (topic + bindings), acl, quota.
"""

from .acl import grant_consumer, grant_producer
from .cluster import KafkaCluster
from .stream import Stream

__all__ = ["KafkaCluster", "Stream", "grant_consumer", "grant_producer"]
