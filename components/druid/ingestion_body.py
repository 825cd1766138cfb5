"""The druid-operator `DruidIngestion` resource of a DruidDatasource: Kafka supervisor spec, auto-compaction
config and load rules, as pure functions of known values (the same shapes as Druid's own examples)."""

from __future__ import annotations

import pulumi

from streamplane.druid.kinds.datasource import (
    DruidDatasourceSpec,
    Metric,
    data_source_name,
    dimension_type,
)
from streamplane.kafka.clients import TLS_STORE_TYPE, Listener, TlsStores, secret_dir
from streamplane.kafka.kinds.stream import EventSchema
from streamplane.spec.model import Declared

API_VERSION = "druid.apache.org/v1alpha1"
KIND = "DruidIngestion"
INGESTION_TYPE = "kafka"
INPUT_FORMAT = "json"
COMPACTION_TUNING_TYPE = "index_parallel"
_MIN_MAX = {"min": "Min", "max": "Max"}
_LONG_FIELD_TYPES = ("int", "long")
DYNAMIC_CONFIG_KEY = "druid.dynamic.config.provider"
"""apache/druid KafkaRecordSupplier.addConsumerPropertiesFromConfig: this consumerProperties entry is a
DynamicConfigProvider whose map is added to the consumer's properties when the task builds its consumer;
type "environment" (EnvironmentVariableDynamicConfigProvider, `variables`: property -> env var)."""
JAAS_PROPERTY = "sasl.jaas.config"
KEYSTORE_PASSWORD_PROPERTY = "ssl.keystore.password"
TRUSTSTORE_PASSWORD_PROPERTY = "ssl.truststore.password"


def _env_token(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name).upper()


def keystore_password_env(datasource: str) -> str:
    return "STREAMPLANE_KAFKA_KEYSTORE_PASSWORD_" + _env_token(datasource)


def truststore_password_env(datasource: str) -> str:
    return "STREAMPLANE_KAFKA_TRUSTSTORE_PASSWORD_" + _env_token(datasource)


def tls_task_env(datasource: str, stores: TlsStores) -> tuple[dict, ...]:
    """The middle-manager env entries of a mutual-TLS datasource: its two store passwords, from their Secrets."""
    ref = lambda secret, key: {"secretKeyRef": {"name": secret, "key": key}}  # noqa: E731
    return ({"name": keystore_password_env(datasource),
             "valueFrom": ref(stores.keystore_secret, stores.keystore_password_key)},
            {"name": truststore_password_env(datasource),
             "valueFrom": ref(stores.truststore_secret, stores.truststore_password_key)})


def tls_volumes(stores: TlsStores) -> tuple[tuple[dict, dict], ...]:
    """(volume, volumeMount) pairs mounting a client's keystore and truststore Secrets read-only, by name."""
    pairs = []
    for secret in dict.fromkeys((stores.keystore_secret, stores.truststore_secret)):
        volume = f"kafka-{secret}"[:63].rstrip("-")
        pairs.append(({"name": volume, "secret": {"secretName": secret}},
                      {"name": volume, "mountPath": secret_dir(secret), "readOnly": True}))
    return tuple(pairs)


def jaas_env_var(datasource: str) -> str:
    """The middle-manager environment variable holding a datasource's Kafka JAAS line."""
    return "STREAMPLANE_KAFKA_JAAS_" + _env_token(datasource)


def task_env_var(datasource: str, secret_name: str, key: str) -> dict:
    """The middle-manager env entry of a datasource's JAAS line, from its credential Secret's key."""
    return {"name": jaas_env_var(datasource), "valueFrom": {"secretKeyRef": {"name": secret_name, "key": key}}}


def consumer_properties(datasource: str, bootstrap_servers: pulumi.Input[str], listener: Listener,
                        group: str, tls: TlsStores | None = None) -> dict:
    """The supervisor's consumerProperties: where and how its tasks connect, with the JAAS line (the
    credential) resolved on the middle manager from its environment, never written here. A mutual-TLS
    client (`tls`) reads its keystore and truststore from the mounted Secrets (tls_volumes) and their
    passwords from the environment (tls_task_env), the same way.

    group.id names the group the datasource's principal holds READ on (Druid sets a random
    kafka-supervisor-<id> only when absent: KafkaRecordSupplier.getKafkaConsumer, putIfAbsent)."""
    props: dict = {"bootstrap.servers": bootstrap_servers, "security.protocol": listener.security_protocol,
                   "group.id": group}
    if listener.sasl_mechanism:
        props["sasl.mechanism"] = listener.sasl_mechanism
        props[DYNAMIC_CONFIG_KEY] = {"type": "environment", "variables": {JAAS_PROPERTY: jaas_env_var(datasource)}}
    elif tls is not None:
        props.update({
            "ssl.keystore.location": f"{secret_dir(tls.keystore_secret)}/{tls.keystore_key}",
            "ssl.keystore.type": TLS_STORE_TYPE,
            "ssl.truststore.location": f"{secret_dir(tls.truststore_secret)}/{tls.truststore_key}",
            "ssl.truststore.type": TLS_STORE_TYPE,
        })
        props[DYNAMIC_CONFIG_KEY] = {"type": "environment", "variables": {
            KEYSTORE_PASSWORD_PROPERTY: keystore_password_env(datasource),
            TRUSTSTORE_PASSWORD_PROPERTY: truststore_password_env(datasource)}}
    return props


def _field_type(schema: EventSchema | None, name: str) -> str | None:
    found = schema.get(name) if schema else None
    return found.type if found else None


def dimensions_spec(spec: DruidDatasourceSpec, schema: EventSchema | None) -> dict:
    """Plain names for string dimensions (as Druid's examples write them), typed objects for the rest."""
    dims = []
    for dim in spec.dimensions:
        druid_type = dimension_type(dim, _field_type(schema, dim.source))
        dims.append(dim.name if druid_type == "string" else {"type": druid_type, "name": dim.name})
    return {"dimensions": dims}


def aggregator(metric: Metric, schema: EventSchema | None) -> dict:
    """A metricsSpec entry; min and max become long* or double* by the field's schema type."""
    if metric.type == "count":
        return {"type": "count", "name": metric.name}
    druid_type = metric.type
    if metric.type in _MIN_MAX and metric.field is not None:
        kind = "long" if _field_type(schema, metric.field) in _LONG_FIELD_TYPES else "double"
        druid_type = f"{kind}{_MIN_MAX[metric.type]}"
    return {"type": druid_type, "name": metric.name, "fieldName": metric.field}


def _input_format(spec: DruidDatasourceSpec) -> dict:
    """JSON input; nested fields (dotted schema names) are flattened with JSONPath."""
    used = [spec.timestamp.column, *(d.source for d in spec.dimensions), *(m.field for m in spec.metrics if m.field)]
    nested = sorted({name for name in used if "." in name})
    fmt: dict[str, object] = {"type": INPUT_FORMAT}
    if nested:
        fmt["flattenSpec"] = {"useFieldDiscovery": True,
                              "fields": [{"type": "path", "name": n, "expr": f"$.{n}"} for n in nested]}
    return fmt


def supervisor_spec(datasource: Declared[DruidDatasourceSpec], schema: EventSchema | None, topic: str,
                    consumer: dict) -> dict:
    """The Kafka supervisor spec ({"type": "kafka", "spec": {dataSchema, ioConfig, tuningConfig}})."""
    spec = datasource.spec
    data_schema = {
        "dataSource": data_source_name(datasource),
        "timestampSpec": {"column": spec.timestamp.column, "format": spec.timestamp.format},
        "dimensionsSpec": dimensions_spec(spec, schema),
        "metricsSpec": [aggregator(m, schema) for m in spec.metrics],
        "granularitySpec": {"type": "uniform", "segmentGranularity": spec.segment_granularity,
                            "queryGranularity": spec.query_granularity, "rollup": spec.rollup},
    }
    renamed = [d for d in spec.dimensions if d.field and d.field != d.name]
    if renamed:
        data_schema["transformSpec"] = {"transforms": [
            {"type": "expression", "name": d.name, "expression": f'"{d.field}"'} for d in renamed]}
    ing = spec.ingestion
    io_config = {
        "type": INGESTION_TYPE,
        "topic": topic,
        "inputFormat": _input_format(spec),
        "consumerProperties": consumer,
        "taskCount": ing.task_count,
        "replicas": ing.replicas,
        "taskDuration": ing.task_duration,
        "completionTimeout": ing.completion_timeout,
        "useEarliestOffset": ing.use_earliest_offset,
        "lateMessageRejectionPeriod": spec.late_message_rejection_period,
        # Always written: Druid has no default and would accept rows stamped any time in the future.
        "earlyMessageRejectionPeriod": spec.early_message_rejection_period,
    }
    tuning = {"type": INGESTION_TYPE, "maxRowsPerSegment": ing.max_rows_per_segment,
              "maxRowsInMemory": ing.max_rows_in_memory, "intermediatePersistPeriod": ing.intermediate_persist_period}
    # `suspended` is the supervisor's own field (apache/druid KafkaSupervisorSpec @JsonProperty("suspended")):
    # druid-operator v1.3.1 declares DruidIngestion spec.suspend (druidingestion_types.go) but no
    # controller reads it, so only this field pauses ingestion.
    return {"type": INGESTION_TYPE, "spec": {
        "dataSchema": data_schema,
        "ioConfig": io_config,
        "tuningConfig": {k: v for k, v in tuning.items() if v is not None},
    }, "suspended": spec.suspend}


def compaction_config(datasource: Declared[DruidDatasourceSpec]) -> dict | None:
    """The auto-compaction config (POST /druid/coordinator/v1/config/compaction), or None when disabled.

    With rollup, compaction re-partitions by hash with forceGuaranteedRollup, so rows that several
    indexing tasks rolled up separately become one (perfect rollup).
    """
    spec = datasource.spec
    if not spec.compaction.enabled:
        return None
    partitions: dict = {"type": "hashed" if spec.rollup else "dynamic"}
    if spec.compaction.target_rows_per_segment:
        key = "targetRowsPerSegment" if spec.rollup else "maxRowsPerSegment"
        partitions[key] = spec.compaction.target_rows_per_segment
    tuning: dict[str, object] = {"type": COMPACTION_TUNING_TYPE, "partitionsSpec": partitions}
    if spec.rollup:
        tuning["forceGuaranteedRollup"] = True
    return {
        "dataSource": data_source_name(datasource),
        "skipOffsetFromLatest": spec.compaction.skip_offset_from_latest,
        "tuningConfig": tuning,
        "granularitySpec": {"segmentGranularity": spec.segment_granularity,
                            "queryGranularity": spec.query_granularity, "rollup": spec.rollup},
    }


def load_rules(spec: DruidDatasourceSpec) -> list[dict]:
    """The retention rules in the coordinator's format, in the order declared."""
    rules = []
    for rule in spec.retention:
        if rule.type == "loadByPeriod":
            rules.append({"type": rule.type, "period": rule.period,
                          "includeFuture": True if rule.include_future is None else rule.include_future,
                          "tieredReplicants": dict(rule.tiered_replicants)})
        elif rule.type == "dropBeforeByPeriod":
            rules.append({"type": rule.type, "period": rule.period})
        else:
            rules.append({"type": rule.type})
    return rules


def ingestion_spec(datasource: Declared[DruidDatasourceSpec], schema: EventSchema | None, topic: str,
                   consumer: dict, druid_cluster: str) -> dict:
    """The `spec` of the DruidIngestion resource (supervisor as nativeSpec, compaction, rules);
    `consumer`: its consumerProperties (consumer_properties)."""
    ingestion = {"type": INGESTION_TYPE,
                 "nativeSpec": supervisor_spec(datasource, schema, topic, consumer),
                 "rules": load_rules(datasource.spec)}
    compaction = compaction_config(datasource)
    if compaction:
        ingestion["compaction"] = compaction
    return {"suspend": datasource.spec.suspend, "druidCluster": druid_cluster, "ingestion": ingestion}


def ingestion_resource(datasource: Declared[DruidDatasourceSpec], schema: EventSchema | None, topic: str,
                       consumer: dict, druid_cluster: str, namespace: str, labels: dict) -> dict:
    """The whole DruidIngestion resource, for tests and CRD validation."""
    return {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": {"name": datasource.name, "namespace": namespace, "labels": labels},
        "spec": ingestion_spec(datasource, schema, topic, consumer, druid_cluster),
    }
