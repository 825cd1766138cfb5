"""The router job's route configuration, as pure functions of the spec (its FlinkJobSpec: streamplane.routing.router_job).

The router image reads `streamplane.route.*` from its Flink configuration, so a changed filter, projection
or sink is a configuration change the operator applies through the job's upgrade mode (a predictable
restart), never a new image. The filter is passed in canonical form: a cosmetic edit changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from components.iam import prefix_access_policy
from streamplane.kafka.clients import TLS_STORE_TYPE, Listener, TlsStores, secret_dir
from streamplane.kafka.naming import consumer_group
from streamplane.routing.filter_dsl import parse, render
from streamplane.routing.kinds import ElasticsearchSink, KafkaSink, RouteSpec, S3Sink, router_name
from streamplane.routing.router_job import DELIVERY_SETTINGS
from streamplane.routing.schema_flow import projected
from streamplane.spec.model import Declared

ES_USERNAME_ENV = "STREAMPLANE_SINK_USERNAME"
ES_PASSWORD_ENV = "STREAMPLANE_SINK_PASSWORD"
# Flink's native-Kubernetes option: environment variables of every job/task manager pod taken from
# Secret keys; the kubelet injects them, so no value passes through the spec or the FlinkDeployment.
SECRET_ENV_KEY = "kubernetes.env.secretKeyRef"
# Flink's native-Kubernetes option mounting Secrets into every job/task manager pod (apache/flink
# KubernetesConfigOptions.KUBERNETES_SECRETS, a map `foo:/opt/secrets-foo,bar:/opt/secrets-bar`): a
# mutual-TLS router's keystore and truststore, by Secret name only.
SECRET_MOUNTS_KEY = "kubernetes.secrets"
SINK_CONFIG_PREFIX = "streamplane.route.sink."
KAFKA_ENV = {"source": "STREAMPLANE_SOURCE_KAFKA", "sink": "STREAMPLANE_SINK_KAFKA"}
"""Env prefixes (_USERNAME, _PASSWORD) of the router's Kafka credentials, per side, from their Secrets."""
"""A changed key with this prefix means the route's sink changed (the review risk route.sink-change)."""


def transactional_id_prefix(route: Declared[RouteSpec]) -> str | None:
    """The Kafka transactional-id prefix of an exactly-once router writing to Kafka (its principal's
    name: transactional ids must be unique per producer application), else None."""
    exactly_once = DELIVERY_SETTINGS[route.spec.delivery][1] == "exactly-once"
    return router_name(route.name) if exactly_once and isinstance(route.spec.sink, KafkaSink) else None


def projection_text(spec: RouteSpec) -> str:
    """`ts, device_type as device`; empty when every field passes through."""
    return ", ".join(p.source if p.source == p.name else f"{p.source} as {p.name}" for p in projected(spec))


@dataclass(frozen=True)
class KafkaAuth:
    """How the router authenticates to one side's cluster: the listener and the credential's Secret."""

    listener: Listener
    secret: str
    tls: TlsStores | None = None
    """A mutual-TLS client's keystore and truststore Secrets, else None."""


def tls_configuration(side: str, tls: TlsStores) -> tuple[dict[str, object], list[str], list[str]]:
    """(`streamplane.route.<side>.ssl.*` keys, secret env references, Secret mounts) of a mutual-TLS side:
    store files from the mounted Secrets, their passwords from environment variables."""
    env = KAFKA_ENV[side]
    key = f"streamplane.route.{side}.ssl"
    conf: dict[str, object] = {
        f"{key}.keystore-location": f"{secret_dir(tls.keystore_secret)}/{tls.keystore_key}",
        f"{key}.keystore-type": TLS_STORE_TYPE,
        f"{key}.keystore-password-env": f"{env}_KEYSTORE_PASSWORD",
        f"{key}.truststore-location": f"{secret_dir(tls.truststore_secret)}/{tls.truststore_key}",
        f"{key}.truststore-type": TLS_STORE_TYPE,
        f"{key}.truststore-password-env": f"{env}_TRUSTSTORE_PASSWORD",
    }
    refs = [f"env:{env}_KEYSTORE_PASSWORD,secret:{tls.keystore_secret},key:{tls.keystore_password_key}",
            f"env:{env}_TRUSTSTORE_PASSWORD,secret:{tls.truststore_secret},key:{tls.truststore_password_key}"]
    mounts = [f"{secret}:{secret_dir(secret)}" for secret in dict.fromkeys((tls.keystore_secret, tls.truststore_secret))]
    return conf, refs, mounts


def kafka_auth_configuration(side: str, auth: KafkaAuth) -> tuple[dict[str, object], list[str]]:
    """(`streamplane.route.<side>.*` security keys, secret env references) for one side. The password
    reaches the pods as environment variables the kubelet takes from the Secret; only names appear here."""
    env = KAFKA_ENV[side]
    conf: dict[str, object] = {f"streamplane.route.{side}.security-protocol": auth.listener.security_protocol}
    refs: list[str] = []
    if auth.tls is not None:
        keys, refs, _ = tls_configuration(side, auth.tls)
        conf.update(keys)
    elif auth.listener.sasl_mechanism:
        conf[f"streamplane.route.{side}.sasl-mechanism"] = auth.listener.sasl_mechanism
        conf[f"streamplane.route.{side}.username-env"] = f"{env}_USERNAME"
        conf[f"streamplane.route.{side}.password-env"] = f"{env}_PASSWORD"
        refs = [f"env:{env}_USERNAME,secret:{auth.secret},key:username",
                f"env:{env}_PASSWORD,secret:{auth.secret},key:password"]
    return conf, refs


def route_configuration(route: Declared[RouteSpec], *, source_topic: str, source_bootstrap,
                        sink_topic: str | None = None, sink_bootstrap=None, sink_bucket: str | None = None,
                        source_auth: KafkaAuth | None = None, sink_auth: KafkaAuth | None = None,
                        ) -> dict[str, object]:
    """The `streamplane.route.*` keys (plus the secret env references of its Kafka credentials and of an
    Elasticsearch sink).

    Bootstrap servers may be Pulumi Outputs (known after the clusters exist).
    """
    spec = route.spec
    principal = router_name(route.name)
    commit_mode = DELIVERY_SETTINGS[spec.delivery][1]
    conf: dict[str, object] = {
        "streamplane.route.name": route.name,
        "streamplane.route.delivery": spec.delivery,
        "streamplane.route.source.stream": spec.source,
        "streamplane.route.source.topic": source_topic,
        "streamplane.route.source.bootstrap-servers": source_bootstrap,
        "streamplane.route.source.group-id": consumer_group(principal, spec.source),
        "streamplane.route.kafka.principal": principal,
        "streamplane.route.sink.type": spec.sink.type,
        "streamplane.route.sink.commit-mode": commit_mode,
    }
    secret_refs: list[str] = []
    mounts: list[str] = []
    for side, auth in (("source", source_auth), ("sink", sink_auth)):
        if auth is not None:
            keys, refs = kafka_auth_configuration(side, auth)
            conf.update(keys)
            secret_refs += refs
            if auth.tls is not None:
                mounts += [m for m in tls_configuration(side, auth.tls)[2] if m not in mounts]
    if mounts:
        conf[SECRET_MOUNTS_KEY] = ",".join(mounts)
    if spec.filter is not None:
        conf["streamplane.route.filter"] = render(parse(spec.filter))
    if spec.projection:
        conf["streamplane.route.projection"] = projection_text(spec)
    match spec.sink:
        case KafkaSink(stream=stream):
            conf["streamplane.route.sink.stream"] = stream
            conf["streamplane.route.sink.topic"] = sink_topic
            conf["streamplane.route.sink.bootstrap-servers"] = sink_bootstrap
            prefix = transactional_id_prefix(route)
            if prefix:
                conf["streamplane.route.sink.transactional-id-prefix"] = prefix
        case S3Sink() as s3:
            conf["streamplane.route.sink.path"] = f"s3://{sink_bucket}/{s3.prefix}"
            conf["streamplane.route.sink.format"] = s3.format
            if s3.partition_by:
                conf["streamplane.route.sink.partition-by"] = ",".join(s3.partition_by)
        case ElasticsearchSink() as es:
            conf["streamplane.route.sink.endpoint"] = es.endpoint
            conf["streamplane.route.sink.index"] = es.index_pattern
            conf["streamplane.route.sink.username-env"] = ES_USERNAME_ENV
            conf["streamplane.route.sink.password-env"] = ES_PASSWORD_ENV
            secret_refs.append(secret_env_reference(es.credentials.secret, es.credentials.username_key,
                                                    es.credentials.password_key))
    if secret_refs:
        conf[SECRET_ENV_KEY] = ";".join(secret_refs)
    return conf


def secret_env_reference(secret: str, username_key: str, password_key: str) -> str:
    return (f"env:{ES_USERNAME_ENV},secret:{secret},key:{username_key};"
            f"env:{ES_PASSWORD_ENV},secret:{secret},key:{password_key}")



def sink_policy(bucket_arn: str, kms_key_arn: str, prefix: str) -> dict:
    """The router's S3 sink policy: list, write and clean up under the sink prefix, nothing else."""
    return prefix_access_policy(bucket_arn, kms_key_arn, prefix)
