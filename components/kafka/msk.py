"""engine: msk — an Amazon MSK cluster: aws.msk.Configuration + aws.msk.Cluster, a KMS key and a broker log group."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from streamplane.kafka.broker import config_string_map
from streamplane.kafka.checks.msk import Network, msk_cluster_name
from streamplane.kafka.kinds.cluster import KafkaClusterSpec
from streamplane.settings import StackSettings
from streamplane.spec.model import Declared

from ..checkpoint import is_protected
from ..kms import alias_name, encryption_key

BOOTSTRAP_ATTRIBUTE = {"iam": "bootstrap_brokers_sasl_iam", "scram": "bootstrap_brokers_sasl_scram"}


def server_properties(cluster: Declared[KafkaClusterSpec], base: dict[str, str]) -> str:
    """The MSK configuration's server.properties text: the platform's broker defaults, then the spec's."""
    msk = cluster.spec.msk
    assert msk is not None, "engine: msk clusters have spec.msk (schema)"
    merged = {**base, **config_string_map(msk.server_properties)}
    return "".join(f"{key}={merged[key]}\n" for key in sorted(merged))


def create(parent: pulumi.ComponentResource, cluster: Declared[KafkaClusterSpec], settings: StackSettings,
           broker_defaults: dict[str, str], admin_mechanism: str,
           ) -> tuple[pulumi.Output[str], pulumi.Output[str], aws.msk.Cluster]:
    """Create the MSK cluster under `parent`; return (application bootstrap, admin bootstrap, the cluster).
    Its SCRAM secrets and their association are components/kafka/credentials.py's.
    The network and name were checked by streamplane.kafka.checks.msk before any component."""
    spec, msk = cluster.spec, cluster.spec.msk
    assert msk is not None, "engine: msk clusters have spec.msk (schema)"
    name = cluster.name
    network = Network.of(settings)
    full_name = msk_cluster_name(settings, name)

    tags = settings.base_tags(cluster.owner, cluster.meta.labels)
    child = pulumi.ResourceOptions(parent=parent)
    stateful = pulumi.ResourceOptions(parent=parent, protect=is_protected(spec.protect, settings))

    key_arn: pulumi.Input[str]
    if msk.kms_key_arn:
        key_arn = msk.kms_key_arn
    else:
        key_arn = encryption_key(name, description=f"streamplane MSK cluster {name} ({settings.environment}) data at rest",
                                 alias=alias_name(settings.environment, f"msk-{name}"), tags=tags,
                                 key_opts=stateful, alias_opts=child)

    log_group = aws.cloudwatch.LogGroup(name, name=f"/streamplane/{settings.environment}/msk/{name}",
                                        retention_in_days=msk.broker_log_retention_days, tags=tags, opts=stateful)
    # No kafka_versions: the configuration then serves any version, so a version upgrade updates the
    # cluster instead of replacing the configuration (a replacement would collide on its name).
    configuration = aws.msk.Configuration(
        name, name=full_name,
        server_properties=server_properties(cluster, broker_defaults),
        description=f"streamplane broker defaults for {name} ({settings.environment})", opts=stateful)

    auth = spec.auth
    msk_cluster = aws.msk.Cluster(
        name,
        cluster_name=full_name,
        kafka_version=msk.kafka_version,
        number_of_broker_nodes=spec.brokers,
        broker_node_group_info={
            "client_subnets": list(network.subnet_ids),
            "security_groups": list(network.security_group_ids),
            "instance_type": msk.instance_type,
            "storage_info": {"ebs_storage_info": {"volume_size": msk.ebs_volume_gib}},
        },
        client_authentication={"sasl": {"iam": "iam" in auth, "scram": "scram" in auth}, "unauthenticated": False},
        configuration_info={"arn": configuration.arn, "revision": configuration.latest_revision},
        encryption_info={"encryption_at_rest_kms_key_arn": key_arn,
                         "encryption_in_transit": {"client_broker": "TLS", "in_cluster": True}},
        enhanced_monitoring=msk.enhanced_monitoring,
        open_monitoring={"prometheus": {"jmx_exporter": {"enabled_in_broker": True},
                                        "node_exporter": {"enabled_in_broker": True}}},
        logging_info={"broker_logs": {"cloudwatch_logs": {"enabled": True, "log_group": log_group.name}}},
        tags=tags,
        opts=stateful,
    )
    application = getattr(msk_cluster, BOOTSTRAP_ATTRIBUTE[spec.application_auth])
    admin = getattr(msk_cluster, BOOTSTRAP_ATTRIBUTE[admin_mechanism])
    return application, admin, msk_cluster
