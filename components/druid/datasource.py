"""DruidDatasource: a druid-operator `DruidIngestion` resource (Kafka supervisor, compaction, load rules)."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from streamplane.druid.kinds.datasource import DruidDatasourceSpec, data_source_name
from streamplane.kafka.clients import client_listener, druid_principal
from streamplane.kafka.kinds.stream import StreamSpec
from streamplane.kafka.naming import consumer_group
from streamplane.settings import StackSettings
from streamplane.spec.model import Declared

from .. import TYPE_PREFIX
from ..kafka import KafkaCluster, grant_consumer
from ..kafka.credentials import deliver
from ..labels import object_labels
from .cluster import DruidCluster
from .ingestion_body import API_VERSION, KIND, consumer_properties, ingestion_spec


def topic_of(stream: Declared[StreamSpec]) -> str:
    """The Kafka topic of a stream: spec.topic, else the stream's name."""
    return stream.spec.topic or stream.name


class DruidDatasource(pulumi.ComponentResource):
    """One Druid datasource ingested from one Kafka topic.

    Creates: the `DruidIngestion` custom resource in the cluster's namespace, whose operator submits
    the Kafka supervisor spec, the auto-compaction config and the load rules to the cluster; the
    Kafka ACLs of its principal `druid-<name>` (READ + DESCRIBE on the topic, READ on its group
    `druid-<name>.<stream>`); the Secret `kafka-<cluster>-druid-<name>` with its credential in the
    Druid namespace (generated credentials), which the middle managers read the JAAS line from.

    Hazards: changing the stream, topic or dataSource restarts ingestion from other offsets (or into
    a new datasource); granularity or rollup changes leave mixed data until compaction rewrites it.
    """

    data_source: str
    """The Druid datasource name."""

    principal: str
    """The Kafka principal its indexing tasks read with."""

    def __init__(self, datasource: Declared[DruidDatasourceSpec], stream: Declared[StreamSpec], cluster: DruidCluster,
                 kafka_cluster: KafkaCluster, settings: StackSettings,
                 opts: pulumi.ResourceOptions | None = None):
        super().__init__(f"{TYPE_PREFIX}DruidDatasource", datasource.name, None, opts)
        self.data_source = data_source_name(datasource)
        labels = object_labels(datasource, settings.environment, app="druid-ingestion", instance=datasource.name)
        topic = topic_of(stream)
        schema = stream.spec.schema
        self.principal = druid_principal(datasource.name)
        group = consumer_group(self.principal, stream.name)
        acls = grant_consumer(stream, self.principal, kafka_cluster, group)
        credential = kafka_cluster.credentials.get(self.principal)
        if credential is not None:
            deliver(f"{datasource.name}-kafka", credential, cluster.namespace, labels, self)
        # The bootstrap servers stay a leaf Output: with MSK they are known only after apply, and only
        # that one value should be "<computed>" in a preview, not the whole supervisor spec.
        consumer = consumer_properties(datasource.name, kafka_cluster.bootstrap_servers,
                                       client_listener(kafka_cluster.cluster.spec), group,
                                       credential.tls if credential is not None else None)
        spec = ingestion_spec(datasource, schema, topic, consumer, cluster.druid_name)
        # The operator submits the supervisor through the cluster's router: create it after the cluster,
        # and after the ACLs its tasks need.
        self.ingestion = k8s.apiextensions.CustomResource(
            datasource.name, api_version=API_VERSION, kind=KIND,
            metadata={"name": datasource.name, "namespace": cluster.namespace, "labels": labels},
            spec=spec, opts=pulumi.ResourceOptions(parent=self, depends_on=[cluster.druid, *acls],
                                                   protect=settings.protect))
        self.register_outputs({"dataSource": self.data_source})
